from analytics.smoothing import moving_average


def test_windows():
    assert moving_average([1.0, 2.0, 3.0, 4.0], 2) == [1.5, 2.5, 3.5]
    assert moving_average([3.0, 3.0, 6.0], 3) == [4.0]
    assert moving_average([1.0, 2.0], 3) == []
