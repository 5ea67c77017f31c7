from timers.jobs import job_interval


def test_explicit_interval():
    assert job_interval({"name": "sync", "every": "90s"}) == 90
    assert job_interval({"name": "digest", "every": "1d"}) == 86400
