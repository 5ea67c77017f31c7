"""Regenerates app.log: really runs the dispatch code as production does, then rewrites the checkout
path to the deployment path /srv/dispatch. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from dispatch.queue import JobQueue


def scenario(ctx):
    queue = JobQueue()
    queue.push({"id": "thumb-991"})
    for poll in range(3):
        try:
            ctx.log.info("poll %d got %s", poll, queue.next_job())
        except Exception:
            ctx.log.exception("worker loop crashed on poll %d", poll)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/dispatch', fmt='ecs', logger='dispatch.worker', seed=26)
