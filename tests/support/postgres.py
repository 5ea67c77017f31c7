"""A throwaway PostgreSQL server for the test session: initdb into a temp dir, pg_ctl start on a
free port of 127.0.0.1 (unix socket in the same temp dir, fsync off), stopped and deleted on exit.

PostgreSQL refuses to run as root: under root (CI containers) the server runs as the `postgres`
system user (created by Debian's postgresql package), else as `nobody`. Binaries are found on
PATH or in /usr/lib/postgresql/<version>/bin (Debian does not put them on PATH).
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

__all__ = ["LocalPostgres", "find_bindir"]

USER = "hephaestus"  # the superuser initdb creates; trust auth, reachable only from 127.0.0.1
TIMEZONE = "America/New_York"  # not UTC: results must not depend on the server's zone


def find_bindir() -> Path | None:
    """The directory with initdb, pg_ctl and postgres, or None when PostgreSQL is not installed."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).resolve().parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.parent.name)],
    )
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalPostgres:
    """`with LocalPostgres() as pg: pg.create_database("x")` -> a SQLAlchemy URL for database x."""

    def __init__(self, bindir: Path | None = None) -> None:
        found = bindir or find_bindir()
        if found is None:
            raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl) not found")
        self.bindir = found
        self.port = 0
        self._tmp: Path | None = None
        self._account = pwd.getpwnam(_run_as()) if os.geteuid() == 0 else None

    # --- lifecycle -----------------------------------------------------------------------------
    def __enter__(self) -> LocalPostgres:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def data(self) -> Path:
        assert self._tmp is not None, "server not started"
        return self._tmp / "data"

    @property
    def socket_dir(self) -> Path:
        assert self._tmp is not None, "server not started"
        return self._tmp

    def start(self) -> None:
        # under root, /tmp: the server account must reach the dir (TMPDIR may sit below /root)
        self._tmp = Path(tempfile.mkdtemp(prefix="heph-pg-", dir="/tmp" if self._account else None))
        if self._account is not None:
            os.chown(self._tmp, self._account.pw_uid, self._account.pw_gid)
        self._pg(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        for attempt in range(3):  # the free port may be taken between probe and bind
            self.port = _free_port()
            options = (
                f"-F -k {self.socket_dir} -h 127.0.0.1 -p {self.port} -c synchronous_commit=off "
                f"-c full_page_writes=off -c timezone={TIMEZONE} -c max_connections=40"
            )
            log = self.socket_dir / "server.log"
            try:
                self._pg(
                    "pg_ctl", "-D", str(self.data), "-l", str(log), "-w", "-t", "30", "-o", options, "start"
                )
                return
            except RuntimeError:
                if attempt == 2:
                    raise RuntimeError(log.read_text(errors="replace")[-2000:]) from None

    def stop(self) -> None:
        if self._tmp is None:
            return
        try:
            if (self.data / "postmaster.pid").exists():
                self._pg("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-t", "30", "stop")
        finally:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    # --- databases -----------------------------------------------------------------------------
    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """CREATE DATABASE `name` (a plain identifier); returns its SQLAlchemy URL."""
        import psycopg

        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
            raise ValueError(f"not a plain database name: {name!r}")
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=USER, dbname="postgres", autocommit=True
        ) as c:
            c.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    # --- helpers -------------------------------------------------------------------------------
    def _pg(self, tool: str, *args: str) -> None:
        env = {"PATH": f"{self.bindir}:/usr/bin:/bin", "LANG": "C", "LC_ALL": "C", "TZ": "UTC"}
        account = self._account
        if account is not None:
            env["HOME"] = str(self.socket_dir)
        result = subprocess.run(
            [str(self.bindir / tool), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=self.socket_dir,
            timeout=90,
            check=False,
            user=account.pw_uid if account else None,
            group=account.pw_gid if account else None,
            extra_groups=[] if account else None,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def _run_as() -> str:
    """The unprivileged account the server runs as when we are root."""
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("running as root and neither a `postgres` nor a `nobody` account exists")
