"""Regenerates app.log: really runs the notify code as production does, then rewrites the checkout
path to the deployment path /srv/notify. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from notify.sms import order_shipped_text


def scenario(ctx):
    for order_id, carrier in [(88121, "UPS"), (88122, "DHL")]:
        ctx.noise(1)
        try:
            ctx.log.info("sms queued: %s", order_shipped_text(order_id, carrier))
        except Exception:
            ctx.log.exception("could not notify customer for order %d", order_id)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/notify', fmt='default', logger='notify.sms', seed=33)
