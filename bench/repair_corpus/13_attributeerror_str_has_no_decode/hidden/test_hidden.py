from ingest.decode import decode_payload


def test_str_payload():
    assert decode_payload("id=8;kind=refund") == {"id": "8", "kind": "refund"}


def test_utf8_bytes_still_work():
    assert decode_payload("name=Zoë".encode()) == {"name": "Zoë"}
