from httpkit.headers import content_type


def test_lower_case_header_name():
    assert content_type({"content-type": "Application/JSON"}) == "application/json"


def test_missing_header_among_others():
    assert content_type({"Accept": "*/*"}) == "application/octet-stream"
