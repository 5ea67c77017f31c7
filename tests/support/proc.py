"""Environment for CLI subprocesses: minimal and secret-free, but passing coverage's own
variables so that `patch = ["subprocess"]` measures the child too."""

import os
import sys
from pathlib import Path


def child_env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(home),
        "LANG": "C.UTF-8",
    }
    env.update({k: v for k, v in os.environ.items() if k.startswith("COVERAGE_")})
    env.update(extra)
    return env
