"""Regenerates app.log: the CI output of the failing test (hidden/test_hidden.py) run against the
repo, with the checkout path rewritten to /builds/workdays. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import _logkit  # noqa: E402

if __name__ == "__main__":
    _logkit.run_pytest(HERE, deploy='/builds/workdays')
