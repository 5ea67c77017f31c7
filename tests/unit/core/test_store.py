import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest

from hephaestus.errors import InputError
from hephaestus.records import ErrorDetails, LogContext, Solution, SourceInfo, StructuredLog, Validation
from tests.unit.core.factories import make_event


def test_events_fold_into_one_issue_and_redelivery_is_not_recounted(store):
    assert store.record_events([make_event(1), make_event(2, trace="t1")]) == 2
    assert store.record_events([make_event(2, trace="t1"), make_event(3)]) == 1  # ev2 re-delivered
    (issue,) = store.issues()
    assert issue.count == 3
    assert issue.first_seen < issue.last_seen
    assert issue.sample_log_ids == ("log1", "log2", "log3")
    assert issue.trace_ids == ("t1",)
    assert store.event_count() == 3
    assert store.issue(issue.id) == issue
    assert store.issue(issue.fingerprint).id == issue.id


def test_distinct_fingerprints_are_distinct_issues_and_unknown_issue_is_input_error(store):
    store.record_events([make_event(1), make_event(2, fingerprint="a" * 16, level="CRITICAL")])
    issues = {i.fingerprint: i for i in store.issues()}
    assert len(issues) == 2
    assert issues["a" * 16].severity == "critical"
    assert store.record_events([]) == 0
    with pytest.raises(InputError, match="no issue"):
        store.issue("HEP-nothere")


def _solution(issue_id: str, template: str | None = "zero-division") -> Solution:
    validation = Validation(
        applied=True, passed=True, tests_before="passed", tests_after="passed", duration_s=1.0
    )
    return Solution(
        issue_id=issue_id,
        status="validated",
        provider="builtin",
        patch="--- a/x\n+++ b/x\n",
        score=0.9,
        explanation="e",
        validation=validation,
        files=("x",),
        template=template,
        created_at=datetime.now(UTC),
    )


def test_solutions_feedback_and_resolution(store):
    store.record_events([make_event(1)])
    issue = store.issues()[0]
    with pytest.raises(InputError, match="no solution"):
        store.record_feedback(issue.id, "accepted")
    store.save_solution(_solution(issue.id))
    got = store.solution(issue.id)
    assert got is not None
    assert got.validation is not None
    assert got.validation.passed is True
    assert got.template == "zero-division"
    assert store.record_feedback(issue.id, "accepted") == "zero-division"
    assert store.issue(issue.id).status == "resolved"
    assert store.solution(issue.id).feedback == "accepted"
    store.save_solution(_solution(issue.id, template="other"))
    store.record_feedback(issue.id, "rejected")
    assert store.feedback_counts() == {"zero-division": (1, 1), "other": (0, 1)}
    assert store.issues(status="resolved")[0].id == issue.id


def test_diagnosis_checkpoints_and_related_logs(store):
    store.record_events([make_event(1, trace="trace-9")])
    issue = store.issues()[0]
    assert store.diagnosis(issue.id) is None
    store.set_diagnosis(issue.id, "connection refused: environment")
    assert store.diagnosis(issue.id) == "connection refused: environment"
    assert store.checkpoint("/a.log") is None
    store.save_checkpoint("/a.log", 10, "1:2")
    store.save_checkpoint("/a.log", 20, "1:2")
    assert store.checkpoint("/a.log") == (20, "1:2")

    def log(n: int, trace: str | None) -> StructuredLog:
        return StructuredLog(
            log_id=f"l{n}",
            original_timestamp=datetime(2026, 1, 1, 0, 0, n, tzinfo=UTC),
            processing_timestamp=datetime.now(UTC),
            source=SourceInfo(application="shop", host="h"),
            error=ErrorDetails(level="INFO", message=f"step {n}"),
            context=LogContext(process_info={"trace_id": trace} if trace else {}),
        )

    assert store.record_logs([log(1, "trace-9"), log(2, None), log(3, "trace-9")]) == 2
    assert store.record_logs([log(1, "trace-9")]) == 0
    related = store.related_logs(issue.trace_ids)
    assert [r["message"] for r in related] == ["step 1", "step 3"]
    assert store.related_logs([]) == []


def test_store_feedback_port_turns_verdicts_into_weights(store):
    from hephaestus.store.feedback import StoreFeedback

    port = StoreFeedback(store)
    assert port.weights() == {}
    port.record(template="key-error.get-default", accepted=True)
    port.record(template="key-error.get-default", accepted=True)
    port.record(template="mutation.single-point", accepted=False)
    weights = port.weights()
    assert weights["key-error.get-default"] == pytest.approx(2 * 3 / 4)
    assert weights["mutation.single-point"] == pytest.approx(2 * 1 / 3)
    # the same table the CLI's `feedback` writes to
    assert StoreFeedback(store).weights() == weights


