"""Regenerates app.log: really runs the syncclient code as production does, then rewrites the checkout
path to the deployment path /opt/sync. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from syncclient.responses import Response, decode


def scenario(ctx):
    calls = [("GET /partners/77", Response(200, '{"id": 77, "name": "Acme"}')),
             ("DELETE /partners/77/sessions", Response(204, ""))]
    for call, resp in calls:
        try:
            ctx.log.info("%s -> %s", call, decode(resp))
        except Exception:
            ctx.log.exception("sync step failed: %s", call)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/sync', fmt='logstash', logger='syncclient.sync', seed=55)
