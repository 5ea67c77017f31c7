"""PostgreSQL-only store behaviour: services starting together create the schema once."""

import threading

import pytest
from sqlalchemy import inspect

from hephaestus.store import Store

pytestmark = pytest.mark.postgres


def test_stores_opened_together_on_an_empty_database_all_come_up(fresh_postgres_url):
    barrier = threading.Barrier(4)
    opened: list[Store] = []
    errors: list[BaseException] = []

    def open_store() -> None:
        try:
            barrier.wait()
            opened.append(Store(fresh_postgres_url))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    try:
        assert errors == []
        assert len(opened) == 4
        tables = set(inspect(opened[0].engine).get_table_names())
        assert tables == {
            "issues",
            "events",
            "logs",
            "solutions",
            "feedback",
            "checkpoints",
            "issue_templates",
            "noise_verdicts",
            "evidence",
        }
        columns = {c["name"]: c["type"] for c in inspect(opened[0].engine).get_columns("checkpoints")}
        assert columns["position"].python_type is int
        assert str(columns["position"]) == "BIGINT"
    finally:
        for s in opened:
            s.close()


def test_postgres_url_fixture_serves_a_session_database(postgres_url):
    assert postgres_url.startswith("postgresql+psycopg://")
    store = Store(postgres_url)
    try:
        assert store.engine.dialect.name == "postgresql"
        assert store.event_count() >= 0
    finally:
        store.close()
