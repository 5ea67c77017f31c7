"""Regenerates app.log: really runs the shipping code as production does, then rewrites the checkout
path to the deployment path /opt/shipping. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from shipping.rates import Parcel, shipping_cost


def scenario(ctx):
    for weight, express in [(1.2, False), (3.4, True), (0.3, False)]:
        ctx.noise(1)
        try:
            ctx.log.info("quote weight=%.1f express=%s cost=%.2f", weight, express,
                         shipping_cost(Parcel(weight, express)))
        except Exception:
            ctx.log.exception("quote failed weight=%.1f", weight)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/shipping', fmt='logstash', logger='shipping.quotes', seed=11)
