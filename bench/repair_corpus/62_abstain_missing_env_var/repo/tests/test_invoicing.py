import pytest

from invoicing.settings import database_url, pool_size


def test_database_url():
    assert database_url({"DATABASE_URL": "postgresql://db/invoicing"}) == "postgresql://db/invoicing"


def test_database_url_is_required():
    with pytest.raises(KeyError):
        database_url({})


def test_pool_size():
    assert pool_size({}) == 5
