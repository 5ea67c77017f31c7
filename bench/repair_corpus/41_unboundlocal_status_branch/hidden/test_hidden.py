from ledger.status import describe


def test_other_statuses():
    assert describe({"id": 4, "status": "refunded"}) == "#4 Refunded"
    assert describe({"id": 5, "status": "disputed"}) == "#5 Disputed"
