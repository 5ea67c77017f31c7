"""Regenerates app.log: really runs the sheets code as production does, then rewrites the checkout
path to the deployment path /opt/sheets. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from sheets.table import columns


def scenario(ctx):
    pasted = [["sku", "qty"], ["A-1", "4"], ["B-2"]]
    try:
        ctx.log.info("parsed %d columns", len(columns(pasted)))
    except Exception:
        ctx.log.exception("paste import failed")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/sheets', fmt='logstash', logger='sheets.import', seed=47)
