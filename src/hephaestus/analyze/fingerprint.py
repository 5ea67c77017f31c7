"""Stable fingerprints that group error events into issues.

An error with a stack trace is keyed by its exception type and its frames (file name and
function, not line numbers, so an unrelated edit above does not split the issue); one
without is keyed by its message template. Pure: fed by the processor, feeds grouping.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (pydantic models: imported only where records are built)
    from hephaestus.records import Frame

__all__ = ["fingerprint", "frame_key"]

_DIGITS = re.compile(r"\d+")
_MAX_FRAMES = 8


def frame_key(frame: Frame) -> str:
    """File basename without deployment prefix and function: `service/orders.py:total`."""
    path = frame.file.replace("\\", "/")
    parts = [p for p in path.split("/") if p]
    tail = "/".join(parts[-2:]) if parts else path
    return f"{tail}:{frame.function or '?'}"


def fingerprint(
    *, error_type: str | None, frames: Sequence[Frame], template: str, application: str = ""
) -> str:
    """Hex digest (16 chars) identifying the issue an error event belongs to."""
    if error_type and frames:
        basis = "|".join([application, "exc", error_type, *[frame_key(f) for f in frames[-_MAX_FRAMES:]]])
    elif error_type:
        basis = "|".join([application, "exc", error_type, _DIGITS.sub("<N>", template)])
    else:
        basis = "|".join([application, "tpl", _DIGITS.sub("<N>", template)])
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]
