"""The synthesized reproduction of a crash known only from an application log's traceback.

Fed the parsed failure (exception type and message) and its innermost in-repo frame by the engine;
feeds each candidate without a regression test the arguments of validate/static_check.py, which the
validator runs before (the cause must be present) and after (it must be gone) the patch.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from hephaestus.repair.pysource import PySource

__all__ = ["reproduction_for"]

_NAME = re.compile(r"name '(?P<n>\w+)' is not defined")
_UNBOUND = re.compile(
    r"(?:local variable '(?P<a>\w+)' referenced before assignment|local variable '(?P<b>\w+)')"
)
_ATTRIBUTE = re.compile(
    r"^(?:'(?P<type>[\w.]+)' object|module '[\w.]+'|type object '[\w.]+') has no attribute '(?P<a>\w+)'"
)
_KEYWORD = re.compile(r"got an unexpected keyword argument '(?P<k>\w+)'")


def _module_name(path: str) -> str:
    parts = list(PurePosixPath(path).with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    if parts and parts[0] == "src" and len(parts) > 1:
        parts.pop(0)
    return ".".join(parts)


def reproduction_for(error_type: str, message: str, *, repo: Path, path: str, line: int) -> tuple[str, ...]:
    """static_check.py arguments reproducing `error_type: message` raised at `path:line`, or ()."""
    kind = error_type.rsplit(".", 1)[-1]
    if kind in ("ImportError", "ModuleNotFoundError"):
        return ("import", _module_name(path))
    try:
        src = PySource(path, (repo / path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return ()
    func = src.function_at(line) or "-"
    if kind == "NameError" and (m := _NAME.search(message)):
        return ("undefined-name", path, func, m["n"])
    if kind == "UnboundLocalError" and (m := _UNBOUND.search(message)):
        return ("local-shadow", path, func, m["a"] or m["b"])
    if kind == "AttributeError" and (m := _ATTRIBUTE.search(message)) and m["type"] != "NoneType":
        return ("attribute", path, func, m["a"])
    if kind == "TypeError" and (m := _KEYWORD.search(message)):
        return ("keyword", path, func, m["k"])
    return ()
