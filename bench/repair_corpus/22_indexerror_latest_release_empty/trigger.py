"""Regenerates app.log: really runs the deployer code as production does, then rewrites the checkout
path to the deployment path /srv/deployer. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from deployer.history import latest_release


def scenario(ctx):
    services = {"billing-api": [{"tag": "v4.1.0", "deployed_at": "2026-11-19T08:00:00"}], "ledger-sync": []}
    for service, releases in services.items():
        ctx.noise(1)
        try:
            ctx.log.info("service %s latest %s", service, latest_release(releases))
        except Exception:
            ctx.log.exception("dashboard tile failed for %s", service)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/deployer', fmt='json', logger='deployer.dashboard', seed=22)
