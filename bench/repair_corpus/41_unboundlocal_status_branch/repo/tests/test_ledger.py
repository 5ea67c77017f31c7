from ledger.status import describe


def test_known_statuses():
    assert describe({"id": 1, "status": "paid", "paid_at": "2026-11-02T10:11:12Z"}) == "#1 Paid on 2026-11-02"
    assert describe({"id": 2, "status": "pending"}) == "#2 Awaiting payment"
    assert describe({"id": 3, "status": "failed"}) == "#3 Failed: unknown reason"
