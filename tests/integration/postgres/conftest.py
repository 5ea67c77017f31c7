"""Fixtures for the PostgreSQL tests: ONE throwaway server per session, a fresh database per test.

Missing PostgreSQL binaries or psycopg: a visible skip locally, an error under CI=true (the suite
must not pass vacuously).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from hephaestus.store import Store
from tests.support.postgres import LocalPostgres, find_bindir

_names = itertools.count(1)


def _require_toolchain() -> None:
    reason = None
    if find_bindir() is None:
        reason = "PostgreSQL tests need initdb and pg_ctl (apt-get install postgresql)"
    else:
        try:
            import psycopg  # noqa: F401
        except ImportError:
            reason = "PostgreSQL tests need the psycopg driver (pip install 'psycopg[binary]')"
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[LocalPostgres]:
    _require_toolchain()
    with LocalPostgres() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_url(postgres_server: LocalPostgres) -> str:
    """A database shared by the session (postgresql+psycopg://…)."""
    return postgres_server.create_database("hephaestus")


@pytest.fixture
def fresh_postgres_url(postgres_server: LocalPostgres) -> str:
    """An empty database of its own for one test."""
    return postgres_server.create_database(f"t{next(_names)}")


@pytest.fixture
def store(fresh_postgres_url: str) -> Iterator[Store]:
    """The store contract tests' `store`, on PostgreSQL."""
    s = Store(fresh_postgres_url)
    yield s
    s.close()
