"""Regenerates app.log: really runs the mailer code as production does, then rewrites the checkout
path to the deployment path /app. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from mailer.emails import welcome_email


def scenario(ctx):
    for user in [{"id": 301, "name": "Chloé", "locale": "fr"}, {"id": 302, "name": "Sam", "locale": "en"}]:
        try:
            ctx.log.info("welcome mail for user %d: %s", user["id"], welcome_email(user)["subject"])
        except Exception:
            ctx.log.exception("signup hook failed for user %d", user["id"])


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/app', fmt='json', logger='mailer.signup', seed=36)
