from logparse.nginx import parse_line, status_histogram

OK = '10.0.0.1 - - [24/Nov/2026:02:00:00 +0000] "GET /index.html HTTP/1.1" 200 512 "-" "curl"'


def test_garbage_is_none():
    assert parse_line("") is None
    assert parse_line('10.0.0.1 - - [24/Nov/2026:02:0') is None


def test_histogram_skips_garbage():
    assert status_histogram([OK, "", "\x16\x03\x01"]) == {200: 1}
