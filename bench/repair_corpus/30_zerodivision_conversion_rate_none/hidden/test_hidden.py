from experiments.abtest import conversion_rate, format_rate


def test_unseen_variant():
    assert conversion_rate(0, 0) is None
    assert format_rate(conversion_rate(0, 0)) == "n/a"
