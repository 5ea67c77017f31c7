from pricecache.memo import cached_price, stats


def test_first_lookup_loads():
    before = stats()
    assert cached_price("visible-sku-1", lambda sku: 9.99) == 9.99
    after = stats()
    assert after["misses"] == before["misses"] + 1
    assert after["size"] == before["size"] + 1
