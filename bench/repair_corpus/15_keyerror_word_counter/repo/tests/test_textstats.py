from textstats.words import tokenize, word_counts


def test_tokenize():
    assert tokenize("Don't PANIC, the answer: 42") == ["don't", "panic", "the", "answer"]


def test_only_stopwords():
    assert word_counts("the and of a") == {}
