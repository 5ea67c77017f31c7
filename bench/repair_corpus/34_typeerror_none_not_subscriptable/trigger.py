"""Regenerates app.log: really runs the profiles code as production does, then rewrites the checkout
path to the deployment path /srv/profiles. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from profiles.addresses import shipping_city


def scenario(ctx):
    profiles = [{"id": 5, "addresses": [{"city": "Porto"}]}, {"id": 6, "addresses": []}]
    for p in profiles:
        ctx.noise(1)
        try:
            ctx.log.info("profile %d ships to %s", p["id"], shipping_city(p))
        except Exception:
            ctx.log.exception("profile %d: checkout prefill failed", p["id"])


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/profiles', fmt='ecs', logger='profiles.checkout', seed=34)
