"""Fixtures for the model-solving tests: the shop example's issue, a repo copy, a stub server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from hephaestus.records import Issue
from hephaestus.service import analyze_logs
from hephaestus.settings import load_settings
from hephaestus.solve.testing import StubLLMServer

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def shop_issue(tmp_path_factory: pytest.TempPathFactory) -> Issue:
    data = tmp_path_factory.mktemp("data")
    settings = load_settings(data_dir=str(data))
    report = analyze_logs([ROOT / "examples/logs/shop.log"], settings=settings, repo=None, fix=False)
    return next(r.issue for r in report.issues if r.issue.error_type == "ZeroDivisionError")


@pytest.fixture
def shop_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "shop"
    shutil.copytree(
        ROOT / "examples/shop", repo, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache")
    )
    return repo


@pytest.fixture
def stub() -> Iterator[StubLLMServer]:
    with StubLLMServer() as server:
        yield server
