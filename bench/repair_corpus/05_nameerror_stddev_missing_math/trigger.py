"""Regenerates app.log: really runs the metrics code as production does, then rewrites the checkout
path to the deployment path /home/deploy/metrics/current. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from metrics.summary import mean, stddev


def scenario(ctx):
    samples = [12.0, 15.5, 11.2, 80.1, 14.3]
    ctx.log.info("p50 window ready n=%d mean=%.1f", len(samples), mean(samples))
    try:
        ctx.log.info("latency stddev=%.2f", stddev(samples))
    except Exception:
        ctx.log.exception("latency summary failed")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/home/deploy/metrics/current', fmt='basic', logger='metrics.rollup', seed=5)
