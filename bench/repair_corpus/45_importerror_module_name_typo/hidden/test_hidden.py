from datetime import date

from exports.report import to_csv


def test_to_csv():
    rows = [{"id": "INV-1", "date": date(2026, 11, 2), "amount_cents": 12050}]
    assert to_csv(rows) == "id,date,amount\nINV-1,2026-11-02,120.50\n"
