"""Regenerates app.log: really runs the reportgen code as production does, then rewrites the checkout
path to the deployment path /opt/reportgen. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
import tempfile

from reportgen.writer import write_report

REPORT_DIR = os.path.join(tempfile.mkdtemp(), "reports")
os.makedirs(REPORT_DIR)
os.chmod(os.path.dirname(REPORT_DIR), 0o755)
os.chmod(REPORT_DIR, 0o555)


def scenario(ctx):
    ctx.log.info("daily report job started (user=reportgen)")
    try:
        write_report(REPORT_DIR, "2026-11-24", [{"sku": "KB-104", "qty": 40}])
    except Exception:
        ctx.log.exception("daily report job failed")


if __name__ == "__main__":
    _logkit.run(HERE, scenario, deploy="/opt/reportgen", fmt="default", logger="reportgen.daily", seed=63,
                extra={REPORT_DIR: "/var/lib/reportgen/reports"}, unprivileged=True)
