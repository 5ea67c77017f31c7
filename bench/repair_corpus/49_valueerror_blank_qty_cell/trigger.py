"""Regenerates app.log: really runs the stockimport code as production does, then rewrites the checkout
path to the deployment path /srv/stock. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
import csv
import io

from stockimport.rows import parse_row


def scenario(ctx):
    text = "sku,qty,location\nKB-104,12,A3\nMS-220,,A4\n"
    ctx.log.info("stock-take upload received (%d bytes)", len(text))
    try:
        rows = [parse_row(r) for r in csv.DictReader(io.StringIO(text))]
        ctx.log.info("imported %d rows", len(rows))
    except Exception:
        ctx.log.exception("stock-take import failed")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/stock', fmt='default', logger='stockimport.upload', seed=49)
