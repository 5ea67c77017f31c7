from helpdesk.labels import status_label


def test_unknown_status():
    assert status_label("on-hold") == "Unknown"
    assert status_label("Open") == "Open"
