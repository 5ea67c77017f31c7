from billing.invoice import invoice_total


def test_coupon_is_subtracted_before_vat():
    assert invoice_total([{"qty": 1, "unit_price": 100.0}], coupon=10.0) == 108.9


def test_coupon_never_goes_below_minimum_charge():
    assert invoice_total([{"qty": 1, "unit_price": 3.0}], coupon=10.0) == 1.21
