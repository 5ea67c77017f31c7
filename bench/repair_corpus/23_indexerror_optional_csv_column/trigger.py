"""Regenerates app.log: really runs the crm code as production does, then rewrites the checkout
path to the deployment path /opt/crm. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
from crm.importer import parse_contacts


def scenario(ctx):
    export = "name,email,phone,company\nGrace Hopper,grace@navy.mil,555-0100,US Navy\nLinus,linus@kernel.org,555-0199\n"
    ctx.log.info("importing export leads-2026-11.csv")
    try:
        ctx.log.info("imported %d contacts", len(parse_contacts(export)))
    except Exception:
        ctx.log.exception("import of leads-2026-11.csv aborted")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy='/opt/crm', fmt='basic', logger='crm.import', seed=23)
