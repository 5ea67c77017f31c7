from hephaestus.analyze import fingerprint
from hephaestus.analyze.group import merge_event, new_issue, title_for
from hephaestus.analyze.severity import severity
from hephaestus.records import Frame
from tests.unit.core.factories import make_event


def test_fingerprint_ignores_line_numbers_and_deploy_prefix_but_not_function():
    a = [Frame(file="/srv/app/shop/pricing.py", line=10, function="avg")]
    b = [Frame(file="/home/dev/shop/shop/pricing.py", line=99, function="avg")]
    c = [Frame(file="/srv/app/shop/pricing.py", line=10, function="total")]
    fa = fingerprint(error_type="ZeroDivisionError", frames=a, template="x")
    assert fa == fingerprint(error_type="ZeroDivisionError", frames=b, template="y")
    assert fa != fingerprint(error_type="ZeroDivisionError", frames=c, template="x")
    assert fa != fingerprint(error_type="KeyError", frames=a, template="x")


def test_fingerprint_without_frames_uses_template_with_numbers_masked():
    one = fingerprint(error_type=None, frames=[], template="timeout after 30 s")
    assert one == fingerprint(error_type=None, frames=[], template="timeout after 45 s")
    assert one != fingerprint(error_type=None, frames=[], template="disk full")
    assert one != fingerprint(error_type="TimeoutError", frames=[], template="timeout after 30 s")
    assert len(one) == 16


def test_severity_rules():
    assert severity(level="CRITICAL", error_type=None, has_frames=False, count=1) == "critical"
    assert severity(level="ERROR", error_type="MemoryError", has_frames=True, count=1) == "critical"
    assert severity(level="ERROR", error_type="KeyError", has_frames=True, count=1) == "high"
    assert severity(level="ERROR", error_type=None, has_frames=False, count=1) == "medium"
    assert severity(level="ERROR", error_type=None, has_frames=False, count=50) == "high"
    assert severity(level="WARNING", error_type=None, has_frames=False, count=1) == "low"


def test_grouping_merges_counts_times_and_keeps_latest_stack():
    first = new_issue(make_event(5, trace="t"))
    merged = merge_event(first, make_event(2, trace="u"))
    assert merged.count == 2
    assert merged.first_seen == make_event(2).timestamp
    assert merged.last_seen == make_event(5).timestamp
    assert merged.trace_ids == ("t", "u")
    assert first.id == merged.id
    assert first.id.startswith("HEP-")


def test_title_is_type_and_first_line_truncated():
    event = make_event(1).model_copy(update={"message": "boom\nsecond line"})
    assert title_for(event) == "KeyError: boom"
    long = make_event(1).model_copy(update={"message": "x" * 300, "error_type": None})
    assert len(title_for(long)) == 120


def test_failing_test_output_is_recognised_only_for_pytest_runs():
    from hephaestus.service import failing_test_output

    section = (
        "____ test_discount ____\n"
        ">       assert apply_discount(80.0, 25) == 60.0\n"
        "E       assert 100.0 == 60.0\n"
        "tests/test_x.py:5: AssertionError\n"
        "=== short test summary info ===\n"
        "FAILED tests/test_x.py::test_discount"
    )
    pytest_run = new_issue(make_event(1)).model_copy(update={"stack_trace": section})
    assert failing_test_output(pytest_run) == pytest_run.stack_trace
    assert failing_test_output(new_issue(make_event(2))) is None
