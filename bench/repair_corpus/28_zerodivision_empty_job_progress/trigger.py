"""Regenerates app.log: really runs the batch code as production does, then rewrites the checkout
path to the deployment path /opt/batch. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from batch.progress import progress_bar


def scenario(ctx):
    for job, done, total in [("resize-images", 40, 160), ("purge-sessions", 0, 0)]:
        ctx.noise(2)
        try:
            ctx.log.info("job %s %s", job, progress_bar(done, total))
        except Exception:
            ctx.log.exception("status endpoint failed for job %s", job)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/batch', fmt='json', logger='batch.status', seed=28)
