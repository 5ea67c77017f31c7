"""Regenerates app.log: really runs the httpkit code as production does, then rewrites the checkout
path to the deployment path /opt/proxy. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from httpkit.headers import content_type


def scenario(ctx):
    requests = [{"Content-Type": "image/png", "User-Agent": "curl/8.5"},
                {"content-type": "image/jpeg", "user-agent": "okhttp/4.12"}]
    for n, headers in enumerate(requests):
        try:
            ctx.log.info("upload %d type=%s", n, content_type(headers))
        except Exception:
            ctx.log.exception("upload %d rejected", n)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/proxy', fmt='journald', logger='proxy.upload', seed=19)
