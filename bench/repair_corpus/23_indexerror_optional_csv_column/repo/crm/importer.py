"""Imports contacts from the sales team's CSV exports."""

from __future__ import annotations


def parse_contact(line: str) -> dict[str, str]:
    """name,email,phone[,company]; the company column is optional (empty string when missing)."""
    fields = [f.strip() for f in line.split(",")]
    return {"name": fields[0], "email": fields[1].lower(), "phone": fields[2], "company": fields[3]}


def parse_contacts(text: str) -> list[dict[str, str]]:
    """Every non-blank line after the header."""
    lines = [ln for ln in text.splitlines()[1:] if ln.strip()]
    return [parse_contact(ln) for ln in lines]
