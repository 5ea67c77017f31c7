"""Hostile tests against the validation sandbox (issue #12, probes 2-4).

Each one is what a patch's conftest.py or test did to the machine running Hephaestus: remount
and write the original repo, read the parent's secrets from /proc, leave processes behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from hephaestus.validate import Sandbox, Validator
from tests.security.conftest import digest, needs_sandbox, new_file_diff, pids_with

PY = sys.executable
pytestmark = needs_sandbox


def _eventually(check: Callable[[], bool], *, within_s: float = 30.0) -> bool:
    """Poll `check` until it holds or `within_s` passes (a bound, not a timing assertion)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def _vandal(orig: Path) -> str:
    return (
        "import os, subprocess\n"
        f"ORIG = {str(orig)!r}\n"
        "for cmd in (['mount', '-o', 'remount,bind,rw', ORIG, ORIG], ['umount', '-l', ORIG],\n"
        "            ['mount', '-o', 'remount,rw', '/'], ['mount', '-t', 'tmpfs', 'x', '/mnt']):\n"
        "    subprocess.run(cmd, capture_output=True)\n"
        "for name, mode in (('pwned.txt', 'w'), ('calc.py', 'a')):\n"
        "    try:\n"
        "        with open(os.path.join(ORIG, name), mode) as f:\n"
        "            f.write('# vandal\\n')\n"
        "    except OSError:\n"
        "        pass\n"
    )


def test_hostile_conftest_cannot_remount_or_write_the_original_repo(repo: Path) -> None:
    before = digest(repo)
    patch = new_file_diff("conftest.py", _vandal(repo.resolve()))
    result = Validator(timeout_s=120).validate(repo, patch)
    assert result.applied
    assert digest(repo) == before
    assert not (repo / "pwned.txt").exists()


def test_tests_run_without_capabilities_and_not_as_root(repo: Path) -> None:
    with Sandbox(repo) as box:
        result = box.run(["sh", "-c", "grep -E '^Cap(Eff|Prm|Bnd)' /proc/self/status; id -u"])
    assert result.ok, result.output
    lines = result.output.split()
    assert lines.count("0000000000000000") == 3
    assert lines[-1] != "0"


_READER = (
    "import os\n"
    "found = []\n"
    "for entry in os.listdir('/proc'):\n"
    "    if entry.isdigit():\n"
    "        try:\n"
    "            found.append(open(f'/proc/{entry}/environ', 'rb').read().decode(errors='replace'))\n"
    "        except OSError:\n"
    "            pass\n"
    "print('ppid', os.getppid(), '\\n'.join(found))\n"
)
_PROBE_ENV = (
    "import sys\n"
    "from pathlib import Path\n"
    "from hephaestus.validate import Sandbox\n"
    "with Sandbox(Path(sys.argv[1])) as box:\n"
    "    print(box.run([sys.executable, '-c', sys.argv[2]]).output)\n"
)


