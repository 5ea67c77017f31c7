"""Regenerates app.log: really runs the notifier code as production does, then rewrites the checkout
path to the deployment path /opt/notifier. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from notifier.logsetup import log_level


def scenario(ctx):
    ctx.log.info("loading /etc/notifier/config.yaml")
    try:
        level = log_level({"smtp": {"host": "mail.internal", "port": 25}})
        ctx.log.info("log level %s", level)
    except Exception:
        ctx.log.exception("failed to configure logging")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/notifier', fmt='basic', logger='notifier.main', seed=16)
