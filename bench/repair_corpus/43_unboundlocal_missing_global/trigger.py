"""Regenerates app.log: really runs the pricecache code as production does, then rewrites the checkout
path to the deployment path /srv/pricing. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from pricecache.memo import cached_price


def scenario(ctx):
    catalogue = {"SKU-1": 12.0, "SKU-2": 3.5}
    for sku in ["SKU-1", "SKU-2", "SKU-1"]:
        ctx.noise(1)
        try:
            ctx.log.info("price %s = %.2f", sku, cached_price(sku, catalogue.__getitem__))
        except Exception:
            ctx.log.exception("Error handling request GET /price/%s", sku)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/pricing', fmt='gunicorn', logger='pricecache.api', seed=43)
