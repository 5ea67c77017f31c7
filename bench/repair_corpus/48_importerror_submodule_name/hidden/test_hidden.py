from pager.sinks import get_sink


def test_webhook_sink():
    out = get_sink("webhook").render({"title": "disk full", "severity": "high"})
    assert out == '{"severity": "high", "text": "disk full"}'
