from notifier.logsetup import log_level


def test_explicit_level():
    assert log_level({"logging": {"level": "debug"}}) == 10


def test_level_key_optional():
    assert log_level({"logging": {}}) == 20
