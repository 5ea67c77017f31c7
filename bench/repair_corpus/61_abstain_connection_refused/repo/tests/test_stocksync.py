from stocksync.client import parse_reply


def test_parse_reply():
    assert parse_reply(b"SKU-1=4 SKU-2=0\n") == {"SKU-1": 4, "SKU-2": 0}
