from notify.sms import MAX_SMS, order_shipped_text


def test_shipped_text():
    assert order_shipped_text(1042, "DHL") == "Your order #1042 has shipped with DHL."


def test_truncated():
    assert len(order_shipped_text(7, "X" * 300)) == MAX_SMS
