"""Regenerates app.log: really runs the catalog code as production does, then rewrites the checkout
path to the deployment path /srv/catalog. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from catalog.pages import paginate


def scenario(ctx):
    products = [f"SKU-{n:04d}" for n in range(53)]
    for page in (2, 3):
        ctx.noise(2)
        try:
            ctx.log.info("GET /products?page=%d -> %d items", page, len(paginate(products, page)))
        except Exception:
            ctx.log.exception("Error handling request GET /products?page=%d", page)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/catalog', fmt='gunicorn', logger='catalog.api', seed=24)
