"""`hephaestus analyze` with model providers configured through the standard variables:
the real CLI, the real SDKs, a local stub speaking their wire formats."""

import json
import subprocess
import sys

from hephaestus.solve.testing import StubLLMServer
from tests.support.proc import child_env
from tests.support.shop import SHOP_LOG, copy_shop, env_for, scripted


def test_analyze_uses_the_configured_models_and_validates_their_fix(tmp_path):
    repo = copy_shop(tmp_path / "shop")
    with StubLLMServer(reply=scripted) as stub:
        env = child_env(tmp_path, HEPHAESTUS_DATA_DIR=str(tmp_path / "data"), **env_for(stub))
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "hephaestus",
                "analyze",
                str(SHOP_LOG),
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
