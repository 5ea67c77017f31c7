from fulfilment.zones import delivery_fee


def test_zone_rate():
    assert delivery_fee("fr", 30.0) == 5.9


def test_free_shipping():
    assert delivery_fee("DE", 100.0) == 0.0
    assert delivery_fee("JP", 250.0) == 0.0
