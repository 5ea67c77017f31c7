from datetime import datetime

from scheduler.cron import next_daily_run


def test_rolls_over_to_tomorrow():
    assert next_daily_run(datetime(2026, 3, 31, 23, 0), "02:15") == datetime(2026, 4, 1, 2, 15)


def test_exactly_now_is_not_next():
    assert next_daily_run(datetime(2026, 3, 1, 7, 30), "07:30") == datetime(2026, 3, 2, 7, 30)
