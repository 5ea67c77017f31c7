"""A throwaway copy of a repository in which untrusted commands run under limits.

Fed by the Validator (a repo path and the commands to run: git apply, compile checks, the
test command); it returns SandboxResult records. The user's tree is only ever read.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import resource
import shlex
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Literal

from hephaestus.errors import InputError
from hephaestus.validate.isolation import (
    Isolation,
    SandboxUnavailable,
    Variant,
    die_with_parent,
    isolation_available,
    namespace_init,
    scrubbed_env,
)
from hephaestus.validate.limits import PidsCgroup

__all__ = ["SKIP_DIRS", "Sandbox", "SandboxResult"]

log = logging.getLogger(__name__)

SKIP_DIRS = frozenset(
    {".git", ".venv", "venv", "node_modules", "__pycache__", ".hephaestus", ".mypy_cache", ".pytest_cache"}
    | {".ruff_cache", ".tox", ".nox"}
)
_SHELL_CHARS = frozenset("|&;<>()$`\\\"'*?[]#~=%!{}\n")
_OUTPUT_TAIL = 64 * 1024
_FSIZE_LIMIT = 1024 * 1024 * 1024
_MEMORY_MARKERS = ("MemoryError", "Cannot allocate memory", "std::bad_alloc", "out of memory")

Limit = Literal["timeout", "cpu", "memory"]


@dataclass(frozen=True)
class SandboxResult:
    """One finished command: exit code (negative = killed by that signal), merged output tail."""

    argv: tuple[str, ...]
    returncode: int | None
    output: str
    duration_s: float
    timed_out: bool
    network_isolated: bool
    limit: Limit | None = None
    source_protected: bool = False
    variant: Variant = "none"

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


def _walk(root: Path) -> Iterator[Path]:
    """Repo-relative paths of every file and symlink to copy, sorted, skipping SKIP_DIRS."""
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        keep: list[str] = []
        for name in sorted(dirnames):
            if name in SKIP_DIRS:
                continue
            if (here / name).is_symlink():
                filenames.append(name)  # copied as a link, never followed
            else:
                keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            yield (here / name).relative_to(root)


class Sandbox:
    """A copy of `repo` in a fresh temporary directory; use as a context manager.

    Commands run with cwd = the copy, a scrubbed environment, rlimits on CPU time, address
    space and file size, and, under bubblewrap, in fresh user/PID/network namespaces with no
    capabilities, a read-only root and the original repository hidden; the whole process tree
    is killed on timeout, on an exception (Ctrl-C) and when this process dies. Without a
    working bubblewrap, SandboxUnavailable is raised unless `require_isolation=False` (or
    `isolate_network=False`, the explicit opt-out) lets commands run unconfined.
    """

    def __init__(
        self,
        repo: Path,
        *,
        timeout_s: float = 120.0,
        memory_mb: int = 2048,
        isolate_network: bool = True,
        require_isolation: bool = True,
        env: Mapping[str, str] | None = None,
        max_processes: int = 512,
    ) -> None:
        self.source = Path(repo).resolve()
        if not self.source.is_dir():
            raise InputError(f"repository {repo} is not a directory")
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.max_processes = max_processes
        self._pids: PidsCgroup | None = None
        self._extra_env = dict(env or {})
        found = isolation_available() if isolate_network else None
        if found is None and isolate_network:
            if require_isolation:
                raise SandboxUnavailable(
                    "no isolating sandbox works here (bubblewrap `bwrap` missing or unable to create"
                    " namespaces): tests are not run; install bubblewrap, or set"
                    " repair.allow_unisolated=true to run them unconfined"
                )
            log.warning("no isolating sandbox works here: running tests unconfined (repair.allow_unisolated)")
        self._isolation = found or Isolation("none")
        self._root: Path | None = None
        self._env: dict[str, str] = {}
        self.content_hash = ""

    @property
    def variant(self) -> Variant:
        """Which isolation wraps commands: "bwrap" or "none"."""
        return self._isolation.variant

    @property
    def network_isolated(self) -> bool:
        return self.variant != "none"

    @property
    def process_limit(self) -> int | None:
        """The cap on processes a command may run at once (a pids cgroup), None without one."""
        return self._pids.max_pids if self._pids is not None else None

    @property
    def source_protected(self) -> bool:
        """Whether commands cannot see (let alone write) the original repository."""
        return self.variant != "none"

    @property
    def path(self) -> Path:
        """The copy of the repository (the working directory of every command)."""
        if self._root is None:
            raise RuntimeError("sandbox is not open; use it as a context manager")
        return self._root / "repo"

    @property
    def scratch(self) -> Path:
        """A private directory next to the copy, for files the caller passes to commands."""
        return self.path.parent / "scratch"

    def __enter__(self) -> Sandbox:
        self._root = Path(tempfile.mkdtemp(prefix="hephaestus-sbx-")).resolve()
        try:
            if self.source in self._root.parents:
                raise InputError(f"the temporary directory {self._root.parent} is inside the repository")
            for name in ("home", "tmp", "scratch"):
                (self._root / name).mkdir()
            self.content_hash = self._copy()
            self._env = scrubbed_env(self._root / "home", self._root / "tmp", self._extra_env)
            self._pids = PidsCgroup.create(max_pids=self.max_processes)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Delete the temporary directory and the process cgroup (idempotent)."""
        if self._pids is not None:
            self._pids.close()
            self._pids = None
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None

    def _copy(self) -> str:
        """Copy regular files and symlinks (sockets, FIFOs and devices are skipped); hash them."""
        digest = hashlib.sha256()
        dest = self.path
        dest.mkdir()
        for rel in _walk(self.source):
            src, dst = self.source / rel, dest / rel
            try:
                if src.is_symlink():
                    target = os.readlink(src)
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    os.symlink(target, dst)
                    digest.update(f"{rel}\0L{target}\0".encode(errors="surrogateescape"))
                elif stat.S_ISREG(src.stat().st_mode):
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    data = src.read_bytes()
                    dst.write_bytes(data)
                    shutil.copymode(src, dst)
                    digest.update(f"{rel}\0".encode(errors="surrogateescape") + hashlib.sha256(data).digest())
            except OSError as exc:
                raise InputError(f"cannot copy {rel} from {self.source}: {exc.strerror or exc}") from exc
        return digest.hexdigest()

    def _preexec(self, cpu_s: int) -> None:  # pragma: no cover - runs in the child between fork and exec
        die_with_parent()
        if self._pids is not None:
            self._pids.join()
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))
        memory = self.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (_FSIZE_LIMIT, _FSIZE_LIMIT))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    def argv_for(self, command: str | Sequence[str]) -> list[str]:
        """The argv that runs `command`: a string is split, or given to sh when it uses the shell."""
        if isinstance(command, str):
            return ["sh", "-c", command] if _SHELL_CHARS & set(command) else shlex.split(command)
        return list(command)

    def run(self, command: str | Sequence[str], *, timeout_s: float | None = None) -> SandboxResult:
        """Run `command` in the copy and wait for it; its whole process tree is killed when it
        finishes, times out, or the wait is interrupted."""
        argv = self.argv_for(command)
        timeout = self.timeout_s if timeout_s is None else timeout_s
        root = self.path.parent
        info_r, info_w = os.pipe() if self.variant != "none" else (-1, -1)
        info = info_w if info_w >= 0 else None
        prefix = self._isolation.prefix(
            root=root, source=self.source, cwd=self.path, info_fd=info, program=_program(argv)
        )
        full = [*prefix, *argv]
        log_path = self.scratch / f"out-{time.monotonic_ns()}.log"
        start = time.monotonic()
        timed_out = False
        with log_path.open("wb") as out:
            try:
                proc = subprocess.Popen(
                    full,
                    cwd=self.path,
                    env=self._env,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    pass_fds=(info_w,) if info_w >= 0 else (),
                    preexec_fn=lambda: self._preexec(int(timeout) + 2),  # noqa: PLW1509
                )
            except OSError as exc:
                for fd in (info_r, info_w):
                    if fd >= 0:
                        os.close(fd)
                return SandboxResult(
                    tuple(argv), 127, f"cannot run {argv[0]}: {exc.strerror or exc}", 0.0, False,
                    self.network_isolated, variant=self.variant,
                )  # fmt: skip
            init: int | None = None
            if info_w >= 0:
                os.close(info_w)
                init = namespace_init(info_r)
            try:
                returncode: int | None = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                _kill_tree(proc, init)
                returncode = proc.wait()
            finally:  # stragglers (and, under bwrap, the whole PID namespace), also on Ctrl-C
                _kill_tree(proc, init)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=5)
                if init is not None:
                    os.close(init)
        duration = time.monotonic() - start
        output = _tail(log_path)
        log_path.unlink(missing_ok=True)
        if returncode == 1 and output.startswith("bwrap: execvp "):  # as a shell says it
            returncode, output = 127, f"cannot run {argv[0]}: {output.rpartition(': ')[2].strip()}"
        limit: Limit | None = "timeout" if timed_out else None
        if returncode == -signal.SIGXCPU and not timed_out:
            limit = "cpu"
        elif not timed_out and returncode != 0 and any(m in output for m in _MEMORY_MARKERS):
            limit = "memory"
        return SandboxResult(
            tuple(argv), returncode, output, duration, timed_out, self.network_isolated, limit,
            self.source_protected, self.variant,
        )  # fmt: skip


def _program(argv: Sequence[str]) -> str | None:
    """The executable a command starts: past `env VAR=value ...`, the first word of `sh -c`."""
    words = list(argv)
    if len(words) >= 3 and words[0] == "sh" and words[1] == "-c":
        try:
            words = shlex.split(words[2])
        except ValueError:
            return None
    if words and Path(words[0]).name == "env":
        words = words[1:]
    while words and "=" in words[0] and not words[0].startswith(("/", ".")):
        words = words[1:]
    return words[0] if words else None


def _kill_tree(proc: subprocess.Popen[bytes], init: int | None) -> None:
    """SIGKILL to the sandbox's namespace init, then wait for bwrap: it exits only once every
    process of the namespace is gone. Then SIGKILL to the launched process's session (bwrap,
    or the command itself without isolation, and what it left in its process group)."""
    if init is not None:
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(init, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _tail(path: Path) -> str:
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - _OUTPUT_TAIL))
        return handle.read().decode("utf-8", errors="replace")
