"""Regenerates app.log: really runs the telemetry code as production does, then rewrites the checkout
path to the deployment path /opt/telemetry. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from telemetry.meter import consumption


def scenario(ctx):
    for meter, readings in [("M-0042", [1532.1, 1533.0, 1534.4]), ("M-0043", [88.0, 88.2])]:
        ctx.noise(2)
        try:
            ctx.log.info("meter %s intervals %s", meter, consumption(readings))
        except Exception:
            ctx.log.exception("failed to compute intervals for meter %s", meter)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/telemetry', fmt='default', logger='telemetry.ingest', seed=21)
