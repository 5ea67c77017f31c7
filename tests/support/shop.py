"""The bundled shop example as test material: its ZeroDivisionError issue, a throwaway copy of
its repo, and a scripted model that answers each role as a real one would for that issue."""

import shutil
from pathlib import Path

from hephaestus.records import Issue
from hephaestus.service import analyze_logs
from hephaestus.settings import Settings
from hephaestus.solve.testing import RecordedRequest, StubLLMServer

ROOT = Path(__file__).resolve().parents[2]
SHOP_LOG = ROOT / "examples" / "logs" / "shop.log"
SHOP_REPO = ROOT / "examples" / "shop"

FIX = """shop/pricing.py
<<<<<<< SEARCH
    total = sum(order_total(order) for order in orders)
=======
    if not orders:
        return 0.0
    total = sum(order_total(order) for order in orders)
>>>>>>> REPLACE
"""
TESTS = """FILE: tests/test_model_empty_orders.py
```python
from shop.pricing import average_order_value


def test_empty_orders() -> None:
    assert average_order_value([]) == 0.0
```"""


def copy_shop(dest: Path) -> Path:
    """A throwaway copy of the example repo at `dest`."""
    shutil.copytree(SHOP_REPO, dest, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    return dest


def shop_issue(settings: Settings) -> Issue:
    """The example log's ZeroDivisionError issue, analyzed (no fix) into `settings`' store."""
    report = analyze_logs([SHOP_LOG], settings=settings, repo=None, fix=False)
    return next(r.issue for r in report.issues if r.issue.error_type == "ZeroDivisionError")


def role_of(request: RecordedRequest) -> str:
    system = request.body["messages"][0]["content"] if request.api == "openai" else request.body["system"]
    return str(system).split("You are ", 1)[1].split(",", 1)[0].split(".", 1)[0]


def scripted(request: RecordedRequest) -> str:
    """Fixers answer with FIX, test generators with TESTS, analyzers with a diagnosis."""
    role = role_of(request)
    if role.endswith("fixer"):
        return FIX
    if role.endswith("test-gen"):
        return TESTS
    return f"{role}: average_order_value divides by len(orders), which is 0 for an empty day."


def env_for(stub: StubLLMServer) -> dict[str, str]:
    """Provider variables pointing every configured provider at the stub."""
    return {
        "OPENAI_API_KEY": "sk-test-key-openai-000000",
        "OPENAI_BASE_URL": stub.openai_base_url,
        "ANTHROPIC_API_KEY": "test-anthropic",
        "ANTHROPIC_BASE_URL": stub.anthropic_base_url,
        "HEPHAESTUS_LOCAL_BASE_URL": stub.openai_base_url,
    }
