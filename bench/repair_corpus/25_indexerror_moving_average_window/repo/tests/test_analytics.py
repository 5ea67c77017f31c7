from analytics.smoothing import moving_average


def test_too_few_values():
    assert moving_average([5.0], 3) == []
