"""Regenerates app.log: really runs the accounts code as production does, then rewrites the checkout
path to the deployment path /app. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from accounts.greeting import Directory, User, display_name


def scenario(ctx):
    directory = Directory([User("ada@example.com", "Ada Lovelace")])
    for email in ["ada@example.com", "newsletter-signup@example.org", "ada@example.com"]:
        ctx.noise(1)
        try:
            ctx.log.info("sending digest to %s", display_name(directory, email))
        except Exception:
            ctx.log.exception("digest mail failed")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/app', fmt='json', logger='accounts.mailer', seed=8)
