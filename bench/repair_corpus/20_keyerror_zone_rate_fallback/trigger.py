"""Regenerates app.log: really runs the fulfilment code as production does, then rewrites the checkout
path to the deployment path /srv/fulfilment. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from fulfilment.zones import delivery_fee


def scenario(ctx):
    for order, country, total in [(1, "DE", 40.0), (2, "AT", 35.5), (3, "FR", 120.0), (4, "AT", 12.0)]:
        try:
            ctx.log.info("order %d fee=%.2f", order, delivery_fee(country, total))
        except Exception:
            ctx.log.exception("cannot quote delivery for order %d", order)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/fulfilment', fmt='logstash', logger='fulfilment.checkout', seed=20)
