"""Regenerates app.log: really runs the logparse code as production does, then rewrites the checkout
path to the deployment path /opt/logparse. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from logparse.nginx import status_histogram


def scenario(ctx):
    lines = [
        '10.1.4.7 - - [24/Nov/2026:02:00:00 +0000] "GET /api/v1/items HTTP/1.1" 200 812 "-" "k6"',
        '10.1.4.9 - - [24/Nov/2026:02:00:02 +0000] "POST /login HTTP/1.1" 302 0 "-" "Mozilla/5.0"',
        '10.1.4.9 - - [24/Nov/2026:02:00:03 +0000] "GET /da',
    ]
    for hour in (1, 2):
        try:
            ctx.log.info("hour=%02d statuses=%s", hour, status_histogram(lines[: hour + 1]))
        except Exception:
            ctx.log.exception("hourly access-log rollup failed hour=%02d", hour)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/logparse', fmt='default', logger='logparse.rollup', seed=10)
