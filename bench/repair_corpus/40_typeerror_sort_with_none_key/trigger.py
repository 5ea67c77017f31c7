"""Regenerates app.log: really runs the todo code as production does, then rewrites the checkout
path to the deployment path /home/deploy/todo/current. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from todo.board import agenda


def scenario(ctx):
    tasks = [{"title": "Renew TLS cert", "due": "2026-12-01"}, {"title": "Write postmortem", "due": None},
             {"title": "Rotate keys", "due": "2026-11-28"}]
    ctx.noise(2)
    try:
        ctx.log.info("agenda %s", agenda(tasks))
    except Exception:
        ctx.log.exception("Error handling request GET /board/agenda")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/home/deploy/todo/current', fmt='default', logger='todo.web', seed=40)
