from jobs.policy import DEFAULT_MAX_ATTEMPTS, max_attempts


def test_missing_retry_section_uses_default():
    assert max_attempts({}) == DEFAULT_MAX_ATTEMPTS == 3
    assert max_attempts({"queue": "emails"}) == 3
