"""Service settings from the environment.

DATABASE_URL is required and deliberately has no default: pointing the invoicing service at the
wrong database is worse than refusing to start.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

DEFAULT_POOL_SIZE = 5


def database_url(env: Mapping[str, str] = os.environ) -> str:
    """The required DATABASE_URL (KeyError when unset: the deployment is misconfigured)."""
    return env["DATABASE_URL"]


def pool_size(env: Mapping[str, str] = os.environ) -> int:
    return int(env.get("DB_POOL_SIZE") or DEFAULT_POOL_SIZE)
