from checkout.cart import cart_total


def test_missing_discount():
    assert cart_total([{"price": 10.0, "qty": 3}]) == 30.0


def test_null_discount():
    assert cart_total([{"price": 4.0, "discount": None, "qty": 1}, {"price": 2.0, "discount": 0.5, "qty": 2}]) == 7.0
