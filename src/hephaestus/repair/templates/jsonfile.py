"""JSONDecodeError template: `json.load(fh)` on an empty (zero-byte) file that the code documents.

Fed a FixContext whose failing line holds `json.load(fh)` with "Expecting value: line 1 column 1
(char 0)"; evidence is a docstring sentence putting an empty file with the missing one ("a missing or
empty file is an empty cache") plus the single literal the function already returns for the missing
case (`if not os.path.exists(path): return {}`). The empty file then gets that value too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

from hephaestus.repair.edits import insert_before, parse_expr, parse_stmts, replace_with
from hephaestus.repair.model import Proposal
from hephaestus.repair.source import SourceFile
from hephaestus.repair.templates.base import FixContext, proposal

__all__ = ["empty_json_file"]

_EMPTY_JSON = re.compile(r"Expecting value: line 1 column 1 \(char 0\)")
_SENTENCE = re.compile(
    r"[^.]*\b(?:missing|absent|nonexistent|non-existent)\b[^.]*\b(?:empty|zero-byte)\b[^.]*"
    r"|[^.]*\b(?:empty|zero-byte)\b[^.]*\b(?:missing|absent|nonexistent|non-existent)\b[^.]*",
    re.I,
)
_LITERALS = (cst.Dict, cst.List, cst.Tuple, cst.Name, cst.SimpleString, cst.Integer, cst.Float)


def _guard_value(src: SourceFile, func: cst.FunctionDef) -> str | None:
    """The one literal returned by the function's `if not <exists>: return V` guards."""
    values: set[str] = set()
    for branch in src.walk(cst.If, func.body):
        test = src.code(branch.test)
        if "exists" not in test and "is_file" not in test and "isfile" not in test:
            continue
        for ret in src.walk(cst.Return, branch.body):
            if ret.value is None or not isinstance(ret.value, _LITERALS):
                return None
            code = src.code(ret.value).strip()
            if isinstance(ret.value, cst.Name) and code not in {"None", "True", "False"}:
                return None
            values.add(code)
    return values.pop() if len(values) == 1 else None


def empty_json_file(ctx: FixContext) -> Iterator[Proposal]:
    """`json.empty-file-default`: an empty file read like the documented missing one."""
    if ctx.error_type not in {"JSONDecodeError", "ValueError"} or not _EMPTY_JSON.search(ctx.message):
        return
    src = ctx.source
    for call in src.on_line(cst.Call, ctx.line):
        if src.code(call.func).strip() not in {"json.load", "load"} or len(call.args) != 1:
            continue
        func = src.enclosing(call, cst.FunctionDef)
        stmt = src.enclosing(call, cst.SimpleStatementLine)
        sentence = _SENTENCE.search(" ".join(src.docstring(func).split())) if func is not None else None
        value = _guard_value(src, func) if func is not None else None
        if func is None or stmt is None or sentence is None or value is None:
            continue
        used = {n.value for n in src.walk(cst.Name, func)}
        text = next(n for n in ("content", "raw_text", "file_text", "_json_text") if n not in used)
        handle = src.code(call.args[0].value).strip()
        loads = src.code(call.func).strip().removesuffix("load") + "loads"
        edits = insert_before(src, stmt, parse_stmts(src, f"{text} = {handle}.read()"))
        if edits is None:
            continue
        edits[call] = replace_with(parse_expr(f"{loads}({text}) if {text}.strip() else {value}"))
        found = proposal(
            ctx, edits, template="json.empty-file-default",
            cause=f"`{src.code(call).strip()}` fails on an empty file; the docstring says "
            f'"{sentence.group(0).strip()}" and the function returns {value} for the missing file',
            change=f"read the file first and return {value} when it is empty", prior=0.75,
        )  # fmt: skip
        if found is not None:
            yield found
            return
