from metrics.summary import stddev


def test_population_stddev():
    assert stddev([2, 4, 4, 4, 5, 5, 7, 9]) == 2.0
    assert stddev([3.0, 3.0]) == 0.0
