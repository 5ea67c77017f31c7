"""The message bus: the embedded local bus and Kafka behind one interface.

Stages produce to and consume from named topics (bus.topics); `open_bus` picks the
implementation from settings.
"""

from __future__ import annotations

from hephaestus.bus.base import Bus, Consumer, Message, Producer
from hephaestus.bus.topics import DEAD_LETTER, ERRORS, RAW_LOGS, STRUCTURED_LOGS, TopicSpec, default_topics

__all__ = [
    "DEAD_LETTER",
    "ERRORS",
    "RAW_LOGS",
    "STRUCTURED_LOGS",
    "Bus",
    "Consumer",
    "Message",
    "Producer",
    "TopicSpec",
    "default_topics",
]
