from blog.listing import current_page


def test_empty_page_parameter():
    assert current_page({"page": ""}) == 1
