from checkout.cart import cart_total


def test_discounted_items():
    assert cart_total([{"price": 10.0, "discount": 2.5, "qty": 2}, {"price": 3.0, "discount": 0, "qty": 1}]) == 18.0
