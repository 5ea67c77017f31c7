"""The stage runner: moves records source -> raw -> structured/errors -> store over any Bus.

Each step reads a batch, writes its outputs and commits the input offsets only once those outputs
are durable (at-least-once; sinks are idempotent). The process step does not wait per batch: it
commits a batch when the producers report all its outputs acknowledged, processing the next ones
meanwhile; structured logs go through a bulk producer (bigger, later batches), error events through
the prompt one. Poison records go to the dead-letter topic.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from hephaestus.bus import DEAD_LETTER, ERRORS, RAW_LOGS, STRUCTURED_LOGS, Bus, Consumer, Message, Producer
from hephaestus.collect import Collectable
from hephaestus.errors import PermanentError
from hephaestus.process.processor import Processor
from hephaestus.records import ErrorEvent, RawLog, StructuredLog
from hephaestus.step_io import PipelineStats, dead_letter, event_of, traced_log_of
from hephaestus.store import Store
from hephaestus.store.sinks import IssueSink, LogIndexSink
from hephaestus.wire import RawRecord, decode_raw, encode

__all__ = ["Pipeline", "PipelineStats", "dead_letter"]

ORIGIN = "hephaestus-origin"
_MAX_UNACKED = 256  # processed batches awaiting acknowledgement before process_once flushes
_RAW_TYPES = (RawRecord, RawLog)
_event_json = ErrorEvent.__pydantic_serializer__.to_json


class Pipeline:
    """Runs any subset of the stages; `prefix` namespaces the topics (tests, multi-tenant) and
    `group_prefix` the consumer groups ("" = the bare step names: a KafkaBus adds its own).
    `linger_s` > 0: the analyze and index steps gather records that long (or `batch_size`) once the
    first arrived, so a store transaction and a commit serve many records (a standalone analyzer)."""

    def __init__(
        self,
        *,
        bus: Bus,
        store: Store | None,
        processor: Processor | None = None,
        prefix: str = "",
        group_prefix: str = "hephaestus",
        batch_size: int = 1000,
        poll_timeout_s: float = 0.05,
        linger_s: float = 0.0,
    ) -> None:
        self.bus = bus
        self.linger_s = linger_s
        self.store = store
        self.processor = processor
        self.batch_size = batch_size
        self.poll_timeout_s = poll_timeout_s
        self.raw, self.structured = prefix + RAW_LOGS, prefix + STRUCTURED_LOGS
        self.errors, self.dlq = prefix + ERRORS, prefix + DEAD_LETTER
        bus.ensure_topics([self.raw, self.structured, self.errors, self.dlq])
        self.producer = bus.producer()
        self._bulk: Producer | None = None  # structured logs; made by the first process step
        self.group_prefix = group_prefix
        self._consumers: dict[str, Consumer] = {}
        self.stats = PipelineStats()
        # (prompt producer's mark, bulk producer's mark, last message per partition) per batch
        self._unacked: list[tuple[int, int, list[Message]]] = []
        self.issue_sink = IssueSink(store) if store is not None else None
        self.index_sink = LogIndexSink(store) if store is not None else None
        self.on_progress: Callable[[str, int], None] | None = None

    @property
    def bulk(self) -> Producer:
        """The producer for structured logs: nobody waits on one, so it batches for throughput."""
        if self._bulk is None:
            self._bulk = self.bus.producer(bulk=True)
        return self._bulk

    @property
    def consumers(self) -> dict[str, Consumer]:
        """The consumers created so far, by step name (read-only view for metrics)."""
        return dict(self._consumers)

    def _group(self, name: str) -> str:
        return f"{self.group_prefix}.{name}" if self.group_prefix else name

    def _consumer(self, group: str, topic: str) -> Consumer:
        if group not in self._consumers:
            self._consumers[group] = self.bus.consumer(self._group(group), [topic])
        return self._consumers[group]

    # --- collect -----------------------------------------------------------------------------
    def collect_once(self, source: Collectable) -> int:
        """Produce what the source has now; checkpoint only after the bus made it durable."""
        n = 0
        produce, topic, every = self.producer.produce_record, self.raw, self.batch_size
        keys: dict[str, bytes] = {}  # one per file
        for raw, origin in source.read():
            key = keys.get(raw.source)
            if key is None:
                key = keys[raw.source] = raw.source.encode("utf-8")
            produce(topic, raw, encode, key=key, headers={ORIGIN: origin})
            n += 1
            if n % every == 0:
                self.producer.flush()
                source.commit()
        self.producer.flush()
        source.commit()
        self.stats.records += n
        if n and self.on_progress:
            self.on_progress("collect", n)
        return n

    # --- process -----------------------------------------------------------------------------
    def process_once(self) -> int:
        if self.processor is None:
            raise RuntimeError("process_once needs a Processor")
        consumer = self._consumer("processor", self.raw)
        batch = consumer.poll_batch(self.batch_size, timeout=self.poll_timeout_s)
        bulk = self.bulk
        process, produce_log, logs_topic = self.processor.process, bulk.produce_record, self.structured
        structured = 0
        try:
            for msg in batch:
                raw = msg.held()  # the collector's record itself on an in-process bus
                if not isinstance(raw, _RAW_TYPES):
                    try:
                        raw = decode_raw(msg.value)  # msgspec; pydantic only for what it does not take
                    except PermanentError as exc:
                        self._dead(msg, str(exc))
                        continue
                try:
                    outputs = process(raw, origin=msg.headers.get(ORIGIN))
                except PermanentError as exc:
                    self._dead(msg, f"permanent: {exc}")
                    continue
                except Exception as exc:  # an unexpected bug must not lose the record either
                    self._dead(msg, f"internal error: {exc.__class__.__name__}: {exc}")
                    continue
                for out in outputs:
                    log = out.structured
                    produce_log(logs_topic, log, encode, key=log.log_id.encode())
                    structured += 1
                    if out.event is not None:
                        ev = out.event
                        key = ev.fingerprint.encode()
                        self.producer.produce_record(self.errors, ev, _event_json, key=key)
                        self.stats.errors += 1
        finally:
            self.stats.structured += structured
        if batch:
            # the batch's input offsets are committed once its outputs are acknowledged: meanwhile
            # the next batches are processed (no flush round trip per batch on Kafka)
            last = {(m.topic, m.partition): m for m in batch}
            self._unacked.append((self.producer.mark(), bulk.mark(), list(last.values())))
            if self.on_progress:
                self.on_progress("process", len(batch))
        self._commit_acknowledged(consumer, wait=len(self._unacked) > _MAX_UNACKED)
        return len(batch)

    def _commit_acknowledged(self, consumer: Consumer, *, wait: bool) -> None:
        """Commit the input of every batch whose outputs are durable; `wait` flushes first, so all are."""
        if not self._unacked:
            return
        if wait:
            self.bulk.flush()  # raises if a record could not be delivered: nothing is committed
            self.producer.flush()
            ready, self._unacked = self._unacked, []
        else:
            done, unacked = 0, self._unacked
            while (
                done < len(unacked)
                and self.producer.delivered(unacked[done][0])
                and self.bulk.delivered(unacked[done][1])
            ):
                done += 1
            ready, self._unacked = unacked[:done], unacked[done:]
        if ready:
            consumer.commit([m for *_, last in ready for m in last], wait=False)

    def settle(self) -> None:
        """Flush and commit everything processed so far (drain and close call it)."""
        if self._unacked:
            self._commit_acknowledged(self._consumer("processor", self.raw), wait=True)

    def _dead(self, msg: Message, reason: str) -> None:
        dead_letter(self.producer, self.dlq, msg, reason)
        self.stats.dead_letters += 1

    # --- analyze -----------------------------------------------------------------------------
    def analyze_once(self) -> int:
        if self.issue_sink is None:
            raise RuntimeError("analyze_once needs a Store")
        consumer = self._consumer("analyzer", self.errors)
        batch = self._gather(consumer)
        events: list[ErrorEvent] = []
        for msg in batch:
            try:
                events.append(event_of(msg))
            except PermanentError as exc:
                self._dead(msg, str(exc))
        self.producer.flush()
        before = self.issue_sink.counters.sent
        self.issue_sink.write(events)
        self.issue_sink.flush()
        self.stats.events_counted += self.issue_sink.counters.sent - before
        self.stats.fingerprints.update(e.fingerprint for e in events)
        if batch:
            consumer.commit(batch)
        return len(batch)

    def _gather(self, consumer: Consumer) -> list[Message]:
        """A batch; with `linger_s`, what arrives within it after the first record joins the batch."""
        batch = consumer.poll_batch(self.batch_size, timeout=self.poll_timeout_s)
        if batch and self.linger_s:
            until = time.monotonic() + self.linger_s
            while len(batch) < self.batch_size and (left := until - time.monotonic()) > 0:
                batch += consumer.poll_batch(self.batch_size - len(batch), timeout=left)
        return batch

    def index_once(self) -> int:
        """Keep structured logs with trace ids in the store (related-logs context)."""
        if self.index_sink is None:
            raise RuntimeError("index_once needs a Store")
        consumer = self._consumer("indexer", self.structured)
        batch = self._gather(consumer)
        logs: list[StructuredLog] = []
        for msg in batch:
            try:
                log = traced_log_of(msg)  # None for most: no trace id, not even parsed
            except PermanentError as exc:
                self._dead(msg, str(exc))
                continue
            if log is not None:
                logs.append(log)
        self.producer.flush()
        self.index_sink.write(logs)
        self.index_sink.flush()
        if batch:
            consumer.commit(batch)
        return len(batch)

    def drain(self, *, collect: Collectable | None = None, process: bool = True, analyze: bool = True) -> int:
        """Run the enabled steps until none of them finds work; returns records moved.

        Memory stays bounded whatever the input's size: each round collects one chunk of the source
        (FileSource reads a bounded number of lines per call), the later steps then work until they
        have caught up, and the bus drops what every group has committed (Bus.prune)."""
        total = 0
        while True:
            moved = self.collect_once(collect) if collect is not None else 0
            while True:
                step = self.process_once() if process else 0
                if analyze:
                    step += self.analyze_once() + self.index_once()
                moved += step
                if step == 0:
                    break
            self.settle()
            self.bus.prune()
            total += moved
            if moved == 0:
                return total

    def dead_letters(self) -> list[dict[str, str]]:
        """Everything in the dead-letter topic (for reports and tests)."""
        consumer = self.bus.consumer(self._group(f"dlq-reader.{id(self)}"), [self.dlq])
        out = []
        while batch := consumer.poll_batch(1000, timeout=0.5):
            out += [
                {"reason": m.headers.get("dlq-reason", ""), "value": m.value.decode("utf-8", "replace")}
                for m in batch
            ]
        consumer.close()
        return out

    def close(self) -> None:
        self.settle()
        if self._bulk is not None:
            self._bulk.flush()
        self.producer.flush()
        for consumer in self._consumers.values():
            consumer.close()
