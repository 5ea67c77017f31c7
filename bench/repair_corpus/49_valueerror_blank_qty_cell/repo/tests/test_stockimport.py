from stockimport.rows import parse_row


def test_row():
    assert parse_row({"sku": " A-1 ", "qty": "12", "location": ""}) == {"sku": "A-1", "qty": 12, "location": "MAIN"}
