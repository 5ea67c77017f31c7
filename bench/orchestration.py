"""Orchestration overhead of the model composer beyond model time, against the local stub.

Runs the default 7-role plan on the shop example's issue N times with the stub LLM server
(OpenAI + Anthropic wire formats over 127.0.0.1). Overhead per solution = composition wall
time minus model time on the critical path (sum over stages of the slowest role's SDK call).
Usage: .venv/bin/python bench/orchestration.py [--runs 30] [--latency-ms 20]
Last line: RESULT overhead_ms_p50=... overhead_ms_p95=...
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from hephaestus.service import analyze_logs
from hephaestus.settings import load_settings
from hephaestus.solve import Composer, load_roles
from hephaestus.solve.testing import RecordedRequest, StubLLMServer

ROOT = Path(__file__).resolve().parents[1]
FIX = """shop/pricing.py
<<<<<<< SEARCH
    total = sum(order_total(order) for order in orders)
=======
    if not orders:
        return 0.0
    total = sum(order_total(order) for order in orders)
>>>>>>> REPLACE
"""
TESTS = "FILE: tests/test_e.py\n```python\ndef test_e() -> None:\n    assert True\n```"


def reply(request: RecordedRequest) -> str:
    text = request.text
    if "fixing a production failure" in text:
        return FIX
    if "pytest file" in text:
        return TESTS
    return "average_order_value divides by zero for an empty list."


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="heph-bench-"))
    settings = load_settings(data_dir=str(tmp / "data"))
    report = analyze_logs([ROOT / "examples/logs/shop.log"], settings=settings, repo=None, fix=False)
    issue = next(r.issue for r in report.issues if r.issue.error_type == "ZeroDivisionError")
    repo = tmp / "shop"
    shutil.copytree(ROOT / "examples/shop", repo)
    base = load_roles()
    config = base.model_copy(update={"defaults": base.defaults.model_copy(update={"cache_entries": 0})})
    overheads: list[float] = []
    walls: list[float] = []
    with StubLLMServer(reply=reply, latency_s=args.latency_ms / 1000) as stub:
        env = {
            "OPENAI_API_KEY": "k",
            "OPENAI_BASE_URL": stub.openai_base_url,
            "ANTHROPIC_API_KEY": "k",
            "ANTHROPIC_BASE_URL": stub.anthropic_base_url,
            "HEPHAESTUS_LOCAL_BASE_URL": stub.openai_base_url,
        }
        composer = Composer(config=config, env=env)
        composer.compose(issue, repo)  # warm-up: SDK imports, connection pools
        for _ in range(args.runs):
            started = time.perf_counter()
            comp = composer.compose(issue, repo)
            wall = (time.perf_counter() - started) * 1000
            model = sum(max(comp.outcomes[r].latency_ms for r in s.roles) for s in comp.plan.stages)
            walls.append(wall)
            overheads.append(wall - model)
    overheads.sort()
    p95 = overheads[min(len(overheads) - 1, round(0.95 * (len(overheads) - 1)))]
    print(f"runs={args.runs} stub_latency_ms={args.latency_ms} roles=7 stages={len(composer.plan.stages)}")
    print(f"wall_ms_p50={statistics.median(walls):.1f} (model time on the critical path is the rest)")
    print(f"RESULT overhead_ms_p50={statistics.median(overheads):.1f} overhead_ms_p95={p95:.1f}")


if __name__ == "__main__":
    main()
