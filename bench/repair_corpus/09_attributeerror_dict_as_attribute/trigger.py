"""Regenerates app.log: really runs the payments code as production does, then rewrites the checkout
path to the deployment path /srv/payments. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from payments.webhooks import ledger_entry


def scenario(ctx):
    events = [
        {"type": "charge.succeeded", "account": "acct_19", "amount": 4200},
        {"type": "charge.refunded", "account": "acct_19", "amount": 4200, "amount_refunded": 4200},
    ]
    for ev in events:
        ctx.noise(2)
        try:
            ctx.log.info("ledger %s", ledger_entry(ev))
        except Exception:
            ctx.log.exception("webhook processing failed type=%s", ev["type"])


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/payments', fmt='ecs', logger='payments.webhooks', seed=9)
