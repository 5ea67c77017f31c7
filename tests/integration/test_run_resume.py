"""`hephaestus run` follows files and resumes after SIGTERM or kill -9 without losing or
re-counting a line (real subprocesses, real SQLite store and local bus)."""

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from hephaestus.process.templates import TemplateMiner
from hephaestus.store import Store
from tests.support.proc import child_env

TRACE = (
    "2026-01-01 10:00:{s:02d},000 ERROR [worker] job {n} failed\n"
    "Traceback (most recent call last):\n"
    '  File "/srv/app/worker/jobs.py", line 12, in run_job\n'
    "    return payload['sku']\n"
    "KeyError: 'sku'\n"
)
INFO = "2026-01-01 10:00:{s:02d},500 INFO [worker] heartbeat {n}\n"


def _append(path: Path, start: int, count: int) -> None:
    with path.open("a") as fh:
        for n in range(start, start + count):
            fh.write(INFO.format(s=n % 60, n=n))
            fh.write(TRACE.format(s=n % 60, n=n))
        fh.flush()


def _start(config: Path, tmp_path: Path) -> subprocess.Popen[str]:
    env = child_env(tmp_path)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hephaestus",
            "run",
            "--config",
            str(config),
            "--stages",
            "collect,process,analyze",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_count(store_url: str, expected: int, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    count = -1
    while time.monotonic() < deadline:
        store = Store(store_url)
        issues = store.issues()
        store.close()
        count = issues[0].count if issues else 0
        if count >= expected:
            return count
        time.sleep(0.2)
    return count


def test_run_follows_and_resumes_after_sigterm_and_kill9(tmp_path):
    log = tmp_path / "worker.log"
    log.write_text("")
    data = tmp_path / "data"
    config = tmp_path / "hephaestus.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "data_dir": str(data),
                "collect": {"files": [str(log)], "poll_interval_s": 0.1},
            }
        )
    )
    url = f"sqlite:///{data / 'hephaestus.sqlite'}"

    proc = _start(config, tmp_path)
    _append(log, 0, 20)
    assert _wait_count(url, 20) == 20
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopped after moving" in err

    _append(log, 20, 30)  # written while nothing runs
    proc = _start(config, tmp_path)
    assert _wait_count(url, 50) == 50
    _append(log, 50, 200)
    time.sleep(0.3)
    proc.kill()  # kill -9 somewhere in the middle of the stream
    proc.wait(timeout=10)

    proc = _start(config, tmp_path)
    try:
        assert _wait_count(url, 250) == 250
        time.sleep(1.0)  # nothing may be counted twice after the restart
        store = Store(url)
        (issue,) = store.issues()
        assert issue.count == 250
        assert store.event_count() == 250
        assert issue.error_type == "KeyError"
        store.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    assert proc.returncode == 0


def test_run_without_files_is_a_config_error(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump({"data_dir": str(tmp_path / "d")}))
    result = subprocess.run(
        [sys.executable, "-m", "hephaestus", "run", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=child_env(tmp_path),
    )
    assert result.returncode == 2
    assert "no files to follow" in result.stderr
    assert "Traceback" not in result.stderr


def test_collector_processor_analyzer_as_separate_processes(tmp_path):
    log = tmp_path / "worker.log"
    _append(log, 0, 60)
    data = tmp_path / "data"
    config = tmp_path / "hephaestus.yaml"
    config.write_text(
        yaml.safe_dump({"data_dir": str(data), "collect": {"files": [str(log)], "poll_interval_s": 0.1}})
    )
    url = f"sqlite:///{data / 'hephaestus.sqlite'}"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "hephaestus", service, "--config", str(config)],
            env=child_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for service in ("analyzer", "processor", "collector")
    ]
    try:
        first = _wait_count(url, 60)
        if first == 60:
            _append(log, 60, 40)
        second = _wait_count(url, 100) if first == 60 else first
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        errors = [proc.communicate(timeout=30)[1] for proc in procs]
    assert (first, second) == (60, 100), errors  # the services' stderr explains a shortfall
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    store = Store(url)
    assert store.issues()[0].count == 100
    store.close()


def test_run_with_a_repo_solves_new_issues(tmp_path):
    root = Path(__file__).resolve().parents[2]
    repo = tmp_path / "shop"
    shutil.copytree(
        root / "examples" / "shop", repo, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache")
    )
    log = tmp_path / "shop.log"
    log.write_text((root / "examples" / "logs" / "shop.log").read_text())
    data = tmp_path / "data"
    config = tmp_path / "hephaestus.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "data_dir": str(data),
                "repo": str(repo),
                "collect": {"files": [str(log)], "poll_interval_s": 0.1},
            }
        )
    )
    url = f"sqlite:///{data / 'hephaestus.sqlite'}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "hephaestus", "run", "--config", str(config)],
        env=child_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        solution = diagnosis = None
        while time.monotonic() < deadline and (solution is None or diagnosis is None):
            store = Store(url)
            by_type = {i.error_type: i for i in store.issues()}
            if "ZeroDivisionError" in by_type:
                solution = store.solution(by_type["ZeroDivisionError"].id)
            others = [i for t, i in by_type.items() if t != "ZeroDivisionError"]
            if others:
                diagnosis = store.diagnosis(others[0].id)
            store.close()
            time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    assert solution is not None, err
    assert solution.status == "validated"
    assert "if not orders" in solution.patch
    assert diagnosis
    assert (repo / "shop" / "pricing.py").read_text().count("if not orders") == 0  # never applied


def test_run_keeps_the_template_miner_state_across_restarts(tmp_path):
    log = tmp_path / "worker.log"
    _append(log, 0, 5)
    data = tmp_path / "data"
    config = tmp_path / "hephaestus.yaml"
    config.write_text(
        yaml.safe_dump({"data_dir": str(data), "collect": {"files": [str(log)], "poll_interval_s": 0.1}})
    )
    proc = _start(config, tmp_path)
    assert _wait_count(f"sqlite:///{data / 'hephaestus.sqlite'}", 5) == 5
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=30)
    state = json.loads((data / "templates.json").read_text())
    miner = TemplateMiner.from_state(state)
    sizes = {t.template: t.size for t in miner.templates()}
    heartbeat = next(size for template, size in sizes.items() if template.startswith("heartbeat"))
    assert heartbeat == 5  # the five heartbeat lines of the first run
    again = miner.add("heartbeat 12345")
    assert again.change == "none"
    assert again.size == 6  # the restored group keeps counting where the last run stopped
