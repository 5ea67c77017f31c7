from orders.totals import format_total


def test_legacy_order_defaults_to_eur():
    assert format_total({"amount": 3}) == "3.00 EUR"
    assert format_total({"amount": 1.005, "currency": "GBP"}) == "1.00 GBP"
