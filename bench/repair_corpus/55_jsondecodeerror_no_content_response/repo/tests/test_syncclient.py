import pytest

from syncclient.responses import ApiError, Response, decode


def test_ok():
    assert decode(Response(200, '{"id": 3}')) == {"id": 3}


def test_error():
    with pytest.raises(ApiError):
        decode(Response(502, "bad gateway"))
