from search.params import page_size


def test_size_parameter():
    assert page_size({"size": "50"}) == 50
    assert page_size({"size": "500"}) == 100
    assert page_size({"size": "0"}) == 1
