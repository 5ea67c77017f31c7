from syncclient.responses import Response, decode


def test_no_content():
    assert decode(Response(204, "")) is None
    assert decode(Response(200, "")) is None
