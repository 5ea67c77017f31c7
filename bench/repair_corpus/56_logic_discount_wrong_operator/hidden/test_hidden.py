from promo.pricing import apply_discount


def test_discount_lowers_price():
    assert apply_discount(80.0, 25) == 60.0
    assert apply_discount(19.99, 10) == 17.99
