"""Collectable: what Pipeline.collect_once needs of a source (FileSource, StdinSource, PushSource).

Fed nothing (a typing contract); `read()` yields the SourceItems available now, `commit()` is
called once the bus has flushed everything read so far.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from hephaestus.collect.files import SourceItem

__all__ = ["Collectable"]


class Collectable(Protocol):
    def read(self) -> Iterator[SourceItem]: ...

    def commit(self) -> None: ...
