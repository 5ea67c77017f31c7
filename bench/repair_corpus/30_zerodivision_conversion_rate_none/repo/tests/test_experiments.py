from experiments.abtest import conversion_rate, format_rate


def test_rate():
    assert conversion_rate(200, 25) == 0.125
    assert format_rate(0.125) == "12.5%"


def test_unknown_rate_format():
    assert format_rate(None) == "n/a"
