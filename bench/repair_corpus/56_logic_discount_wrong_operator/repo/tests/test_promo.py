from promo.pricing import apply_discount, format_price


def test_format_price():
    assert format_price(1234.5) == "1,234.50 EUR"


def test_no_discount():
    assert apply_discount(19.99, 0) == 19.99
