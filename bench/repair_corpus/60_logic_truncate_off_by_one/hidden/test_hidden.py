from feeds.preview import preview


def test_cut_text_respects_limit():
    assert preview("abcdefghijkl", 5) == "abcd…"
    assert len(preview("x" * 100, 40)) == 40
