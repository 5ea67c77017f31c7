from metrics.summary import mean, median


def test_mean():
    assert mean([1.0, 2.0, 3.0, 6.0]) == 3.0


def test_median_even_and_odd():
    assert median([5.0, 1.0, 3.0]) == 3.0
    assert median([4.0, 1.0, 3.0, 2.0]) == 2.5
