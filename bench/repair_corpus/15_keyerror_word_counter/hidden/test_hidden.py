from textstats.words import top_words, word_counts


def test_counts():
    assert word_counts("Red shoes and red socks") == {"red": 2, "shoes": 1, "socks": 1}


def test_top_words():
    assert top_words("b a b c a b", n=2) == ["b", "c"]
