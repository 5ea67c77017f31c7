"""Regenerates app.log: really runs the school code as production does, then rewrites the checkout
path to the deployment path /srv/school. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from school.grades import course_average


def scenario(ctx):
    courses = {"MATH-101": [71, 88, 90], "HIST-210": [], "CHEM-120": [55, 61]}
    for course, scores in courses.items():
        try:
            ctx.log.info("%s average %.1f", course, course_average(scores))
        except Exception:
            ctx.log.exception("term report failed for %s", course)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/school', fmt='default', logger='school.reports', seed=27)
