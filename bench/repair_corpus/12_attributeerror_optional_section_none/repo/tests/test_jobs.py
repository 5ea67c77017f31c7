from jobs.policy import backoff, max_attempts


def test_configured_attempts():
    assert max_attempts({"retry": {"max_attempts": "5"}}) == 5
    assert max_attempts({"retry": {}}) == 3


def test_backoff():
    assert [backoff(n) for n in (1, 2, 3)] == [2.0, 4.0, 8.0]
