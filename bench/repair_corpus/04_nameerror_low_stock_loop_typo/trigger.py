"""Regenerates app.log: really runs the inventory code as production does, then rewrites the checkout
path to the deployment path /opt/inventory. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from inventory.restock import low_stock


def scenario(ctx):
    stock = [{"sku": "KB-104", "on_hand": 40}, {"sku": "MS-220", "on_hand": 3}]
    for run in range(2):
        ctx.noise(3)
        try:
            ctx.log.info("reorder list: %s", low_stock(stock))
        except Exception:
            ctx.log.exception("restock report failed (run %d)", run)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/inventory', fmt='logstash', logger='inventory.dashboard', seed=4)
