"""Helpers for ragged tables pasted from spreadsheets."""

from __future__ import annotations


def width(rows: list[list[str]]) -> int:
    """Length of the longest row."""
    return max((len(r) for r in rows), default=0)


def columns(rows: list[list[str]], fill: str = "") -> list[list[str]]:
    """The table's columns; short rows are padded with `fill`."""
    from itertools import izip_longest

    return [list(col) for col in izip_longest(*rows, fillvalue=fill)]
