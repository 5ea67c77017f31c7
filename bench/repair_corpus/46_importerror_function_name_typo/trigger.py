"""Regenerates app.log: really runs the timers code as production does, then rewrites the checkout
path to the deployment path /opt/timers. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from timers.jobs import job_interval


def scenario(ctx):
    for job in [{"name": "cleanup"}, {"name": "sync-crm", "every": "15m"}]:
        try:
            ctx.log.info("registered %s every %ds", job["name"], job_interval(job))
        except Exception:
            ctx.log.exception("could not register job %s", job["name"])


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/timers', fmt='json', logger='timers.registry', seed=46)
