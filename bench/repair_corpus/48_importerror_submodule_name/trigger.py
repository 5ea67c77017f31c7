"""Regenerates app.log: really runs the pager code as production does, then rewrites the checkout
path to the deployment path /opt/pager. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from pager.sinks import get_sink


def scenario(ctx):
    alert = {"title": "replication lag 45s", "severity": "high"}
    for kind in ["email", "webhook"]:
        try:
            ctx.log.info("delivered via %s: %s", kind, get_sink(kind).render(alert))
        except Exception:
            ctx.log.exception("delivery via %s failed", kind)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/pager', fmt='journald', logger='pager.delivery', seed=48)
