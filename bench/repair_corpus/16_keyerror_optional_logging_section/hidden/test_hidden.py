from notifier.logsetup import log_level


def test_section_optional():
    assert log_level({}) == 20
    assert log_level({"smtp": {"host": "mail"}}) == 20
