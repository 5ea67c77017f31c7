"""Regenerates app.log: really runs the search code as production does, then rewrites the checkout
path to the deployment path /srv/search. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from search.params import page_size


def scenario(ctx):
    for params in [{"q": "usb cable"}, {"q": "usb cable", "size": "50"}]:
        try:
            ctx.log.info("search %r size=%d", params["q"], page_size(params))
        except Exception:
            ctx.log.exception("search request failed params=%s", params)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/srv/search', fmt='basic', logger='search.api', seed=39)
