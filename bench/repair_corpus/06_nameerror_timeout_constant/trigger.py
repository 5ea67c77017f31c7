"""Regenerates app.log: really runs the gateway code as production does, then rewrites the checkout
path to the deployment path /srv/gateway. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from gateway.settings import http_timeout, upstream_url


def scenario(ctx):
    cfg = {"http": {"upstream": "http://orders:8080"}}
    ctx.log.info("gateway starting upstream=%s", upstream_url(cfg))
    try:
        ctx.log.info("timeout=%ss", http_timeout(cfg))
    except Exception:
        ctx.log.exception("invalid configuration")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/gateway', fmt='journald', logger='gateway.boot', seed=6)
