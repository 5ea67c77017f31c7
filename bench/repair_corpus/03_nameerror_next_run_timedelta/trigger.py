"""Regenerates app.log: really runs the scheduler code as production does, then rewrites the checkout
path to the deployment path /opt/scheduler. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from datetime import datetime

from scheduler.cron import next_daily_run


def scenario(ctx):
    jobs = {"vacuum": "03:00", "reindex": "23:45", "backup": "01:30"}
    now = datetime(2026, 3, 14, 22, 10)
    for name, at in jobs.items():
        try:
            ctx.log.info("scheduled %s at %s", name, next_daily_run(now, at).isoformat())
        except Exception:
            ctx.log.exception("cannot schedule job %s", name)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/scheduler', fmt='loguru', logger='scheduler.loop', seed=3)
