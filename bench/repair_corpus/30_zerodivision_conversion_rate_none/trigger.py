"""Regenerates app.log: really runs the experiments code as production does, then rewrites the checkout
path to the deployment path /opt/experiments. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from experiments.abtest import conversion_rate, format_rate


def scenario(ctx):
    variants = {"control": (5120, 301), "green-button": (4980, 322), "no-banner": (0, 0)}
    for name, (visitors, conversions) in variants.items():
        try:
            ctx.log.info("variant %s conversion %s", name, format_rate(conversion_rate(visitors, conversions)))
        except Exception:
            ctx.log.exception("dashboard refresh failed for variant %s", name)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/experiments', fmt='logstash', logger='experiments.dashboard', seed=30)
