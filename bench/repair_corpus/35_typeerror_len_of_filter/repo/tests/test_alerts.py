from alerts.rules import names


def test_names():
    assert names([{"name": "db"}, {"name": "api"}]) == ["api", "db"]
