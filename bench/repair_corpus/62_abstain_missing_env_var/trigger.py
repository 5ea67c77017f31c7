"""Regenerates app.log: really runs the invoicing code as production does, then rewrites the checkout
path to the deployment path /opt/invoicing. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from invoicing.settings import database_url, pool_size


def scenario(ctx):
    env = {"DB_POOL_SIZE": "10", "LOG_LEVEL": "info"}  # the container's environment, DATABASE_URL missing
    ctx.log.info("Booting worker with pid: %d", 4242)
    try:
        ctx.log.info("connecting pool=%d url=%s", pool_size(env), database_url(env))
    except Exception:
        ctx.log.exception("Exception in worker process")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/invoicing', fmt='gunicorn', logger='invoicing.boot', seed=62)
