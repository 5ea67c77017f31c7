from timers.durations import parse_duration
from timers.jobs import job_interval


def test_parse_duration():
    assert parse_duration("15m") == 900
    assert parse_duration(" 2H") == 7200


def test_default_interval():
    assert job_interval({"name": "cleanup"}) == 3600
