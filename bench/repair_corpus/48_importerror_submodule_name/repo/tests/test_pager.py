import pytest

from pager.sinks import get_sink


def test_email_sink():
    assert get_sink("email").render({"title": "disk full", "severity": "high"}) == "Subject: [HIGH] disk full"


def test_unknown_sink():
    with pytest.raises(ValueError):
        get_sink("sms")
