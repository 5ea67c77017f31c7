"""Shared plumbing for the corpus triggers.

Every case's ``trigger.py`` really runs the buggy code through Python's ``logging`` and hands the
captured text to :func:`run`, which rewrites machine-specific paths so the log reads as it would on
a server: the case checkout becomes the deployment path (``/srv/app``, ``/opt/<name>`` ...), the
interpreter's stdlib becomes ``/usr/local/lib/python3.11`` and site-packages follows it.

Output is deterministic (seeded clock, fixed pid/host), so ``check_corpus.py`` can verify that the
committed ``app.log`` is exactly what the trigger produces today.

Formats (``fmt=``):
  default   ``2026-11-24 02:00:00,371 ERROR [name] message`` + traceback (logging.Formatter-like)
  basic     ``ERROR:name:message`` + traceback (``logging.basicConfig()`` default, no timestamps)
  gunicorn  ``[2026-11-24 02:00:00 +0000] [4121] [ERROR] name: message`` + traceback
  loguru    ``2026-11-24 02:00:00.371 | ERROR    | name:func:42 - message`` + traceback
  json      one JSON object per line, traceback in ``exc_info``
  logstash  one JSON object per line (logstash-logback style), traceback in ``stack_trace``
  ecs       one JSON object per line (Elastic Common Schema), ``error.type``/``error.stack_trace``
  journald  ``journalctl`` output: every physical line (traceback included) carries the syslog prefix
"""

from __future__ import annotations

import io
import json
import logging
import os
import random
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from datetime import datetime, timedelta

STDLIB = sysconfig.get_paths()["stdlib"]
PURELIB = sysconfig.get_paths()["purelib"]
DEPLOY_STDLIB = "/usr/local/lib/python3.11"
DEPLOY_SITE = DEPLOY_STDLIB + "/site-packages"


class Ctx:
    """What a scenario gets: its logger, a seeded RNG, and a helper to interleave routine traffic."""

    def __init__(self, log: logging.Logger, rnd: random.Random, app: str) -> None:
        self.log = log
        self.rnd = rnd
        self.http = logging.getLogger(f"{app}.http")

    def noise(self, n: int = 3) -> None:
        paths = ["/healthz", "/api/v1/items", "/api/v1/status", "/metrics", "/api/v1/orders"]
        for _ in range(n):
            self.http.info(
                "%s %s %d %dms",
                self.rnd.choice(["GET", "GET", "POST"]),
                self.rnd.choice(paths),
                self.rnd.choice([200, 200, 200, 204, 304]),
                self.rnd.randint(2, 90),
            )


class _Formatter(logging.Formatter):
    def __init__(self, fmt: str, start: datetime, rnd: random.Random, app: str, pid: int) -> None:
        super().__init__()
        self.fmt, self.now, self.rnd, self.app, self.pid = fmt, start, rnd, app, pid

    def format(self, record: logging.LogRecord) -> str:
        self.now += timedelta(milliseconds=self.rnd.randint(20, 1500))
        ts = self.now
        ms = f"{ts.microsecond // 1000:03d}"
        iso = ts.strftime("%Y-%m-%dT%H:%M:%S.") + ms + "Z"
        msg = record.getMessage()
        exc = self.formatException(record.exc_info) if record.exc_info else None
        lvl, name = record.levelname, record.name
        f = self.fmt
        if f in ("json", "logstash", "ecs"):
            if f == "json":
                doc: dict = {"timestamp": iso, "level": lvl, "logger": name, "message": msg}
                if exc:
                    doc["exc_info"] = exc
            elif f == "logstash":
                doc = {"@timestamp": iso, "@version": "1", "message": msg, "logger_name": name,
                       "thread_name": "MainThread", "level": lvl, "level_value": record.levelno * 1000}
                if exc:
                    doc["stack_trace"] = exc
            else:
                doc = {"@timestamp": iso, "log.level": lvl.lower(), "message": msg,
                       "ecs.version": "1.6.0", "log.logger": name, "service.name": self.app,
                       "process.pid": self.pid}
                if record.exc_info and record.exc_info[1] is not None:
                    e = record.exc_info[1]
                    mod = type(e).__module__
                    doc["error.type"] = type(e).__qualname__ if mod == "builtins" else f"{mod}.{type(e).__qualname__}"
                    doc["error.message"] = str(e)
                    doc["error.stack_trace"] = exc
            return json.dumps(doc)
        if f == "default":
            head = f"{ts:%Y-%m-%d %H:%M:%S},{ms} {lvl} [{name}] {msg}"
        elif f == "basic":
            head = f"{lvl}:{name}:{msg}"
        elif f == "gunicorn":
            head = f"[{ts:%Y-%m-%d %H:%M:%S} +0000] [{self.pid}] [{lvl}] {name}: {msg}"
        elif f == "loguru":
            head = f"{ts:%Y-%m-%d %H:%M:%S}.{ms} | {lvl:<8} | {name}:{record.funcName}:{record.lineno} - {msg}"
        elif f == "journald":
            head = f"{lvl} {name}: {msg}"
        else:
            raise ValueError(f"unknown format {f!r}")
        text = head + ("\n" + exc if exc else "")
        if f == "journald":
            prefix = f"{ts:%b %d %H:%M:%S} web-2 {self.app}[{self.pid}]: "
            text = "\n".join(prefix + line for line in text.split("\n"))
        return text


