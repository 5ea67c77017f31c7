from apimetrics.throughput import Window, requests_per_second


def test_fresh_window():
    assert requests_per_second(Window(count=0, started=50.0, ended=50.0)) == 0.0
    assert requests_per_second(Window(count=3, started=50.0, ended=50.0)) == 0.0
