from sheets.table import width


def test_width():
    assert width([["a"], ["b", "c", "d"], []]) == 3
    assert width([]) == 0
