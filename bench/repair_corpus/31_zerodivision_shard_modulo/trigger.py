"""Regenerates app.log: really runs the storage code as production does, then rewrites the checkout
path to the deployment path /opt/storage. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
import os

from storage.sharding import shard_for


def scenario(ctx):
    shard_count = int(os.environ.get("BLOB_SHARDS_TEST_OVERRIDE", "0"))
    ctx.log.info("blob store starting with %d shards (single-node mode)", shard_count)
    for key in ["invoices/2026/11/INV-0042.pdf", "avatars/u-17.png"]:
        try:
            ctx.log.info("PUT %s -> shard %d", key, shard_for(key, shard_count))
        except Exception:
            ctx.log.exception("PUT %s failed", key)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/storage', fmt='basic', logger='storage.server', seed=31)
