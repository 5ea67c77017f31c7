"""Regenerates app.log: really runs the jobs code as production does, then rewrites the checkout
path to the deployment path /srv/worker. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from jobs.policy import max_attempts


def scenario(ctx):
    for queue in ["emails", "thumbnails"]:
        cfg = {"queue": queue, "concurrency": 4}
        try:
            ctx.log.info("queue %s: max attempts %d", queue, max_attempts(cfg))
        except Exception:
            ctx.log.exception("worker for queue %s did not start", queue)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/worker', fmt='basic', logger='jobs.runner', seed=12)
