from stockimport.rows import parse_row


def test_blank_qty_is_zero():
    assert parse_row({"sku": "B-2", "qty": "", "location": "R2"})["qty"] == 0
    assert parse_row({"sku": "B-3", "qty": "  ", "location": "R2"})["qty"] == 0
    assert parse_row({"sku": "B-4", "qty": " 7 ", "location": "R2"})["qty"] == 7
