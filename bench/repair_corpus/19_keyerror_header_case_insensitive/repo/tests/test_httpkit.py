from httpkit.headers import content_type, get_header


def test_get_header_is_case_insensitive():
    assert get_header({"X-Request-Id": "abc"}, "x-request-id") == "abc"
    assert get_header({}, "Accept", "*/*") == "*/*"


def test_content_type():
    assert content_type({"Content-Type": "text/HTML; charset=utf-8"}) == "text/html"
    assert content_type({}) == "application/octet-stream"
