"""Key-to-shard mapping for the blob store."""

from __future__ import annotations

import zlib


def shard_for(key: str, shard_count: int) -> int:
    """Stable shard index for `key`.

    A shard_count of 0 means sharding is disabled: every key lives on shard 0.
    """
    return zlib.crc32(key.encode("utf-8")) % shard_count
