"""Regenerates app.log: really runs the cdn code as production does, then rewrites the checkout
path to the deployment path /srv/cdn. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from cdn.urls import AssetLinks


def scenario(ctx):
    links = AssetLinks("https://static.example.net")
    ctx.noise(2)
    try:
        ctx.log.info("rendered layout with %s", links.stylesheet("main.css", "20261124"))
    except Exception:
        ctx.log.exception("Error handling request GET /")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/cdn', fmt='gunicorn', logger='cdn.views', seed=37)
