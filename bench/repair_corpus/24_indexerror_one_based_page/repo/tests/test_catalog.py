import pytest

from catalog.pages import page_count, paginate


def test_page_count():
    assert page_count(0) == 1
    assert page_count(41) == 3


def test_out_of_range():
    with pytest.raises(ValueError):
        paginate(list(range(5)), 0)
    with pytest.raises(ValueError):
        paginate(list(range(5)), 2)
