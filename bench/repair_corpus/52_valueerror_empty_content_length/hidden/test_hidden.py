from ingress.body import declared_length, too_large


def test_empty_header():
    assert declared_length({"Content-Length": ""}) == 0
    assert not too_large({"Content-Length": ""})
