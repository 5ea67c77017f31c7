"""Sandbox: copy, scrubbed environment, limits, network isolation, cleanup."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from hephaestus.errors import InputError
from hephaestus.validate import Sandbox, SandboxUnavailable, isolation_available

PY = sys.executable


def test_copy_skips_clutter_keeps_links_and_cleans_up(repo: Path) -> None:
    (repo / "link.py").symlink_to("calc.py")
    (repo / "linked_dir").symlink_to("tests")
    with Sandbox(repo) as box:
        copy = box.path
        assert (copy / "calc.py").read_text() == (repo / "calc.py").read_text()
        assert (copy / "link.py").is_symlink()
        assert (copy / "linked_dir").is_symlink()
        for junk in (".git", ".venv", "node_modules", "__pycache__", ".pytest_cache"):
            assert not (copy / junk).exists()
        assert copy != repo.resolve()
        assert len(box.content_hash) == 64
    assert not copy.exists()
    with pytest.raises(RuntimeError, match="not open"):
        _ = box.path


def test_content_hash_follows_content(repo: Path) -> None:
    with Sandbox(repo) as one, Sandbox(repo) as two:
        assert one.content_hash == two.content_hash
    (repo / "calc.py").write_text("x = 1\n")
    with Sandbox(repo) as three:
        assert three.content_hash != one.content_hash
    (repo / "__pycache__" / "junk.txt").write_text("ignored")
    with Sandbox(repo) as four:
        assert four.content_hash == three.content_hash


def test_missing_repo_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        Sandbox(tmp_path / "nope")


def test_environment_is_scrubbed(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    monkeypatch.setenv("HEPHAESTUS_KAFKA__SASL_PASSWORD", "hunter2")
    monkeypatch.setenv("SOME_PLAIN_VAR", "x")
    with Sandbox(repo, env={"EXTRA_FLAG": "1"}) as box:
        code = "import os, json; print(json.dumps(dict(os.environ)))"
        result = box.run([PY, "-c", code])
        assert result.ok, result.output
        env = json.loads(result.output)
        assert "OPENAI_API_KEY" not in env
        assert not any(k.startswith("HEPHAESTUS_") for k in env)
        assert "SOME_PLAIN_VAR" not in env
        assert env["EXTRA_FLAG"] == "1"
        assert env["PYTHONHASHSEED"] == "0"
        assert env["PYTHONDONTWRITEBYTECODE"] == "1"
        assert Path(env["HOME"]).parent == box.path.parent
        assert Path(env["TMPDIR"]).parent == box.path.parent
        assert env["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)
        cwd = box.run(["python", "-c", "import os, sys; print(os.getcwd()); print(sys.executable)"])
        lines = cwd.output.split()
        assert Path(lines[0]) == box.path
        assert Path(lines[1]).parent == Path(sys.executable).parent


@pytest.mark.parametrize("name", ["GITHUB_TOKEN", "HEPHAESTUS_REPO", "DB_PASSWORD"])
def test_secret_looking_extra_env_is_refused(repo: Path, name: str) -> None:
    with pytest.raises(ValueError, match="refusing"), Sandbox(repo, env={name: "x"}):
        pass


def test_timeout_kills_the_process_group(repo: Path) -> None:
    with Sandbox(repo, timeout_s=1) as box:
        result = box.run("sleep 30 & sleep 30; echo never")
    assert result.timed_out
    assert result.limit == "timeout"
    assert not result.ok
    assert "never" not in result.output


def test_memory_hog_hits_the_limit(repo: Path) -> None:
    with Sandbox(repo, memory_mb=256) as box:
        result = box.run([PY, "-c", "b = bytearray(1024 ** 3); print('allocated')"])
    assert result.returncode != 0
    assert result.limit == "memory"
    assert "MemoryError" in result.output
    assert "allocated" not in result.output


def test_exit_codes_shell_commands_and_missing_programs(repo: Path) -> None:
    with Sandbox(repo) as box:
        assert box.run("false").returncode == 1
        assert box.run("exit 3 || true; exit 3").returncode == 3
        assert box.run("echo $HOME").output.strip() == str(box.path.parent / "home")
        missing = box.run(["definitely-not-a-program-xyz"])
        assert missing.returncode == 127
        assert not missing.ok
        split = box.run(f"{PY} -c 'print(41 + 1)'")
        assert split.argv[0] == "sh"
        assert box.run([PY, "-c", "print(41 + 1)"]).output.strip() == "42"


def test_output_keeps_only_the_tail(repo: Path) -> None:
    with Sandbox(repo) as box:
        result = box.run([PY, "-c", "print('x' * 500_000); print('THE END')"])
    assert result.ok
    assert len(result.output) <= 64 * 1024
    assert result.output.rstrip().endswith("THE END")


@pytest.mark.skipif(isolation_available() is None, reason="bubblewrap cannot isolate here")
def test_network_is_unreachable_but_loopback_works(repo: Path) -> None:
    probe = (
        "import socket\n"
        "srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen()\n"
        "socket.create_connection(srv.getsockname(), timeout=2).close(); print('loopback ok')\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 80), timeout=3); print('NETWORK OPEN')\n"
        "except OSError as exc:\n"
        "    print('blocked', exc)\n"
    )
    with Sandbox(repo) as box:
        assert box.network_isolated
        assert box.variant == "bwrap"
        result = box.run([PY, "-c", probe])
    assert result.network_isolated
    assert result.variant == "bwrap"
    assert "loopback ok" in result.output
    assert "blocked" in result.output
    assert "NETWORK OPEN" not in result.output


def test_network_isolation_can_be_turned_off(repo: Path) -> None:
    with Sandbox(repo, isolate_network=False) as box:
        result = box.run("true")
    assert result.ok
    assert not result.network_isolated
    assert result.variant == "none"


def test_no_bwrap_refuses_unless_allowed(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolation_available.cache_clear()
    monkeypatch.setattr(shutil, "which", lambda *a, **k: None)
    try:
        assert isolation_available() is None
        with pytest.raises(SandboxUnavailable, match="allow_unisolated"):
            Sandbox(repo)
        with Sandbox(repo, require_isolation=False) as box:
            assert not box.network_isolated
            assert box.variant == "none"
            assert box.run("true").ok
    finally:
        isolation_available.cache_clear()


def test_bwrap_that_fails_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    isolation_available.cache_clear()
    monkeypatch.setattr(shutil, "which", lambda *a, **k: str(fake))
    try:
        assert isolation_available() is None
    finally:
        isolation_available.cache_clear()


def test_bwrap_that_keeps_capabilities_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "bwrap"  # ignores its options and runs the command with our own capabilities
    fake.write_text('#!/bin/sh\nwhile [ "$1" != -- ]; do shift; done; shift\nexec "$@"\n')
    fake.chmod(0o755)
    isolation_available.cache_clear()
    monkeypatch.setattr(shutil, "which", lambda *a, **k: str(fake))
    try:
        if os.geteuid() != 0:
            pytest.skip("only root has capabilities to keep")
        assert isolation_available() is None
    finally:
        isolation_available.cache_clear()


def test_original_repo_is_hidden_inside(repo: Path) -> None:
    if isolation_available() is None:
        pytest.skip("bubblewrap cannot isolate here")
    target = repo / "calc.py"
    before = target.read_bytes()
    with Sandbox(repo) as box:
        assert box.source_protected
        result = box.run([PY, "-c", f"open({str(target)!r}, 'w').write('gone')"])
        copy_write = box.run([PY, "-c", "open('calc.py', 'w').write('fine')"])
        assert (box.path / "calc.py").read_text() == "fine"
    assert result.returncode != 0
    assert result.source_protected
    assert "No such file or directory" in result.output or "Read-only file system" in result.output
    assert copy_write.ok
    assert target.read_bytes() == before


def test_missing_program_without_isolation_and_cpu_limit(repo: Path) -> None:
    with Sandbox(repo, isolate_network=False, timeout_s=60) as box:
        missing = box.run(["definitely-not-a-program-xyz"])
        spin = "import resource\nresource.setrlimit(resource.RLIMIT_CPU, (1, 30))\nwhile True:\n    pass\n"
        cpu = box.run([PY, "-c", spin])
    assert missing.returncode == 127
    assert "cannot run definitely-not-a-program-xyz" in missing.output
    assert cpu.limit == "cpu"
    assert not cpu.timed_out


def test_fifos_are_skipped_and_unreadable_files_are_input_errors(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.mkfifo(repo / "pipe")  # reading it would block forever
    with Sandbox(repo) as box:
        assert not (box.path / "pipe").exists()
        assert (box.path / "calc.py").is_file()

    def deny(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(InputError, match="cannot copy"), Sandbox(repo):
        pass


def test_tmpdir_inside_the_repo_is_refused(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inside = repo / "tmp"
    inside.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(inside))
    with pytest.raises(InputError, match="inside the repository"), Sandbox(repo):
        pass
    assert list(inside.iterdir()) == []
