"""Regenerates app.log: really runs the reports code as production does, then rewrites the checkout
path to the deployment path /home/deploy/reports/current. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from reports.grouping import group_by_customer


def scenario(ctx):
    orders = [{"customer": "c-17", "id": "SO-1001"}, {"customer": "c-17", "id": "SO-1002"}]
    ctx.log.info("activity report: %d orders", len(orders))
    try:
        ctx.log.info("groups %s", group_by_customer(orders))
    except Exception:
        ctx.log.exception("activity report failed")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/home/deploy/reports/current', fmt='loguru', logger='reports.activity', seed=18)
