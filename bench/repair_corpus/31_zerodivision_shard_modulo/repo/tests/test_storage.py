from storage.sharding import shard_for


def test_stable_and_in_range():
    assert shard_for("user/42/avatar.png", 8) == shard_for("user/42/avatar.png", 8)
    assert all(0 <= shard_for(f"k{n}", 4) < 4 for n in range(50))
