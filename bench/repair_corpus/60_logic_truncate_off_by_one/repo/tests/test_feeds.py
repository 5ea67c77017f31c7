from feeds.preview import preview


def test_short_text_unchanged():
    assert preview("Hello   world", 40) == "Hello world"


def test_cut_text_ends_with_ellipsis():
    assert preview("a" * 100, 10).endswith("…")
