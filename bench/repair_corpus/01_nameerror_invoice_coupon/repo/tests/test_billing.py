from billing.invoice import invoice_total, line_total


def test_line_total():
    assert line_total({"qty": 3, "unit_price": 2.5}) == 7.5


def test_invoice_total_adds_vat():
    assert invoice_total([{"qty": 1, "unit_price": 100.0}]) == 121.0
