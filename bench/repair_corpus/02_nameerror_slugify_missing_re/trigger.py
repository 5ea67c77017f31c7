"""Regenerates app.log: really runs the cms code as production does, then rewrites the checkout
path to the deployment path /app. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from cms.slugs import slugify


def scenario(ctx):
    for title in ["Spring Sale", "Crème Brûlée: 10 Recipes!"]:
        ctx.noise(3)
        try:
            ctx.log.info("page published slug=%s", slugify(title))
        except Exception:
            ctx.log.exception("publish failed for page %r", title)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/app', fmt='json', logger='cms.publisher', seed=2)
