from datetime import date

from workdays.span import business_days


def test_weekend_only():
    assert business_days(date(2026, 11, 28), date(2026, 11, 28)) == 0


def test_full_week_monday_to_sunday():
    assert business_days(date(2026, 11, 23), date(2026, 11, 29)) == 5


def test_reversed_range():
    assert business_days(date(2026, 11, 27), date(2026, 11, 23)) == 0
