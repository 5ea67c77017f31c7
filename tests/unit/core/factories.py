from datetime import UTC, datetime, timedelta

from hephaestus.records import ErrorEvent, Frame


def make_event(
    n: int, *, fingerprint: str = "f" * 16, trace: str | None = None, level: str = "ERROR"
) -> ErrorEvent:
    return ErrorEvent(
        event_id=f"ev{n}",
        fingerprint=fingerprint,
        log_id=f"log{n}",
        timestamp=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=n),
        application="shop",
        host="h",
        level=level,
        error_type="KeyError",
        message="'sku'",
        template="KeyError <*>",
        template_id="1",
        rule="exception",
        frames=(Frame(file="/srv/shop/shop/a.py", line=3, function="f"),),
        stack_trace="Traceback...",
        trace_id=trace,
    )
