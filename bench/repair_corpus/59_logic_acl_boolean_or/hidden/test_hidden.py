from acl.policy import can_edit


def test_not_owner():
    assert not can_edit({"id": 3}, {"owner": 4})


def test_archived_own_document():
    assert not can_edit({"id": 3}, {"owner": 3, "archived": True})
