from logparse.nginx import parse_line, status_histogram

OK = '10.0.0.1 - - [24/Nov/2026:02:00:00 +0000] "GET /index.html HTTP/1.1" 200 512 "-" "curl"'
MISS = '10.0.0.2 - - [24/Nov/2026:02:00:01 +0000] "GET /nope HTTP/1.1" 404 0 "-" "curl"'


def test_parse_line():
    assert parse_line(OK) == {"ip": "10.0.0.1", "method": "GET", "path": "/index.html", "status": 200}


def test_histogram():
    assert status_histogram([OK, OK, MISS]) == {200: 2, 404: 1}
