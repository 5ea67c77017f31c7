from fulfilment.zones import delivery_fee


def test_unlisted_country_pays_default_rate():
    assert delivery_fee("br", 20.0) == 12.0
    assert delivery_fee("NL", 20.0) == 4.9
