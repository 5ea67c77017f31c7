"""Regenerates app.log: really runs the checkout code as production does, then rewrites the checkout
path to the deployment path /opt/checkout. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
import json

from checkout.cart import cart_total


def scenario(ctx):
    bodies = ['[{"sku": "A1", "price": 19.9, "discount": 2.0, "qty": 1}]',
              '[{"sku": "B7", "price": 5.5, "discount": null, "qty": 4}]']
    for n, body in enumerate(bodies):
        ctx.noise(1)
        try:
            ctx.log.info("cart %d total %.2f", n, cart_total(json.loads(body)))
        except Exception:
            ctx.log.exception("checkout failed for cart %d", n)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/checkout', fmt='logstash', logger='checkout.api', seed=38)
