from ingress.body import declared_length, too_large


def test_length():
    assert declared_length({"Content-Length": "512"}) == 512
    assert declared_length({}) == 0


def test_too_large():
    assert too_large({"Content-Length": str(11 * 1024 * 1024)})
