from accounts.greeting import Directory, User, display_name

DIR = Directory([User("Ada@example.com", "Ada Lovelace"), User("bob@example.com")])


def test_known_user():
    assert display_name(DIR, "ada@example.com") == "Ada Lovelace"


def test_blank_name_falls_back_to_email():
    assert display_name(DIR, "BOB@example.com") == "bob@example.com"
