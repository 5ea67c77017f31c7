from search.params import page_size, query_terms


def test_terms():
    assert query_terms({"q": "Red  Shoes"}) == ["red", "shoes"]


def test_default_size():
    assert page_size({"q": "x"}) == 20
