from router.access import is_public, normalize


def test_normalize():
    assert normalize("//api//v1/") == "/api/v1"
    assert normalize("/") == "/"


def test_probes_are_public():
    assert is_public("/healthz/")
