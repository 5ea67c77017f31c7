"""Regenerates app.log: really runs the billing code as production does, then rewrites the checkout
path to the deployment path /srv/billing. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from billing.invoice import invoice_total


def scenario(ctx):
    log = ctx.log
    accounts = [("acme", 0.0), ("globex", 15.0), ("initech", 0.0), ("umbrella", 5.0)]
    for account, coupon in accounts:
        ctx.noise(2)
        try:
            total = invoice_total([{"qty": 2, "unit_price": 49.0}], coupon=coupon)
            log.info("invoice issued account=%s total=%.2f", account, total)
        except Exception:
            log.exception("could not invoice account=%s", account)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/billing', fmt='default', logger='billing.monthly', seed=1)
