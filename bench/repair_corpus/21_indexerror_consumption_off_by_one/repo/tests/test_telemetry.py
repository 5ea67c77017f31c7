from telemetry.meter import consumption, total_consumption


def test_total():
    assert total_consumption([100.0, 100.5, 102.0]) == 2.0
    assert total_consumption([]) == 0.0


def test_no_readings():
    assert consumption([]) == []
