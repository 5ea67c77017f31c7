from payments.webhooks import ledger_entry


def test_charge():
    assert ledger_entry({"type": "charge.succeeded", "account": "a1", "amount": 1250}) == {"account": "a1", "delta": 1250}


def test_unrelated_event():
    assert ledger_entry({"type": "customer.updated", "account": "a1"})["delta"] == 0
