"""Authoring helper: materialises the case directories from the specs in cases_*.py.

The case directories are the committed artifacts (and check_corpus.py verifies them); this script
only saves typing when writing or revising cases. It writes repo/, hidden/, trigger.py, fix.patch
and case.json; app.log is produced by ../make_logs.py.

    python bench/repair_corpus/_authoring/build.py [NN ...]
"""

from __future__ import annotations

import difflib
import importlib
import json
import os
import shutil
import sys
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.dirname(HERE)
SPECS = ["cases_a", "cases_b", "cases_c", "cases_d", "cases_e", "cases_f"]

TRIGGER = '''\
"""Regenerates app.log: really runs the {pkg} code as production does, then rewrites the checkout
path to the deployment path {deploy}. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "repo"), os.path.dirname(HERE)]

import _logkit  # noqa: E402
{imports}


{scenario}


if __name__ == "__main__":
{main}
'''

PYTEST_TRIGGER = '''\
"""Regenerates app.log: the CI output of the failing test (hidden/test_hidden.py) run against the
repo, with the checkout path rewritten to {deploy}. Run: python trigger.py [--out FILE|-]
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import _logkit  # noqa: E402

if __name__ == "__main__":
    _logkit.run_pytest(HERE, deploy={deploy!r})
'''

CASES: list[dict] = []


def d(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def case(n, slug, category, *, error_type, description, deploy, files, tests, expect="fix", hidden=None,
         fix=None, fmt="default", logger=None, imports="", scenario=None, main=None, pytest_log=False):
    CASES.append(dict(locals()))


def _patch(files: dict[str, str], fix) -> str:
    new = dict(files)
    for path, old, repl in fix:
        assert new[path].count(old) == 1, (path, old)
        new[path] = new[path].replace(old, repl)
    out = []
    for path in sorted(files):
        if new[path] == files[path]:
            continue
        a, b = files[path].splitlines(keepends=True), new[path].splitlines(keepends=True)
        diff = list(difflib.unified_diff(a, b, f"a/{path}", f"b/{path}", n=3))
        out.append(f"diff --git a/{path} b/{path}\n")
        out.extend(diff)
    return "".join(out)


def build(c: dict) -> str:
    name = f"{c['n']:02d}_{c['slug']}"
    root = os.path.join(CORPUS, name)
    if os.path.isdir(root):
        for sub in ("repo", "hidden"):
            shutil.rmtree(os.path.join(root, sub), ignore_errors=True)
    files = {k: d(v) for k, v in c["files"].items()}
    pkg = sorted(k.split("/")[0] for k in files if "/" in k)[0]
    repo = os.path.join(root, "repo")
    all_files = dict(files)
    all_files["pyproject.toml"] = (
        f'[project]\nname = "{pkg}"\nversion = "1.{c["n"] % 7}.{c["n"] % 5}"\nrequires-python = ">=3.11"\n\n'
        '[tool.pytest.ini_options]\ntestpaths = ["tests"]\npythonpath = ["."]\n'
    )
    all_files[f"tests/test_{pkg}.py"] = d(c["tests"])
    for rel, text in all_files.items():
        p = os.path.join(repo, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as fh:
            fh.write(text)
    if c["hidden"]:
        os.makedirs(os.path.join(root, "hidden"), exist_ok=True)
        with open(os.path.join(root, "hidden", "test_hidden.py"), "w") as fh:
            fh.write(d(c["hidden"]))
    patch_path = os.path.join(root, "fix.patch")
    if c["fix"]:
        with open(patch_path, "w") as fh:
            fh.write(_patch(files, c["fix"]))
    elif os.path.exists(patch_path):
        os.remove(patch_path)
    if c["pytest_log"]:
        trig = PYTEST_TRIGGER.format(deploy=c["deploy"])
    else:
        logger = c["logger"] or f"{pkg}.worker"
        if c["main"]:
            main = textwrap.indent(d(c["main"]).rstrip(), "    ")
        else:
            main = (f"    _logkit.run(HERE, scenario, deploy={c['deploy']!r}, fmt={c['fmt']!r}, "
                    f"logger={logger!r}, seed={c['n']})")
        trig = TRIGGER.format(pkg=pkg, deploy=c["deploy"], imports=d(c["imports"]).rstrip(),
                              scenario=d(c["scenario"]).rstrip(), main=main)
    with open(os.path.join(root, "trigger.py"), "w") as fh:
        fh.write(trig)
    meta = {"id": name, "category": c["category"], "expect": c["expect"], "error_type": c["error_type"],
            "description": " ".join(c["description"].split())}
    with open(os.path.join(root, "case.json"), "w") as fh:
        json.dump(meta, fh, indent=2)
        fh.write("\n")
    return name


def main() -> None:
    sys.path.insert(0, HERE)
    for mod in SPECS:
        if os.path.exists(os.path.join(HERE, mod + ".py")):
            importlib.import_module(mod)
    wanted = {int(a) for a in sys.argv[1:]}
    for c in CASES:
        if not wanted or c["n"] in wanted:
            print(build(c))


if __name__ == "__main__":
    sys.modules["build"] = sys.modules[__name__]
    main()
