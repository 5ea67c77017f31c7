from orders.totals import format_total


def test_format_total():
    assert format_total({"amount": 12.5, "currency": "USD"}) == "12.50 USD"
