"""Regenerates app.log: really runs the ingest code as production does, then rewrites the checkout
path to the deployment path /opt/ingest. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from ingest.decode import decode_payload


def scenario(ctx):
    for source, body in [("kafka", b"id=1;kind=order"), ("http", "id=2;kind=order"), ("http", "id=3;kind=refund")]:
        try:
            ctx.log.info("ingested from %s: %s", source, decode_payload(body))
        except Exception:
            ctx.log.exception("dropping message from %s", source)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/ingest', fmt='journald', logger='ingest.consumer', seed=13)
