"""Regenerates app.log: really runs the alerts code as production does, then rewrites the checkout
path to the deployment path /opt/alerts. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from alerts.rules import should_page


def scenario(ctx):
    checks = [{"name": "db", "status": "ok"}, {"name": "api", "status": "ok"}]
    for tick in range(2):
        try:
            ctx.log.info("tick %d page=%s", tick, should_page(checks))
        except Exception:
            ctx.log.exception("rule evaluation failed on tick %d", tick)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/alerts', fmt='loguru', logger='alerts.evaluator', seed=35)
