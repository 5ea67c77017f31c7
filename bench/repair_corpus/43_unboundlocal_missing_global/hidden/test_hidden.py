from pricecache.memo import cached_price, stats


def test_second_lookup_is_a_hit():
    calls = []

    def loader(sku):
        calls.append(sku)
        return 4.5

    before = stats()
    assert cached_price("hidden-sku-1", loader) == 4.5
    assert cached_price("hidden-sku-1", loader) == 4.5
    assert calls == ["hidden-sku-1"]
    assert stats()["hits"] == before["hits"] + 1
