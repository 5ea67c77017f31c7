from gateway.settings import DEFAULT_TIMEOUT_S, http_timeout


def test_default_timeout():
    assert http_timeout({}) == DEFAULT_TIMEOUT_S == 30.0
    assert http_timeout({"http": {"upstream": "http://x"}}) == 30.0
