"""Invoice exports for the accountants."""

from __future__ import annotations

COLUMNS = ("id", "date", "amount")


def header() -> str:
    return ",".join(COLUMNS)


def to_csv(rows: list[dict]) -> str:
    """CSV (with header) of invoice rows {"id", "date": date, "amount_cents"}."""
    # imported lazily: the formatters pull in locale data the web process never needs
    from exports.formaters import iso_date, money

    lines = [header()]
    lines += [f"{r['id']},{iso_date(r['date'])},{money(r['amount_cents'])}" for r in rows]
    return "\n".join(lines) + "\n"
