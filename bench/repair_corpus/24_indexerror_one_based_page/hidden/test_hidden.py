from catalog.pages import paginate


def test_pages_are_one_based():
    items = list(range(45))
    assert paginate(items, 1) == list(range(20))
    assert paginate(items, 3) == [40, 41, 42, 43, 44]
    assert paginate([], 1) == []
