"""Regenerates app.log: really runs the auditlog code as production does, then rewrites the checkout
path to the deployment path /opt/auditlog. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
import tempfile

from auditlog.db import open_db

DATA = os.path.join(tempfile.mkdtemp(), "data")


def scenario(ctx):
    path = os.path.join(DATA, "audit.sqlite3")  # the volume that should provide DATA is not mounted
    for attempt in range(2):
        try:
            open_db(path)
            ctx.log.info("audit db ready")
        except Exception:
            ctx.log.exception("cannot open audit database (attempt %d)", attempt + 1)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy="/opt/auditlog", fmt="journald", logger="auditlog.writer", seed=65,
                extra={DATA: "/var/lib/auditlog"})
