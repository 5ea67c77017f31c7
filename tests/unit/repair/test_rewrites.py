"""Rewrites at a localized line: undefined names, forgotten calls, KeyError lookups, regex literals,
and the fall-through handler around a `return`."""

from __future__ import annotations

import ast
import re
import textwrap

from hephaestus.repair.operators import mutants_at
from hephaestus.repair.pysource import PySource

CODE = textwrap.dedent(
    """\
    import re

    def write_to(output):
        def write(s):
            with open(output_path, "a") as f:
                f.write(s)
        return write

    def negate(ops, key):
        str_op = ops[key]
        return lambda attr, value: not str_op

    def lookup(d, k):
        return d[k]

    def base(url):
        return re.match(r"//[^/]+/(?:[^/?#]+/)?([^/?#]+)$", url)

    def entity(numstr, base):
        if numstr:
            numstr = numstr.strip()
            return chr(int(numstr, base))
        return "&" + numstr
    """
)
SRC = PySource("m.py", CODE)


def _by(operator: str, line: int, **kw: object) -> dict[str, str]:
    """description -> the file after the edit, for one operator's mutants at `line`."""
    return {
        m.description: SRC.replace(m.start, m.end, m.text)
        for m in mutants_at(SRC, line, **kw)  # type: ignore[arg-type]
        if m.operator == operator
    }


def test_an_undefined_name_is_replaced_by_the_closest_bound_name_first() -> None:
    found = mutants_at(SRC, 5)
    renames = [m for m in found if m.operator == "rename"]
    assert renames[0].text == "output"  # the enclosing function's parameter, most similar
    assert {m.text for m in renames} <= {"output", "write", "s", "f"}
    assert not [m for m in mutants_at(SRC, 14) if m.operator == "rename"]  # every name is bound


def test_a_function_used_as_a_truth_value_is_called_with_the_lambdas_parameters() -> None:
    made = _by("call", 11, values={"str_op": ("function", "<function <lambda>>")})
    assert any("not str_op(attr, value)" in text for text in made.values())
    assert _by("call", 11, values={"str_op": ("str", "'x'")}) == {}  # not a callable: no call


def test_a_subscript_raising_keyerror_becomes_get() -> None:
    made = _by("lookup", 14, error="KeyError")
    assert list(made.values()) == [CODE.replace("return d[k]", "return d.get(k)")]
    assert _by("lookup", 14, error="TypeError") == {}


def test_regex_literal_edits_compile_and_change_one_thing() -> None:
    made = _by("regex", 17)
    assert CODE.replace("(?:[^/?#]+/)?", "(?:[^?#]+/)?") in made.values()
    for text in made.values():
        tree = ast.parse(text)
        literal = next(
            n.args[0].value
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "match"
        )
        re.compile(literal)
        assert text != CODE


def test_a_return_that_code_follows_is_wrapped_to_fall_through() -> None:
    made = _by("handler", 22, error="ValueError")
    assert list(made) == ["catch ValueError and pass"]
    assert "except ValueError:\n            pass\n    return" in next(iter(made.values()))
    assert _by("handler", 23, error="ValueError") == {}  # the function's last statement: no fall-through


def test_the_function_holding_the_line_is_found_among_namesakes() -> None:
    code = textwrap.dedent(
        """\
        def make(output):
            if output is None:
                def write(s):
                    print(s)
            else:
                def write(s):
                    open(output_path).write(s)
            return write
        """
    )
    src = PySource("m.py", code)
    renames = sorted((m for m in mutants_at(src, 7) if m.operator == "rename"), key=lambda m: -m.prior)
    assert renames[0].text == "output"
    assert renames[0].prior > renames[-1].prior
