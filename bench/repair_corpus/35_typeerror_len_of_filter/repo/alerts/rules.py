"""Paging rules evaluated over the latest health-check results."""

from __future__ import annotations

PAGE_THRESHOLD = 2


def names(checks: list[dict]) -> list[str]:
    """Check names, sorted."""
    return sorted(c["name"] for c in checks)


def failing_checks(checks: list[dict]) -> int:
    """How many checks are not "ok"."""
    return len(filter(lambda c: c["status"] != "ok", checks))


def should_page(checks: list[dict], threshold: int = PAGE_THRESHOLD) -> bool:
    """Page the on-call engineer when at least `threshold` checks fail."""
    return failing_checks(checks) >= threshold
