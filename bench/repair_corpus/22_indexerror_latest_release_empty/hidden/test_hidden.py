from deployer.history import latest_release


def test_never_deployed():
    assert latest_release([]) is None
