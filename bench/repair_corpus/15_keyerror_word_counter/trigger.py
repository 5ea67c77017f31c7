"""Regenerates app.log: really runs the textstats code as production does, then rewrites the checkout
path to the deployment path /app. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from textstats.words import top_words


def scenario(ctx):
    for batch, text in enumerate(["the and of", "red shoes size 42", "blue red jacket"]):
        try:
            ctx.log.info("batch %d top words %s", batch, top_words(text))
        except Exception:
            ctx.log.exception("query analysis failed for batch %d", batch)


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/app', fmt='json', logger='textstats.job', seed=15)
