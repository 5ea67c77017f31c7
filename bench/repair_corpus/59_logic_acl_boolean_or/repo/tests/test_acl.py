from acl.policy import can_edit


def test_admin():
    assert can_edit({"id": 1, "admin": True}, {"owner": 2, "archived": True})


def test_suspended():
    assert not can_edit({"id": 1, "admin": True, "suspended": True}, {"owner": 1})


def test_owner():
    assert can_edit({"id": 3}, {"owner": 3})
