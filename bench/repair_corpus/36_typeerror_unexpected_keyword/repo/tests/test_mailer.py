from mailer.emails import reset_email
from mailer.templates import render_template


def test_fallback_to_english():
    assert render_template("welcome", {"name": "Ann"}, lang="de") == "Welcome aboard, Ann!"


def test_reset_email():
    assert "https://x/r/1" in reset_email("https://x/r/1")["body"]
