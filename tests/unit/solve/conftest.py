"""Fixtures for the model-solving tests: the shop example's issue, a repo copy, a stub server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hephaestus.records import Issue
from hephaestus.settings import load_settings
from hephaestus.solve.testing import StubLLMServer
from tests.support.shop import copy_shop
from tests.support.shop import shop_issue as example_issue


@pytest.fixture(scope="session")
def shop_issue(tmp_path_factory: pytest.TempPathFactory) -> Issue:
    return example_issue(load_settings(data_dir=str(tmp_path_factory.mktemp("data"))))


@pytest.fixture
def shop_repo(tmp_path: Path) -> Path:
    return copy_shop(tmp_path / "shop")


@pytest.fixture
def stub() -> Iterator[StubLLMServer]:
    with StubLLMServer() as server:
        yield server
