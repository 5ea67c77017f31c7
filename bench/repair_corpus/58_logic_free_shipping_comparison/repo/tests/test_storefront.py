from storefront.shipping import shipping_fee


def test_small_order_pays():
    assert shipping_fee(12.0) == 4.95


def test_large_order_free():
    assert shipping_fee(80.0) == 0.0
