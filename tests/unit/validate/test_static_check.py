"""Synthesized reproductions of log-only crashes: the static check, its arguments, the validator using it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hephaestus.repair.reproduce import reproduction_for
from hephaestus.validate import Validator
from hephaestus.validate import static_check as sc

MakeDiff = Callable[[Path, dict[str, str | None]], str]

MODULE = """
import os

RATE = 2


def price(n):
    return n * RAET


def fixed(n):
    return n * RATE


def counter():
    total = RATE
    for _ in range(3):
        RATE += 1
    return total


def greet(name):
    return name.startwith("x") or os.path.join(name, sep="/")


def text(raw):
    return raw.decode("utf-8") if isinstance(raw, bytes) else raw
"""


@pytest.fixture
def module(tmp_path: Path) -> str:
    path = tmp_path / "m.py"
    path.write_text(MODULE, encoding="utf-8")
    return str(path)


def test_undefined_name(module: str) -> None:
    assert sc.undefined_name(module, "price", "RAET") == sc.PRESENT
    assert sc.undefined_name(module, "fixed", "RATE") == sc.ABSENT  # a module global
    assert sc.undefined_name(module, "greet", "os") == sc.ABSENT  # an import
    assert sc.undefined_name(module, "price", "len") == sc.ABSENT  # not read there
    assert sc.undefined_name(module, "missing_function", "x") == sc.UNKNOWN


def test_local_shadow_attribute_keyword(module: str) -> None:
    assert sc.local_shadow(module, "counter", "RATE") == sc.PRESENT
    assert sc.local_shadow(module, "fixed", "RATE") == sc.ABSENT
    assert sc.attribute(module, "greet", "startwith") == sc.PRESENT
    assert sc.attribute(module, "greet", "upper") == sc.ABSENT
    assert sc.attribute(module, "text", "decode") == sc.ABSENT  # read only once the type is checked
    assert sc.keyword(module, "greet", "sep") == sc.PRESENT
    assert sc.keyword(module, "price", "sep") == sc.ABSENT
    assert sc.main(["nonsense"]) == sc.UNKNOWN


def test_arguments_come_from_the_message_not_a_template(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(MODULE, encoding="utf-8")
    args = {"repo": tmp_path, "path": "pkg/m.py"}
    assert reproduction_for("NameError", "name 'RAET' is not defined", line=8, **args) == (
        "undefined-name", "pkg/m.py", "price", "RAET",
    )  # fmt: skip
    assert reproduction_for("ModuleNotFoundError", "No module named 'x'", line=1, **args) == (
        "import",
        "pkg.m",
    )
    assert reproduction_for(
        "AttributeError", "'str' object has no attribute 'startwith'", line=22, **args
    ) == ("attribute", "pkg/m.py", "greet", "startwith")
    # a None receiver is fixed by a guard, which still reads the attribute: no static reproduction
    assert reproduction_for("AttributeError", "'NoneType' object has no attribute 'x'", line=22, **args) == ()
    assert reproduction_for("ZeroDivisionError", "division by zero", line=8, **args) == ()


def test_validator_uses_the_check_before_and_after(repo: Path, src: Any, make_diff: MakeDiff) -> None:
    (repo / "calc.py").write_text(src.calc + "\n\ndef double(x):\n    return x * TWOO\n", encoding="utf-8")
    validator = Validator(timeout_s=60)
    check = ("undefined-name", "calc.py", "double", "TWOO")
    good = make_diff(repo, {"calc.py": src.calc + "\n\ndef double(x):\n    return x * 2\n"})
    result = validator.validate(repo, good, check=check)
    assert result.passed
    assert result.reproduced_before
    assert result.fixed_after
    assert "Synthesized reproduction (static: undefined name 'TWOO' in double of calc.py)" in result.reason
    noop = make_diff(
        repo, {"calc.py": src.calc.replace("a + b", "b + a") + "\n\ndef double(x):\n    return x * TWOO\n"}
    )
    still = validator.validate(repo, noop, check=check)
    assert not still.passed
    assert not still.fixed_after
    assert not still.plausible  # the cause was found before and is still there
    unknown = validator.validate(repo, good, check=("undefined-name", "calc.py", "nowhere", "TWOO"))
    assert not unknown.passed
    assert unknown.plausible  # tests pass, but nothing reproduced the failure
