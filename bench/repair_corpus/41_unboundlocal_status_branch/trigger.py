"""Regenerates app.log: really runs the ledger code as production does, then rewrites the checkout
path to the deployment path /srv/ledger. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from ledger.status import describe


def scenario(ctx):
    payments = [{"id": 7001, "status": "paid", "paid_at": "2026-11-20T08:00:00Z"},
                {"id": 7002, "status": "refunded"}]
    ctx.noise(2)
    for p in payments:
        try:
            ctx.log.info("row %s", describe(p))
        except Exception:
            ctx.log.exception("cannot render payment %d", p["id"])


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/ledger', fmt='default', logger='ledger.table', seed=41)
