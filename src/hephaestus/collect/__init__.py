"""Collection: sources that turn logs into RawLog records for the raw topic.

Files (plain, gzip, JSON lines; FileSource), a stream (StdinSource), and pushed records from HTTP
ingest and syslog listeners (PushSource subclasses, moved to the bus by collect.pump.Pump). Every
source acknowledges or checkpoints only after the bus has made its records durable.
"""

from __future__ import annotations

from hephaestus.collect.base import Collectable
from hephaestus.collect.files import Checkpoints, FileSource, SourceItem
from hephaestus.collect.push import DeadFrame, PushSource
from hephaestus.collect.stdin import StdinSource

__all__ = ["Checkpoints", "Collectable", "DeadFrame", "FileSource", "PushSource", "SourceItem", "StdinSource"]
