from datetime import UTC, datetime

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
