from deployer.history import latest_release, release_tags

RELEASES = [{"tag": "v1.2.0", "deployed_at": "2026-11-02T10:00:00"},
            {"tag": "v1.3.0", "deployed_at": "2026-11-20T09:30:00"}]


def test_latest():
    assert latest_release(RELEASES)["tag"] == "v1.3.0"


def test_tags():
    assert release_tags(RELEASES) == ["v1.3.0", "v1.2.0"]
