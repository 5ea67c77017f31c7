"""Regenerates app.log: really runs the presence code as production does, then rewrites the checkout
path to the deployment path /opt/presence. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from presence.tracker import last_seen


def scenario(ctx):
    devices = {"thermo-12": [{"kind": "heartbeat", "ts": "2026-11-24T01:59:58"}],
               "thermo-13": [{"kind": "boot", "ts": "2026-11-24T01:00:00"}]}
    for device, events in devices.items():
        try:
            ctx.log.info("device %s last seen %s", device, last_seen(events))
        except Exception:
            ctx.log.exception("presence update failed for %s", device)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/presence', fmt='ecs', logger='presence.updater', seed=42)
