"""The store contract on a real PostgreSQL server: the very tests of tests/unit/core/test_store.py
(which run on SQLite) and of the pipeline, collected again here with `store` from this folder's
conftest (an empty database per test)."""

import pytest

from tests.unit.core import test_pipeline, test_store

pytestmark = pytest.mark.postgres

globals().update(
    {n: f for m in (test_store, test_pipeline) for n, f in vars(m).items() if n.startswith("test_")}
)
