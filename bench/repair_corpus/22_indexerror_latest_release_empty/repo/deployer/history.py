"""Release history queries for the deploy dashboard."""

from __future__ import annotations


def latest_release(releases: list[dict]) -> dict | None:
    """The most recent release by `deployed_at`, or None when the service was never deployed."""
    ordered = sorted(releases, key=lambda r: r["deployed_at"])
    return ordered[-1]


def release_tags(releases: list[dict]) -> list[str]:
    """Tags, newest first."""
    return [r["tag"] for r in sorted(releases, key=lambda r: r["deployed_at"], reverse=True)]
