from datetime import datetime

import pytest

from scheduler.cron import next_daily_run, parse_hhmm


def test_parse_hhmm():
    assert parse_hhmm("07:05") == (7, 5)
    with pytest.raises(ValueError):
        parse_hhmm("24:00")


def test_later_today():
    assert next_daily_run(datetime(2026, 3, 1, 6, 0), "07:30") == datetime(2026, 3, 1, 7, 30)
