"""Regenerates app.log: really runs the orders code as production does, then rewrites the checkout
path to the deployment path /srv/orders. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from orders.totals import format_total


def scenario(ctx):
    orders = [{"id": 91, "amount": 18.4, "currency": "USD"}, {"id": 12, "amount": 7.0}]
    for order in orders:
        ctx.noise(2)
        try:
            ctx.log.info("receipt order=%d total=%s", order["id"], format_total(order))
        except Exception:
            ctx.log.exception("Error handling request GET /orders/%d/receipt", order["id"])


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/orders', fmt='gunicorn', logger='orders.api', seed=14)
