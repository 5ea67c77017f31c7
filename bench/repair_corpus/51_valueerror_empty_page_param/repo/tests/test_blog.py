from blog.listing import current_page, page_slice


def test_page():
    assert current_page({}) == 1
    assert current_page({"page": "3"}) == 3
    assert current_page({"page": "-2"}) == 1


def test_slice():
    assert page_slice(2) == slice(10, 20)
