from ingest.decode import decode_payload


def test_bytes_payload():
    assert decode_payload(b"id=7; kind=order;;") == {"id": "7", "kind": "order"}
