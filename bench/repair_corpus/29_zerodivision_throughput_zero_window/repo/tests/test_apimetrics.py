from apimetrics.throughput import Window, requests_per_second


def test_rps():
    assert requests_per_second(Window(count=300, started=100.0, ended=160.0)) == 5.0