def test_parent_environment_is_out_of_reach(repo: Path, token: str) -> None:
    env = {**os.environ, "HEPHAESTUS_API__TOKEN": token, "OPENAI_API_KEY": token}  # the validating process's
    done = subprocess.run(
        [PY, "-c", _PROBE_ENV, str(repo), _READER],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "ppid " in done.stdout
    assert token not in done.stdout


def test_setsid_child_does_not_outlive_the_run(repo: Path, token: str) -> None:
    sleeper = f"setsid {PY} -c 'import time; time.sleep(300)' {token} >/dev/null 2>&1 & sleep 0.2"
    with Sandbox(repo) as box:
        result = box.run(["sh", "-c", sleeper])
    assert result.ok, result.output
    assert pids_with(token) == []


def test_timeout_kills_the_whole_tree(repo: Path, token: str) -> None:
    sleeper = (
        f"setsid {PY} -c 'import time; time.sleep(300)' {token} & {PY} -c 'import time; time.sleep(300)'"
    )
    with Sandbox(repo, timeout_s=60) as box:
        result = box.run(["sh", "-c", sleeper], timeout_s=1)
    assert result.timed_out
    assert pids_with(token) == []


def _shop_with_hanging_suite(dest: Path, token: str) -> Path:
    """The shop example whose conftest starts a setsid child and then hangs the test run."""
    from tests.support.shop import copy_shop

    repo = copy_shop(dest)
    (repo / "conftest.py").write_text(
        "import subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)', {token!r}],"
        " start_new_session=True)\n"
        "time.sleep(300)\n"
    )
    return repo


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_the_tree_dies_with_analyze(tmp_path: Path, token: str, sig: signal.Signals) -> None:
    from tests.support.shop import SHOP_LOG

    repo = _shop_with_hanging_suite(tmp_path / "shop", token)
    env = {**os.environ, "HEPHAESTUS_DATA_DIR": str(tmp_path / "data")}
    cli = subprocess.Popen(
        [PY, "-m", "hephaestus", "analyze", str(SHOP_LOG), "--repo", str(repo)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    copy: Path | None = None
    try:
        assert _eventually(lambda: bool(pids_with(token)), within_s=120), "the hostile suite never started"
        copy = Path(os.readlink(f"/proc/{pids_with(token)[0]}/cwd"))
        cli.send_signal(sig)
        cli.wait(timeout=60)
        assert _eventually(lambda: not pids_with(token)), f"still running after {sig.name}"
        if sig != signal.SIGKILL:  # an interrupt unwinds: the temporary copy is gone too
            assert cli.returncode == (130 if sig == signal.SIGINT else 128 + sig)
            assert not copy.exists()
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()
        if copy is not None and copy.name == "repo" and copy.parent.name.startswith("hephaestus-sbx-"):
            shutil.rmtree(copy.parent, ignore_errors=True)  # SIGKILL leaves it; nothing can delete it then


def test_a_project_venv_in_a_hidden_directory_runs_without_exposing_its_neighbours(
    repo: Path, tmp_path: Path
) -> None:
    """The test command's own interpreter (a venv under /tmp or the home directory, hidden from
    tests) is re-exposed read-only; the files beside it stay hidden."""
    venv = tmp_path / "project-venv"
    subprocess.run([PY, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
    secret = tmp_path / "neighbour-secret.txt"
    secret.write_text("hidden\n")
    probe = f"import os, sys; print(sys.prefix); print(os.path.exists({str(secret)!r}))"
    with Sandbox(repo, timeout_s=60) as box:
        direct = box.run([str(venv / "bin" / "python"), "-c", probe])
        via_env = box.run(["env", "PYTHONPATH=/nowhere", str(venv / "bin" / "python"), "-c", probe])
        write = box.run([str(venv / "bin" / "python"), "-c", f"open({str(venv / 'x')!r}, 'w')"])
    for done in (direct, via_env):
        assert done.returncode == 0, done.output
        assert done.output.split() == [str(venv), "False"]
    assert write.returncode != 0  # read-only
    assert not (venv / "x").exists()


def test_a_fork_bomb_stops_at_the_process_cap(repo: Path) -> None:
    """Where a pids cgroup can be made, a test forking without end gets EAGAIN at the cap and
    cannot move itself out of the cgroup."""
    bomb = (
        "import os, time\n"
        "n = 0\n"
        "try:\n"
        "    for _ in range(2000):\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(5)\n"
        "            os._exit(0)\n"
        "        n += 1\n"
        "except OSError as exc:\n"
        "    print('stopped', n, exc.errno)\n"
        "else:\n"
        "    print('forked', n)\n"
        "cg = [l.split(':', 2)[2] for l in open('/proc/self/cgroup') if 'pids' in l or l.startswith('0::')]\n"
        "for path in cg:\n"
        "    for base in ('/sys/fs/cgroup/pids', '/sys/fs/cgroup'):\n"
        "        try:\n"
        "            open(base + '/cgroup.procs', 'w').write(str(os.getpid()))\n"
        "            print('escaped', base)\n"
        "        except OSError:\n"
        "            pass\n"
    )
    with Sandbox(repo, timeout_s=60, max_processes=64) as box:
        if box.process_limit is None:
            pytest.skip("no writable pids cgroup here")
        assert box.process_limit == 64
        done = box.run([PY, "-c", bomb])
    words = done.output.split()
    assert words[:1] == ["stopped"], done.output
    assert int(words[1]) < 64
    assert "escaped" not in done.output
