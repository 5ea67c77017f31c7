from payments.webhooks import ledger_entry


def test_refund_debits():
    ev = {"type": "charge.refunded", "account": "a7", "amount": 5000, "amount_refunded": 1999}
    assert ledger_entry(ev) == {"account": "a7", "delta": -1999}
