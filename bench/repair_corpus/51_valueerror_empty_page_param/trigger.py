"""Regenerates app.log: really runs the blog code as production does, then rewrites the checkout
path to the deployment path /var/www/blog. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from blog.listing import current_page


def scenario(ctx):
    for qs in [{"page": "2"}, {"page": ""}, {"tag": "python", "page": ""}]:
        ctx.noise(1)
        try:
            ctx.log.info("GET /posts %s -> page %d", qs, current_page(qs))
        except Exception:
            ctx.log.exception("Error handling request GET /posts %s", qs)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/var/www/blog', fmt='json', logger='blog.views', seed=51)
