"""Regenerates app.log: really runs the survey code as production does, then rewrites the checkout
path to the deployment path /home/deploy/survey/current. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from survey.weights import weighted_mean


def scenario(ctx):
    for question, values, weights in [("q1", [4, 5, 3], [1.2, 0.8, 1.0]), ("q7", [2, 4], [0.0, 0.0])]:
        try:
            ctx.log.info("question %s score %s", question, weighted_mean(values, weights))
        except Exception:
            ctx.log.exception("scoring failed for question %s", question)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/home/deploy/survey/current', fmt='journald', logger='survey.scoring', seed=32)