def _out_path(here: str) -> str:
    argv = sys.argv[1:]
    if "--out" in argv:
        return argv[argv.index("--out") + 1]
    return os.path.join(here, "app.log")


def rewrite(text: str, here: str, deploy: str, extra: dict[str, str] | None = None) -> str:
    """Checkout paths -> deployment paths (longest first)."""
    pairs = dict(extra or {})
    pairs[os.path.join(here, "repo")] = deploy
    pairs[here] = deploy
    pairs[PURELIB] = DEPLOY_SITE
    pairs[STDLIB] = DEPLOY_STDLIB
    for src in sorted(pairs, key=len, reverse=True):
        text = text.replace(src, pairs[src])
    return text


def _write(here: str, text: str) -> None:
    out = _out_path(here)
    if out == "-":
        sys.stdout.write(text)
        return
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(text)


def capture(scenario, *, fmt: str, logger: str, seed: int, app: str) -> str:
    rnd = random.Random(seed)
    start = datetime(2026, 1 + seed % 12, 1 + seed % 27, 1 + seed % 22, seed % 60, 0)
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.setFormatter(_Formatter(fmt, start, random.Random(seed * 7919), app, 1000 + seed * 37))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    scenario(Ctx(logging.getLogger(logger), rnd, app))
    handler.flush()
    return buf.getvalue()


def run(here: str, scenario, *, deploy: str, fmt: str = "default", logger: str = "app", seed: int = 1,
        extra: dict[str, str] | None = None, unprivileged: bool = False) -> None:
    """Run ``scenario(ctx)`` with production-like logging and write the rewritten log.

    ``unprivileged``: when running as root, run the scenario in a forked child that dropped to
    uid/gid 65534, so that file permissions really apply (used by the permission-denied case).
    """
    app = logger.split(".")[0]
    if unprivileged and os.geteuid() == 0:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(r)
            code = 0
            try:
                os.setgid(65534)
                os.setuid(65534)
                text = capture(scenario, fmt=fmt, logger=logger, seed=seed, app=app)
                os.write(w, text.encode("utf-8"))
            except BaseException:  # pragma: no cover - reported by the parent
                code = 1
            finally:
                os.close(w)
                os._exit(code)
        os.close(w)
        chunks = []
        while True:
            chunk = os.read(r, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(r)
        _, status = os.waitpid(pid, 0)
        if status != 0:
            raise SystemExit("unprivileged scenario failed")
        text = b"".join(chunks).decode("utf-8")
    else:
        text = capture(scenario, fmt=fmt, logger=logger, seed=seed, app=app)
    _write(here, rewrite(text, here, deploy, extra))


def run_pytest(here: str, *, deploy: str) -> None:
    """Logic-bug cases: the "log" is the CI output of the (hidden) failing test, run against the repo."""
    tmp = tempfile.mkdtemp(prefix="heph-corpus-")
    try:
        dst = os.path.join(tmp, "repo")
        shutil.copytree(os.path.join(here, "repo"), dst)
        shutil.copy(os.path.join(here, "hidden", "test_hidden.py"), os.path.join(dst, "tests", "test_hidden.py"))
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", COLUMNS="100", NO_COLOR="1")
        env.pop("PYTEST_ADDOPTS", None)
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/test_hidden.py"],
            cwd=dst, env=env, capture_output=True, text=True, timeout=120,
        )
        text = proc.stdout + proc.stderr
        text = rewrite(text, here, deploy, {dst: deploy})
        text = re.sub(r"in \d+\.\d+s", "in 0.21s", text)
        text = re.sub(r"pluggy-[\d.]+", "pluggy-1.6.0", text)
        text = re.sub(r"^plugins: .*\n", "", text, flags=re.M)
        _write(here, text)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
