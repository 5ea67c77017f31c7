from storefront.shipping import shipping_fee


def test_threshold_is_inclusive():
    assert shipping_fee(50.0) == 0.0
    assert shipping_fee(49.99) == 4.95
