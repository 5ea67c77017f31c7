"""Regenerates app.log: really runs the exports code as production does, then rewrites the checkout
path to the deployment path /srv/exports. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from datetime import date

from exports.report import to_csv


def scenario(ctx):
    ctx.log.info("monthly export requested by finance")
    try:
        csv = to_csv([{"id": "INV-2201", "date": date(2026, 10, 31), "amount_cents": 45000}])
        ctx.log.info("export ready (%d bytes)", len(csv))
    except Exception:
        ctx.log.exception("monthly export failed")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/exports', fmt='default', logger='exports.monthly', seed=45)
