"""Regenerates app.log: really runs the stocksync code as production does, then rewrites the checkout
path to the deployment path /srv/stock-sync. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
import socket

from stocksync.client import fetch_stock


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nobody listens there any more: a really refused connection
    return port


def scenario(ctx):
    port = closed_port()
    for attempt in range(1, 4):
        ctx.noise(2)
        try:
            fetch_stock("127.0.0.1", port, ["KB-104", "MS-220"])
        except Exception:
            ctx.log.exception("stock sync with warehouse-api failed (attempt %d/3)", attempt)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/stock-sync', fmt='json', logger='stocksync.job', seed=61)
