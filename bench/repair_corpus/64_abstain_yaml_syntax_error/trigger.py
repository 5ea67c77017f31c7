"""Regenerates app.log: really runs the deploybot code as production does, then rewrites the checkout
path to the deployment path /srv/deploybot. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from deploybot.pipeline import load_pipeline


def scenario(ctx):
    files = {"teams/api/pipeline.yaml": "name: api\nstages: [build, test, deploy]\n",
             "teams/web/pipeline.yaml": "name: web\nstages:\n\t- build\n\t- deploy\n"}
    for path, text in files.items():
        try:
            ctx.log.info("loaded %s: %d stages", path, len(load_pipeline(text)["stages"]))
        except Exception:
            ctx.log.exception("could not load %s", path)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/deploybot', fmt='logstash', logger='deploybot.sync', seed=64)
