"""How sandboxed commands are confined: bubblewrap with every namespace and no capabilities.

Fed by the Sandbox (its temporary root, the original repository, extra env); feeds it the argv
prefix and scrubbed environment of each command, or SandboxUnavailable when nothing isolates.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from hephaestus.errors import HephaestusError

__all__ = [
    "Isolation",
    "SandboxUnavailable",
    "Variant",
    "die_with_parent",
    "isolation_available",
    "namespace_init",
    "program_dirs",
    "scrubbed_env",
]

Variant = Literal["bwrap", "none"]
_SYSTEM_PATH = ("/usr/local/bin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/sbin", "/sbin")
_SECRET_HINTS = ("KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "AUTH")
_NOBODY = 65534
_PR_SET_PDEATHSIG = 1
# Directories whose contents a test must not see: other users' and the caller's files,
# sockets of local daemons, other sandboxes' copies.
_HIDDEN = ("/tmp", "/var/tmp", "/run", "/root", "/home")  # noqa: S108 - hidden, not used


class SandboxUnavailable(HephaestusError):
    """No isolating variant works here and running tests unconfined was not allowed."""


@dataclass(frozen=True)
class Isolation:
    """A working variant: `exe` is the bwrap binary (empty for "none")."""

    variant: Variant
    exe: str = ""

    def prefix(
        self,
        *,
        root: Path,
        source: Path,
        cwd: Path,
        info_fd: int | None = None,
        program: str | None = None,
    ) -> list[str]:
        """The argv before the command: fresh user/PID/net/IPC/UTS/cgroup namespaces, no
        capabilities, / read-only, /tmp /run /root /home and the original repo hidden, only
        `root` (the sandbox's own directory) writable, killed with its parent. bwrap writes
        `{"child-pid": N}` (the namespace's init, as seen from here) to `info_fd`. `program`
        (the command's executable) keeps its interpreter visible, read-only, when it lives in a
        hidden directory (a project venv under the home directory)."""
        if self.variant == "none":
            return []
        argv = [self.exe, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
        if info_fd is not None:
            argv += ["--info-fd", str(info_fd)]
        if os.geteuid() == 0:  # mapped to nobody inside, still without any capability
            argv += ["--uid", str(_NOBODY), "--gid", str(_NOBODY)]
        argv += ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
        hidden: list[Path] = []
        for path in (*(Path(p) for p in _HIDDEN), Path.home(), source):
            if path != Path("/") and path.is_dir() and not path.is_symlink() and not _under(path, hidden):
                hidden.append(path)
                argv += ["--tmpfs", str(path)]
        for keep in dict.fromkeys([*_interpreter_dirs(), *program_dirs(program, cwd=cwd)]):
            if _under(keep, hidden) and not _under(source, [keep]) and not _under(keep, [source, root]):
                argv += ["--ro-bind", str(keep), str(keep)]
        argv += ["--bind", str(root), str(root), "--chdir", str(cwd), "--"]
        return argv


def _under(path: Path, dirs: list[Path]) -> bool:
    """Whether `path` is one of `dirs` or inside one of them."""
    return any(d == path or d in path.parents for d in dirs)


def scrubbed_env(home: Path, tmp: Path, extra: Mapping[str, str] | None) -> dict[str, str]:
    """The whole environment of a sandboxed command: no secrets of this process, ever."""
    exe_dir = str(Path(sys.executable).parent)
    parts = [exe_dir, *os.environ.get("PATH", os.pathsep.join(_SYSTEM_PATH)).split(os.pathsep)]
    path = os.pathsep.join(dict.fromkeys(p for p in parts if p))
    env = {
        "PATH": path,
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "GIT_CEILING_DIRECTORIES": str(home.parent),
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    for key, value in (extra or {}).items():
        upper = key.upper()
        if upper.startswith("HEPHAESTUS_") or any(hint in upper for hint in _SECRET_HINTS):
            raise ValueError(f"refusing to pass {key} into the sandbox")
        env[key] = value
    return env


def program_dirs(program: str | None, *, cwd: Path) -> list[Path]:
    """The installation a command's executable belongs to: its venv (the directory with
    pyvenv.cfg above bin/) and the base interpreter's prefix that venv points to."""
    if not program:
        return []
    found = program if "/" in program else shutil.which(program)
    if found is None:
        return []
    exe = Path(found) if Path(found).is_absolute() else cwd / found
    out: list[Path] = []
    for candidate in (exe.parent.parent, exe.resolve().parent.parent):
        cfg = candidate / "pyvenv.cfg"
        if candidate.is_dir() and candidate != Path("/"):
            out.append(candidate)
        try:
            lines = cfg.read_text(encoding="utf-8").splitlines() if cfg.is_file() else []
        except OSError:
            lines = []
        for line in lines:
            key, _, value = line.partition("=")
            if key.strip() == "home" and value.strip():
                base = Path(value.strip()).resolve().parent
                if base.is_dir() and base != Path("/"):
                    out.append(base)
    return list(dict.fromkeys(out))


def _interpreter_dirs() -> list[Path]:
    """The interpreter's prefixes (venv and base), re-exposed read-only when they lie in a
    hidden directory so `python -m pytest` keeps working inside."""
    dirs = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}
    return sorted(d for d in dirs if d != Path("/"))


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name, use_errno=True) if name else None


def die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """PR_SET_PDEATHSIG(SIGKILL): the child dies when the thread that started it dies."""
    libc = _libc()
    if libc is not None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def namespace_init(info_fd: int) -> int | None:
    """A pidfd of the sandbox's PID-namespace init, read from bwrap's --info-fd (closed here);
    SIGKILL to it ends the namespace, and the outer bwrap is reaped only once all of it is gone."""
    chunks: list[bytes] = []
    try:
        while chunk := os.read(info_fd, 4096):
            chunks.append(chunk)
    finally:
        os.close(info_fd)
    try:
        pid = int(json.loads(b"".join(chunks) or b"{}")["child-pid"])
        return os.pidfd_open(pid)
    except (ValueError, KeyError, TypeError, OSError):
        return None


@cache
def isolation_available() -> Isolation | None:
    """The bubblewrap variant when it actually confines a command here (probed once), else None."""
    exe = shutil.which("bwrap") or shutil.which("bwrap", path=os.pathsep.join(_SYSTEM_PATH))
    if exe is None:
        return None
    isolation = Isolation("bwrap", exe)
    root = Path(tempfile.mkdtemp(prefix="hephaestus-probe-")).resolve()
    try:
        check = 'test "$(cat /proc/self/status | grep CapEff)" = "$(printf "CapEff:\\t0000000000000000")"'
        argv = [*isolation.prefix(root=root, source=root, cwd=root), "sh", "-c", check]
        try:
            probe = subprocess.run(argv, capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return isolation if probe.returncode == 0 else None
    finally:
        os.rmdir(root)
