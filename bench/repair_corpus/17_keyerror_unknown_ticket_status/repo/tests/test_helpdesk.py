from helpdesk.labels import status_label


def test_known_statuses():
    assert status_label("pending") == "Waiting on customer"
    assert status_label("CLOSED") == "Closed"
