"""Regenerates app.log: really runs the server code as production does, then rewrites the checkout
path to the deployment path /srv/server. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from server.config import listen_host, listen_port


def scenario(ctx):
    env = {"HOST": "", "PORT": "", "WORKERS": "4"}
    try:
        ctx.log.info("listening on %s:%d", listen_host(env), listen_port(env))
    except Exception:
        ctx.log.exception("server failed to start")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/server', fmt='basic', logger='server.boot', seed=50)
