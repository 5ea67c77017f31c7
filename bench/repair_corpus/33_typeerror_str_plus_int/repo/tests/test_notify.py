from notify.sms import otp_text


def test_otp():
    assert otp_text("381204").startswith("Your verification code is 381204.")
