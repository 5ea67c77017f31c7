"""A process-count limit for sandboxed commands: a pids cgroup of their own, where one can be made.

Fed by the Sandbox (the cap, on open); the sandbox's child joins the cgroup between fork and
exec, so every process a test starts counts against it (a fork bomb stops at the cap). Uses the
cgroup v2 hierarchy when the pids controller is delegated there, else cgroup v1's pids hierarchy;
without either (no permission, no controller) there is no cgroup and only rlimits apply.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from pathlib import Path

__all__ = ["PidsCgroup"]

_ROOT = Path("/sys/fs/cgroup")


def _own_cgroups() -> dict[str, str]:
    """This process's cgroup path per hierarchy ("" for v2, else the controller list)."""
    out: dict[str, str] = {}
    try:
        text = Path("/proc/self/cgroup").read_text(encoding="utf-8")
    except OSError:
        return out
    for line in text.splitlines():
        _, controllers, path = line.split(":", 2)
        out[controllers] = path
    return out


def _candidates(root: Path) -> list[Path]:
    """Where a child cgroup with a pids controller may be made, best first."""
    own = _own_cgroups()
    found: list[Path] = []
    v2 = root / own.get("", "/").lstrip("/")
    try:
        delegated = "pids" in (v2 / "cgroup.subtree_control").read_text(encoding="utf-8").split()
    except OSError:
        delegated = False
    if delegated:
        found.append(v2)
    for controllers, path in own.items():
        if "pids" in controllers.split(","):
            found.append(root / "pids" / path.lstrip("/"))
    return found


class PidsCgroup:
    """A fresh cgroup whose pids.max is the cap; `join()` moves the calling process into it."""

    def __init__(self, path: Path, max_pids: int) -> None:
        self.path = path
        self.max_pids = max_pids

    @classmethod
    def create(cls, *, max_pids: int, root: Path = _ROOT) -> PidsCgroup | None:
        """A new capped cgroup, or None when no pids hierarchy here is writable."""
        for parent in _candidates(root):
            path = parent / f"hephaestus-{uuid.uuid4().hex[:12]}"
            try:
                path.mkdir()
            except OSError:
                continue
            try:
                (path / "pids.max").write_text(f"{max_pids}\n", encoding="utf-8")
            except OSError:
                with contextlib.suppress(OSError):
                    path.rmdir()
                continue
            return cls(path, max_pids)
        return None

    def join(self) -> None:  # pragma: no cover - runs in the child between fork and exec
        """Move this process (and so all it will start) into the cgroup."""
        fd = os.open(self.path / "cgroup.procs", os.O_WRONLY)
        try:
            os.write(fd, str(os.getpid()).encode())
        finally:
            os.close(fd)

    def close(self, *, wait_s: float = 5.0) -> None:
        """Remove the cgroup once its processes are gone (idempotent; best effort)."""
        deadline = time.monotonic() + wait_s
        while self.path.exists():
            try:
                self.path.rmdir()
            except OSError:
                if time.monotonic() > deadline:
                    return
                time.sleep(0.05)
