"""Regenerates app.log: really runs the uploader code as production does, then rewrites the checkout
path to the deployment path /opt/uploader. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from uploader.limits import max_upload_mb


def scenario(ctx):
    ctx.log.info("uploader starting")
    try:
        ctx.log.info("max upload %d MB", max_upload_mb("50M"))
    except Exception:
        ctx.log.exception("startup failed")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/uploader', fmt='basic', logger='uploader.main', seed=44)
