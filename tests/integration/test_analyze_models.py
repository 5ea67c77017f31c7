"""`hephaestus analyze` with model providers configured through the standard variables:
the real CLI, the real SDKs, a local stub speaking their wire formats."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from hephaestus.solve.testing import StubLLMServer
from tests.integration.test_providers_stub import env_for, scripted
from tests.support.proc import child_env

ROOT = Path(__file__).resolve().parents[2]


def test_analyze_uses_the_configured_models_and_validates_their_fix(tmp_path):
    repo = tmp_path / "shop"
    shutil.copytree(
        ROOT / "examples/shop", repo, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache")
    )
    with StubLLMServer(reply=scripted) as stub:
        env = child_env(tmp_path, HEPHAESTUS_DATA_DIR=str(tmp_path / "data"), **env_for(stub))
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "hephaestus",
                "analyze",
                str(ROOT / "examples/logs/shop.log"),
                "--repo",
                str(repo),
                "--json",
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )
        received = list(stub.requests)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    zde = next(i for i in doc["issues"] if i["error_type"] == "ZeroDivisionError")
    assert zde["solution"]["status"] == "validated"
    assert zde["solution"]["provider"] != "builtin"
    assert ":" in zde["solution"]["provider"]
    assert "tests/test_model_empty_orders.py" in zde["solution"]["patch"]
    assert received, "the stub saw no request"
    assert all("sk-test-key" not in json.dumps(r.body) for r in received)
