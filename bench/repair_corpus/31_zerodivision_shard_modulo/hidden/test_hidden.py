import zlib

from storage.sharding import shard_for


def test_sharding_disabled():
    assert shard_for("user/42/avatar.png", 0) == 0


def test_unchanged_mapping():
    assert shard_for("abc", 7) == zlib.crc32(b"abc") % 7
