from accounts.greeting import GUEST_NAME, Directory, User, display_name


def test_unknown_address_is_a_guest():
    assert display_name(Directory([User("a@x.io", "A")]), "nobody@x.io") == GUEST_NAME == "Guest"
