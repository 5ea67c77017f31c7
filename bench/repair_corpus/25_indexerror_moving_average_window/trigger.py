"""Regenerates app.log: really runs the analytics code as production does, then rewrites the checkout
path to the deployment path /opt/analytics. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from analytics.smoothing import moving_average


def scenario(ctx):
    dau = [1180.0, 1214.0, 1190.0, 1302.0, 1275.0, 990.0, 1012.0]
    try:
        ctx.log.info("7d smoothing %s", moving_average(dau, 3))
    except Exception:
        ctx.log.exception("DAU chart refresh failed")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/analytics', fmt='logstash', logger='analytics.charts', seed=25)
