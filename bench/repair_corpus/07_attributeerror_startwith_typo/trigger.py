"""Regenerates app.log: really runs the router code as production does, then rewrites the checkout
path to the deployment path /srv/router. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from router.access import is_public


def scenario(ctx):
    for path in ["/healthz", "/shop/cart", "/admin/users"]:
        try:
            ctx.log.info("route %s public=%s", path, is_public(path))
        except Exception:
            ctx.log.exception("Error handling request %s", path)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/router', fmt='gunicorn', logger='router.edge', seed=7)
