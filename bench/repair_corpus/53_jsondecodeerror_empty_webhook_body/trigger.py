"""Regenerates app.log: really runs the hooks code as production does, then rewrites the checkout
path to the deployment path /srv/hooks. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from hooks.receiver import event_action


def scenario(ctx):
    for body in [b'{"action": "closed", "number": 118}', b""]:
        ctx.noise(1)
        try:
            ctx.log.info("webhook action=%s", event_action(body))
        except Exception:
            ctx.log.exception("Error handling request POST /hooks/git")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/hooks', fmt='gunicorn', logger='hooks.receiver', seed=53)
