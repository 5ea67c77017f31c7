"""What the pipeline's steps read from and write to the bus besides their main flow: the records of
the errors and structured topics taken out of a message (the record itself when an in-process bus
handed it over, else its wire bytes), dead letters, and the pipeline's totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from hephaestus.bus import Message, Producer
from hephaestus.errors import PermanentError
from hephaestus.records import ErrorEvent, StructuredLog
from hephaestus.wire import StructuredRecord

__all__ = ["PipelineStats", "dead_letter", "event_of", "traced_log_of"]

_TRACE_KEY = b'"trace_id"'  # in a StructuredLog's JSON only when process_info holds a trace id
_LOG_START = b'{"log_id":'  # how every StructuredLog the processor writes begins


@dataclass
class PipelineStats:
    records: int = 0
    structured: int = 0
    errors: int = 0
    dead_letters: int = 0
    events_counted: int = 0
    fingerprints: set[str] = field(default_factory=set)

    def as_dict(self) -> dict[str, int]:
        return {
            "records": self.records,
            "structured": self.structured,
            "errors": self.errors,
            "dead_letters": self.dead_letters,
            "events_counted": self.events_counted,
        }


def dead_letter(producer: Producer, topic: str, message: Message, reason: str) -> None:
    """Send `message` unchanged to the dead-letter topic, with why and where it came from."""
    headers = dict(message.headers)
    headers.update(
        {
            "dlq-reason": reason[:1000],
            "dlq-topic": message.topic,
            "dlq-partition": str(message.partition),
            "dlq-offset": str(message.offset),
        }
    )
    producer.produce(topic, message.value, key=message.key, headers=headers)


def event_of(msg: Message) -> ErrorEvent:
    """The error event in `msg`; PermanentError (the dead-letter reason) when it holds none."""
    held = msg.held()
    if isinstance(held, ErrorEvent):
        return held
    try:
        return ErrorEvent.model_validate_json(msg.value)
    except ValidationError as exc:
        raise PermanentError(f"not an ErrorEvent: {exc.errors()[0]['msg']}") from None


def traced_log_of(msg: Message) -> StructuredLog | None:
    """The structured log in `msg` when it may carry a trace id, None when it surely carries none
    (most logs: skipped without parsing); PermanentError (the dead-letter reason) for what is no
    StructuredLog."""
    held = msg.held()
    if isinstance(held, StructuredRecord):
        if "trace_id" not in held.context.process_info:
            return None
        try:
            return held.to_model()
        except ValidationError:
            pass  # the bytes decide, as for any record
    value = msg.value
    if _TRACE_KEY not in value and value.startswith(_LOG_START) and value.endswith(b"}"):
        return None
    try:
        return StructuredLog.model_validate_json(value)
    except ValidationError as exc:
        raise PermanentError(f"not a StructuredLog: {exc.errors()[0]['msg']}") from None
