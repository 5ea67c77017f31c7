"""Secrets in logs are redacted at ingest (issue #12, probe 8): nothing stored or served
(store, `analyze --json`, and so the dashboard, API and MCP) carries them verbatim."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PY = sys.executable
SECRETS = {
    "url": "Sup3rS3cretPw",
    "aws": "AKIAIOSFODNN7EXAMPLE",
    "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "github": "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    "bearer": "tok3nV4lue.abcdefXYZ",
    "passwd": "Hunter3Plain",
}
LINES = [
    f"2024-05-01 10:00:00 ERROR db: cannot connect postgres://app:{SECRETS['url']}@db.internal/shop",
    f"2024-05-01 10:00:01 ERROR s3: upload refused for key {SECRETS['aws']}",
    f"2024-05-01 10:00:02 WARNING auth: rejected token {SECRETS['jwt']}",
    f"2024-05-01 10:00:03 ERROR git: clone failed with {SECRETS['github']}",
    f"2024-05-01 10:00:04 ERROR http: upstream 401 for Authorization: Bearer {SECRETS['bearer']}",
    f"2024-05-01 10:00:05 ERROR login: user admin passwd {SECRETS['passwd']} rejected",
]


def _analyze(tmp_path: Path, **env: str) -> tuple[str, bytes]:
    log = tmp_path / "app.log"
    log.write_text("\n".join(LINES) + "\n")
    data = tmp_path / "data"
    done = subprocess.run(
        [PY, "-m", "hephaestus", "analyze", str(log), "--no-fix", "--json"],
        env={**os.environ, "HEPHAESTUS_DATA_DIR": str(data), **env},
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    stored = b"".join(p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file())
    return done.stdout, stored


def test_secrets_are_redacted_at_ingest(tmp_path: Path) -> None:
    report, stored = _analyze(tmp_path)
    assert json.loads(report)["stats"]["issues"] >= 4
    assert "[REDACTED" in report
    for kind, secret in SECRETS.items():
        assert secret not in report, kind
        assert secret.encode() not in stored, kind


def test_redaction_can_be_turned_off(tmp_path: Path) -> None:
    report, _ = _analyze(tmp_path, HEPHAESTUS_PROCESS__REDACT_SECRETS="false")
    assert SECRETS["url"] in report
    assert SECRETS["passwd"] in report
