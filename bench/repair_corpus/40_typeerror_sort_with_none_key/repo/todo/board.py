"""Agenda view of the team task board."""

from __future__ import annotations


def agenda(tasks: list[dict]) -> list[str]:
    """Titles by due date (ISO strings), earliest first.

    Tasks without a due date (due is None) come last, in their original order.
    """
    return [t["title"] for t in sorted(tasks, key=lambda t: t["due"])]
