from gateway.settings import http_timeout, upstream_url


def test_upstream_default_and_override():
    assert upstream_url({}) == "http://localhost:8000"
    assert upstream_url({"http": {"upstream": "http://api:9000/"}}) == "http://api:9000"


def test_explicit_timeout():
    assert http_timeout({"http": {"timeout": "2.5"}}) == 2.5
