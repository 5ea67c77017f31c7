"""Regenerates app.log: really runs the apimetrics code as production does, then rewrites the checkout
path to the deployment path /srv/api. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from apimetrics.throughput import Window, requests_per_second


def scenario(ctx):
    for w in [Window(1200, 1000.0, 1060.0), Window(0, 1060.0, 1060.0)]:
        ctx.noise(2)
        try:
            ctx.log.info("rps=%.2f", requests_per_second(w))
        except Exception:
            ctx.log.exception("Error handling request GET /metrics")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/api', fmt='gunicorn', logger='apimetrics.endpoint', seed=29)
