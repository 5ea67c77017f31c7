"""Reads evidence for a fix out of the code itself: documented defaults in docstrings, DEFAULT_*
constants, empty values for annotations. Pure functions over strings and CST nodes; fed by the
templates, whose priors depend on how strong the evidence found here is.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection
from dataclasses import dataclass

import libcst as cst

__all__ = [
    "DocumentedValue",
    "documented_values",
    "empty_value",
    "fallback_value",
    "literal_code",
    "mentions",
    "words",
]

_VALUE = (
    r"(?P<val>`{1,2}[^`]+`{1,2}|'[^']*'|\"[^\"]*\"|-?\d+(?:\.\d+)?|None|True|False|\[\]|\{\}|\(\)"
    r"|nan|zero|an? empty (?:list|dict|dictionary|string|str|tuple|set|mapping)|empty (?:list|dict|string))"
)
_PATTERNS = (
    re.compile(r"\breturns?\s+" + _VALUE + r"\s*,?\s+(?:when(?:ever)?|if|for|on)\s+(?P<cond>[^.;\n]*(?:\n[^.;\n]*)?)", re.I),  # noqa: E501
    re.compile(r"\b(?:when(?:ever)?|if)\s+(?P<cond>[^,.;\n]+),\s*(?:it\s+)?returns?\s+" + _VALUE, re.I),
    re.compile(r"\b" + _VALUE + r"\s+(?:is|are)\s+returned\s+(?:when(?:ever)?|if|for)\s+(?P<cond>[^.;\n]+)", re.I),  # noqa: E501
    re.compile(r"\b(?P<cond>[\w`'\" ]{1,40}?)\s+defaults?\s+to\s+" + _VALUE, re.I),
    re.compile(r"\b(?:empty|blank|missing)\s+(?P<cond>[\w ]{0,30}?)\s*(?:->|=>|gives|yields|counts? as|means)\s+" + _VALUE, re.I),  # noqa: E501
)  # fmt: skip
_EMPTY_WORDS = ("empty", "no ", "none", "nothing", "zero", "missing", "blank", "absent", "nobody", "never",
                "without", "unset")  # fmt: skip
_LEAD = re.compile(
    r"(?:^|[;:(]\s*|\bor\s+)"
    + _VALUE.replace("(?P<val>", "(?P<val>[A-Z][A-Z0-9_]{2,}|")
    + r"\s+(?:when(?:ever)?|if|for|while|on)\s+(?P<cond>[^.;)]+)"
)
_FALLBACK = re.compile(
    r"\b(?:falls?|falling)\s+back\s+(?:on|to)\s+(?P<val>`?[A-Z][A-Z0-9_]{2,}`?|-?\d+(?:\.\d+)?|None|'[^']*'|\"[^\"]*\")"
)
_ZERO = re.compile(r"(?<![\w.])0(?![\w.])")
_CLAUSE_SPLIT = re.compile(r"[;\n]|\.(?:\s|$)")
_CLAUSE_VALUE = re.compile(
    r"(?<![\w.])(?:-?\d+(?:\.\d+)?|None|True|False|\[\]|\{\}|\(\)|\"\"|''|[A-Z][A-Z0-9_]{2,})(?![\w.(])"
)
_WORD = re.compile(r"[a-z0-9]+")
_EMPTY_BY_TYPE = {
    "list": "[]", "dict": "{}", "str": '""', "tuple": "()", "set": "set()", "int": "0", "float": "0.0",
    "Sequence": "[]", "Iterable": "[]", "Mapping": "{}", "List": "[]", "Dict": "{}", "Tuple": "()",
    "bytes": 'b""', "frozenset": "frozenset()",
}  # fmt: skip


@dataclass(frozen=True)
class DocumentedValue:
    """`code` (a Python literal) is documented as the result when `condition` holds."""

    code: str
    condition: str
    sentence: str


def literal_code(raw: str) -> str | None:
    """Python source for a value as written in prose (`0.0`, ``None``, 'an empty list', 'zero')."""
    text = raw.strip().strip("`").strip()
    lowered = text.lower()
    if lowered == "zero":
        return "0"
    if lowered == "nan":
        return 'float("nan")'
    if "empty" in lowered:
        for word, code in (("list", "[]"), ("dict", "{}"), ("mapping", "{}"), ("str", '""'), ("tuple", "()")):
            if word in lowered:
                return code
        return "set()" if "set" in lowered else None
    try:
        ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None
    return text


def documented_values(
    doc: str, *, loose: bool = False, constants: Collection[str] = ()
) -> list[DocumentedValue]:
    """Every 'returns X when ...' / 'defaults to X' statement found in a docstring or comment.

    `loose` adds, after those, clauses that start with a value ("None when ...", "or 0.0 while
    ...") and clauses about emptiness holding exactly one value ("a course with no scores
    averages 0.0"); `constants` (module constant names) may then stand for the value.
    """
    flat = " ".join(doc.split())
    out: list[DocumentedValue] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(flat):
            code = literal_code(match.group("val"))
            if code is not None:
                out.append(
                    DocumentedValue(code=code, condition=match.group("cond").strip(), sentence=match.group(0))
                )
    if loose:
        out.extend(_loose_values(doc, set(constants)))
    return out


def fallback_value(doc: str, constants: Collection[str] = ()) -> DocumentedValue | None:
    """The single value a docstring says things 'fall back to' / 'default to' (literal or constant)."""
    flat = " ".join(doc.split())
    found = {
        (code, m.group(0))
        for m in _FALLBACK.finditer(flat)
        if (code := _value_code(m.group("val").strip("`"), set(constants))) is not None
    }
    if len({code for code, _ in found}) != 1:
        return None
    code, sentence = found.pop()
    return DocumentedValue(code=code, condition="fallback", sentence=sentence)


def _value_code(raw: str, constants: set[str]) -> str | None:
    if raw in constants:
        return raw
    return None if raw.isupper() and raw.isidentifier() else literal_code(raw)


def _loose_values(doc: str, constants: set[str]) -> list[DocumentedValue]:
    out: list[DocumentedValue] = []
    for clause in (" ".join(c.split()) for c in _CLAUSE_SPLIT.split(doc)):
        lead = _LEAD.search(clause)
        code = _value_code(lead.group("val"), constants) if lead else None
        if lead is not None and code is not None:
            out.append(DocumentedValue(code=code, condition=lead.group("cond").strip(), sentence=clause))
            continue
        if not any(w in f" {clause.lower()} " for w in _EMPTY_WORDS) and not _ZERO.search(clause):
            continue
        codes = {_value_code(m.group(0), constants) for m in _CLAUSE_VALUE.finditer(clause)}
        codes |= {literal_code(m.group("val")) for m in re.finditer(_VALUE, clause) if "empty" in m.group(0)}
        codes.discard(None)
        if len(codes) == 1:
            out.append(DocumentedValue(code=str(codes.pop()), condition=clause, sentence=clause))
    return out


def words(text: str) -> set[str]:
    """Lower-case word tokens, with identifiers split on underscores and a crude singular form."""
    out: set[str] = set()
    for token in _WORD.findall(text.lower().replace("_", " ")):
        out.add(token)
        if token.endswith("s") and len(token) > 3:
            out.add(token[:-1])
    return out


def mentions(condition: str, names: set[str], *, emptiness: bool = True) -> bool:
    """Does a documented condition talk about one of `names` (or, optionally, emptiness/zero)?"""
    cond_words = words(condition)
    if any(words(n) & cond_words and len(n) > 1 for n in names):
        return True
    lowered = f" {condition.lower()} "
    return emptiness and any(w in lowered for w in _EMPTY_WORDS)


def empty_value(annotation: cst.Annotation | None, module: cst.Module) -> str | None:
    """The empty value of an annotated parameter type (`list[dict]` -> `[]`), if obvious."""
    if annotation is None:
        return None
    code = module.code_for_node(annotation.annotation).strip().strip("'\"")
    base = code.split("[", 1)[0].split(".")[-1].strip()
    return _EMPTY_BY_TYPE.get(base)
