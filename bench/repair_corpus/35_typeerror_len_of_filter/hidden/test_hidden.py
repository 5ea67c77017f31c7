from alerts.rules import failing_checks, should_page

CHECKS = [{"name": "db", "status": "ok"}, {"name": "api", "status": "down"}, {"name": "queue", "status": "slow"}]


def test_failing_checks():
    assert failing_checks(CHECKS) == 2
    assert failing_checks([]) == 0


def test_should_page():
    assert should_page(CHECKS)
    assert not should_page(CHECKS[:2])
