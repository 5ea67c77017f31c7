from datetime import date

from workdays.span import business_days


def test_inclusive_end():
    assert business_days(date(2026, 11, 23), date(2026, 11, 27)) == 5
    assert business_days(date(2026, 11, 23), date(2026, 11, 23)) == 1