def test_long_values_and_big_numbers_round_trip(store):
    """What the logs and the config decide has no length limit, offsets are 64-bit (PostgreSQL
    enforces VARCHAR(n) and 32-bit INTEGER where SQLite does not)."""
    long_type = "com.example." + "deeply.nested." * 30 + "BoomException"
    event = make_event(1, trace="t" * 600).model_copy(
        update={"error_type": long_type, "application": "a" * 400}
    )
    assert store.record_events([event]) == 1
    (issue,) = store.issues()
    assert (issue.error_type, issue.application, issue.trace_ids) == (long_type, "a" * 400, ("t" * 600,))
    source = "/var/log/" + "d/" * 700 + "app.log"
    store.save_checkpoint(source, 2**40, "i" * 300)
    assert store.checkpoint(source) == (2**40, "i" * 300)
    solution = _solution(issue.id).model_copy(update={"provider": "openrouter:" + "m" * 120})
    store.save_solution(solution)
    assert store.solution(issue.id).provider == solution.provider


def test_times_are_stored_and_read_back_in_utc_whatever_the_offset(store):
    plus2 = timezone(timedelta(hours=2))
    local = datetime(2026, 1, 1, 12, 0, tzinfo=plus2)  # 10:00 UTC
    store.record_events([make_event(1).model_copy(update={"timestamp": local})])
    store.record_events([make_event(2).model_copy(update={"timestamp": local + timedelta(minutes=5)})])
    (issue,) = store.issues()
    assert issue.first_seen == local
    assert issue.first_seen.utcoffset() == timedelta(0)
    assert issue.first_seen.isoformat() == "2026-01-01T10:00:00+00:00"
    assert issue.last_seen.isoformat() == "2026-01-01T10:05:00+00:00"


def test_concurrent_sinks_with_overlapping_events_count_each_event_once(store):
    """Two analyzer replicas on one store, fed overlapping (re-delivered) events for the same
    issues, in opposite orders: every event is counted exactly once, no update is lost."""
    from hephaestus.store import Store
    from hephaestus.store.sinks import IssueSink

    events = [make_event(n, fingerprint="abcdef0123456789"[n % 3 :] + "x" * (n % 3)) for n in range(240)]
    first, second = events[:160], events[80:][::-1]
    stores = [Store(str(store.engine.url.render_as_string(hide_password=False))) for _ in range(2)]
    sinks = [IssueSink(s) for s in stores]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def feed(sink: IssueSink, items) -> None:
        try:
            barrier.wait()
            for i in range(0, len(items), 8):
                sink.write(items[i : i + 8])
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=feed, args=(sink, items)) for sink, items in zip(sinks, (first, second))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for s in stores:
        s.close()
    assert errors == []
    assert store.event_count() == 240
    issues = store.issues()
    assert len(issues) == 3
    assert sum(i.count for i in issues) == 240
    assert {i.count for i in issues} == {80}
    assert sum(sink.counters.sent for sink in sinks) == 240
    assert sum(sink.counters.dropped for sink in sinks) == 80


def test_issue_template_is_the_first_events_template_and_verdicts_replace_each_other(store):
    first = make_event(1).model_copy(update={"template": "KeyError <*> in cart"})
    store.record_events([first, make_event(2)])
    (issue,) = store.issues()
    assert store.issue_template(issue.fingerprint) == "KeyError <*> in cart"
    assert store.issue_template("0" * 16) is None
    assert store.noise_templates() == []
    assert store.noise_verdicts() == []
    store.set_noise_verdict(
        issue.id, real=False, template="KeyError <*> in cart", message="KeyError 'a' in cart"
    )
    assert store.issue(issue.id).status == "ignored"
    assert store.noise_templates() == ["KeyError <*> in cart"]
    assert store.issues(hide_ignored=True) == []
    assert [i.id for i in store.issues()] == [issue.id]
    assert [i.id for i in store.issues(status="ignored", hide_ignored=True)] == [issue.id]
    store.set_noise_verdict(
        issue.id, real=True, template="KeyError <*> in cart", message="KeyError 'a' in cart"
    )
    assert store.issue(issue.id).status == "open"
    assert store.noise_templates() == []
    (verdict,) = store.noise_verdicts()
    assert verdict == ("HEP-ffffffff", "KeyError <*> in cart", "KeyError 'a' in cart", True)


def test_a_real_verdict_reopens_the_noise_issues_it_clashes_with_and_keeps_fold_order(store):
    store.record_events(
        [make_event(1), make_event(2, fingerprint="a" * 16), make_event(3, fingerprint="b" * 16)]
    )
    store.set_noise_verdict("HEP-aaaaaaaa", real=False, template="disk <*> is slow today", message="m1")
    store.set_noise_verdict("HEP-bbbbbbbb", real=False, template="fan <*> is loud today", message="m2")
    store.set_noise_verdict("HEP-aaaaaaaa", real=False, template="disk <*> is slow today", message="m1")
    assert store.noise_templates() == ["fan <*> is loud today", "disk <*> is slow today"]
    store.set_noise_verdict(
        "HEP-ffffffff", real=True, template="disk sda is slow today", message="m3", reopen=["HEP-aaaaaaaa"]
    )
    assert store.noise_templates() == ["fan <*> is loud today"]
    assert store.issue("HEP-aaaaaaaa").status == "open"
    assert store.issue("HEP-bbbbbbbb").status == "ignored"
    assert [(v.issue_id, v.real) for v in store.noise_verdicts()] == [
        ("HEP-bbbbbbbb", False),
        ("HEP-ffffffff", True),
    ]
