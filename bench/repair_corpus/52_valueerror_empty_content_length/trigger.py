"""Regenerates app.log: really runs the ingress code as production does, then rewrites the checkout
path to the deployment path /opt/ingress. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from ingress.body import too_large


def scenario(ctx):
    for headers in [{"Content-Length": "2048"}, {"Content-Length": "", "Transfer-Encoding": "chunked"}]:
        try:
            ctx.log.info("body check too_large=%s", too_large(headers))
        except Exception:
            ctx.log.exception("Error handling request POST /upload")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/ingress', fmt='ecs', logger='ingress.guard', seed=52)
