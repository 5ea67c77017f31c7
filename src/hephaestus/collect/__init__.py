"""Collection: sources that turn log files (plain, gzip, JSON lines) into RawLog records.

Feeds the raw topic; positions are checkpointed only after the bus has made the records
durable, so a restart neither loses nor re-counts a line.
"""

from __future__ import annotations

from hephaestus.collect.files import Checkpoints, FileSource, SourceItem

__all__ = ["Checkpoints", "FileSource", "SourceItem"]
