"""`analyze` of a large-ish log: every record processed, every error counted in its issue."""

from __future__ import annotations

from pathlib import Path

import pytest

from hephaestus.service import analyze_logs
from hephaestus.settings import load_settings

_CRASHES = {
    "ZeroDivisionError": ("division by zero", "pricing.py", "average"),
    "KeyError": ("'customer_id'", "orders.py", "load_order"),
    "ValueError": ("bad quantity 'abc'", "forms.py", "parse_qty"),
}


def _write_log(path: Path, lines: int, error_every: int) -> tuple[int, dict[str, int]]:
    """A service log of `lines` lines with a traceback every `error_every`; (records, counts)."""
    out: list[str] = []
    counts = dict.fromkeys(_CRASHES, 0)
    records = 0
    kinds = sorted(_CRASHES)
    while len(out) < lines:
        n = len(out)
        stamp = f"2026-11-24 02:{n // 60000 % 60:02d}:{n // 1000 % 60:02d},{n % 1000:03d}"
        records += 1
        if n and n % error_every == 0:
            kind = kinds[n // error_every % len(kinds)]
            message, file, func = _CRASHES[kind]
            out += [
                f"{stamp} ERROR [worker-1] shop: request {n} failed",
                "Traceback (most recent call last):",
                f'  File "/srv/shop/{file}", line 12, in {func}',
                f"    return {func}(request)",
                f"{kind}: {message}",
            ]
            counts[kind] += 1
        else:
            order = n * 7919 % 100003
            out.append(f"{stamp} INFO [worker-{n % 8}] shop: order {order} served in {n % 313} ms")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return records, counts


@pytest.mark.slow
def test_analyze_of_50k_lines_finds_every_error_with_its_count(tmp_path: Path) -> None:
    log = tmp_path / "shop.log"
    records, counts = _write_log(log, 50_000, error_every=997)
    settings = load_settings(data_dir=str(tmp_path / "data"))
    report = analyze_logs([log], settings=settings, repo=None, fix=False)
    assert report.stats["records"] == report.stats["structured"] == records
    assert report.stats["errors"] == report.stats["events_counted"] == sum(counts.values())
    assert report.stats["dead_letters"] == 0
    found = {r.issue.error_type: r.issue.count for r in report.issues}
    assert found == counts
    assert all(c > 10 for c in counts.values())
