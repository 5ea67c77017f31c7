from mailer.emails import welcome_email


def test_welcome_in_users_language():
    assert welcome_email({"name": "Chloé", "locale": "fr"})["body"] == "Bienvenue, Chloé !"
    assert welcome_email({"name": "Sam", "locale": "en"})["body"] == "Welcome aboard, Sam!"
