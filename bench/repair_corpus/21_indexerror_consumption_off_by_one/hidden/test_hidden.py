from telemetry.meter import consumption


def test_intervals():
    assert consumption([1.0, 1.5, 2.25]) == [0.5, 0.75]
    assert consumption([7.0]) == []
