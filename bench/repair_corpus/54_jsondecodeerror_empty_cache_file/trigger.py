"""Regenerates app.log: really runs the tokencache code as production does, then rewrites the checkout
path to the deployment path /home/deploy/tokens/current. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
import tempfile

from tokencache.store import load_cache

CACHE_DIR = tempfile.mkdtemp()


def scenario(ctx):
    path = os.path.join(CACHE_DIR, "tokens.json")
    open(path, "w").close()  # what the crashed previous process left behind
    ctx.log.info("loading token cache %s", path)
    try:
        ctx.log.info("%d cached tokens", len(load_cache(path)))
    except Exception:
        ctx.log.exception("token refresher could not start")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy="/home/deploy/tokens/current", fmt="loguru", logger="tokencache.refresher",
                seed=54, extra={CACHE_DIR: "/var/cache/tokens"})
