"""Regenerates app.log: really runs the helpdesk code as production does, then rewrites the checkout
path to the deployment path /srv/helpdesk. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from helpdesk.labels import status_label


def scenario(ctx):
    tickets = [(4411, "open"), (4412, "on-hold"), (4413, "solved"), (4417, "on-hold")]
    for tid, status in tickets:
        ctx.noise(1)
        try:
            ctx.log.info("ticket %d rendered (%s)", tid, status_label(status))
        except Exception:
            ctx.log.exception("failed to render ticket %d", tid)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/helpdesk', fmt='ecs', logger='helpdesk.views', seed=17)
