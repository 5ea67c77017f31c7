"""The long-running pipeline (`hephaestus run` and the per-stage services): follows the
configured files and keeps collect -> process -> analyze -> solve going until stopped.

State lives in the store (issues, checkpoints) and the bus (offsets), so a restart resumes
without losing or re-counting a line. Fed by settings; feeds the store.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from hephaestus.bus import Bus
from hephaestus.bus.local import LocalBus
from hephaestus.collect import FileSource, StdinSource
from hephaestus.collect.sources import CollectSet, build_sources
from hephaestus.errors import ConfigError, RetryableError
from hephaestus.pipeline import Pipeline
from hephaestus.process.noise_rules import NoiseRefresh
from hephaestus.process.processor import Processor
from hephaestus.process.templates import JsonFileStore, TemplateMiner
from hephaestus.settings import Settings
from hephaestus.store import Store

if TYPE_CHECKING:
    from hephaestus.metrics import ServiceMetrics

__all__ = ["ALL_STAGES", "RunStats", "open_bus", "run_pipeline"]

ALL_STAGES = frozenset({"collect", "process", "analyze", "solve"})
_MAX_BACKOFF_S = 30.0
_PRUNE_EVERY = 100
MINER_SAVE_S = 10.0  # how often a processor snapshots its templates (a crash loses at most this)
NOISE_REFRESH_S = 5.0  # how soon a running processor applies a new `issues noise` verdict
# A Kafka analyzer without a processor in its loop gathers events and logs this long per step: one
# store transaction and one commit per ~100 ms of records, not per few records (CPU per log; the
# error events' latency on the errors topic is not affected, issue counts trail by up to this)
ANALYZER_LINGER_S = 0.1


@dataclass
class RunStats:
    iterations: int = 0
    moved: int = 0
    solved: int = 0
    retries: int = 0


def open_bus(settings: Settings, *, kafka_config: Mapping[str, str] | None = None) -> Bus:
    """The configured bus; `kafka_config` adds librdkafka properties (e.g. session.timeout.ms)."""
    if settings.bus.kind == "kafka":
        from hephaestus.bus.kafka import KafkaBus  # noqa: PLC0415 - optional heavy import

        spool = settings.kafka.spool_dir or str(Path(settings.data_dir) / "kafka-spool")
        extra = {**settings.kafka.extra_config, **dict(kafka_config or {})}
        return KafkaBus(settings.kafka, spool_dir=Path(spool), extra_config=extra)
    return LocalBus(settings.bus_path, partitions=settings.bus.partitions)


def run_pipeline(
    settings: Settings,
    *,
    stop: threading.Event,
    stages: frozenset[str] = ALL_STAGES,
    on_iteration: Callable[[RunStats], None] | None = None,
    metrics: ServiceMetrics | None = None,
    kafka_config: Mapping[str, str] | None = None,
    stdin: BinaryIO | None = None,
) -> RunStats:
    """Run the enabled stages until `stop` is set; flushes and commits before returning.

    The collect stage reads `collect.files`, `stdin` (or the process's, when `collect.sources` lists
    it; the run ends once it is exhausted and processed) and runs the listeners of `collect.sources`.

    With `metrics`, the components' counters, batch timings, consumer lag and bus/store
    readiness are published to it (served by hephaestus.metrics.MetricsServer). `kafka_config`
    adds librdkafka properties to every Kafka client (ignored on the local bus).
    """
    unknown = stages - ALL_STAGES
    if unknown:
        raise ConfigError(f"unknown stage(s): {', '.join(sorted(unknown))}")
    if "collect" in stages and not (settings.collect.files or settings.collect.sources or stdin):
        raise ConfigError(
            "no files to follow and no sources: set collect.files or collect.sources in the config"
            " (or HEPHAESTUS_COLLECT__FILES), or pass --stdin"
        )
    repo = Path(settings.repo).resolve() if settings.repo else None
    if "solve" in stages and repo is not None and not repo.is_dir():
        raise ConfigError(f"repo is not a directory: {repo}")
    store = Store(settings.store_url)
    bus = open_bus(settings, kafka_config=kafka_config)
    templates = JsonFileStore(Path(settings.data_dir) / "templates.json")
    processor = Processor(
        settings=settings.process,
        application=settings.collect.application or None,
        miner=_load_miner(templates, settings),
    )
    # KafkaBus applies kafka.topic_prefix and kafka.group_prefix itself, so the pipeline uses the
    # plain names there (groups `hephaestus.processor`, not `hephaestus.hephaestus.processor`)
    pipeline = Pipeline(
        bus=bus,
        store=store,
        processor=processor,
        group_prefix="" if settings.bus.kind == "kafka" else settings.kafka.group_prefix,
        batch_size=settings.bus.batch_size,
        poll_timeout_s=settings.bus.poll_timeout_s,
        linger_s=ANALYZER_LINGER_S
        if settings.bus.kind == "kafka" and "analyze" in stages and "process" not in stages
        else 0.0,
    )
    sources = build_sources(settings, checkpoints=store, stdin=stdin) if "collect" in stages else CollectSet()
    # issues marked as noise in the store: suppressed by detection, reloaded while running
    noise = NoiseRefresh(
        processor.detector.set_noise_templates, store.noise_templates, every_s=NOISE_REFRESH_S
    )
    stats = RunStats()
    # What is alive now (modules, settings, the miner) lives as long as the process: freezing it
    # keeps the collector's full passes small (unfrozen, one took 60-70 ms: a latency spike).
    gc.freeze()
    if metrics is not None:
        _attach_metrics(metrics, pipeline, sources, bus, store, stats)
    # A Kafka consumer blocks in poll until a record arrives, so a consuming stage needs no sleep
    # (sleeping would add its length to the latency); the embedded bus and file polling do.
    blocking = not isinstance(bus, LocalBus) and bool(stages & {"process", "analyze"})
    idle_wait_s = 0.0 if blocking else settings.collect.poll_interval_s
    backoff = 0.5
    save_at = time.monotonic() + MINER_SAVE_S
    try:
        sources.start(bus, batch_size=settings.bus.batch_size)
        while not stop.is_set():
            try:
                if "process" in stages:
                    noise.poll()
                moved = _iterate(pipeline, sources.polled, stages, metrics)
                if "solve" in stages and repo is not None and settings.repair.enabled:
                    stats.solved += _solve_new(store, repo, settings, stop)
                backoff = 0.5
            except RetryableError:
                stats.retries += 1
                stop.wait(backoff)
                backoff = min(backoff * 2, _MAX_BACKOFF_S)
                continue
            stats.iterations += 1
            stats.moved += moved
            if metrics is not None:
                _refresh_metrics(metrics, pipeline)
            if on_iteration:
                on_iteration(stats)
            if "process" in stages and time.monotonic() >= save_at:
                _save_miner(templates, processor.miner)
                save_at = time.monotonic() + MINER_SAVE_S
            if stats.iterations % _PRUNE_EVERY == 0 and isinstance(bus, LocalBus):
                bus.prune()  # the embedded bus keeps only what some group still has to read
            if moved == 0 and sources.exhausted:
                break  # all of stdin read and everything after it done
            if moved == 0 and idle_wait_s:
                stop.wait(idle_wait_s)
    finally:
        sources.stop()
        if "process" in stages:
            _save_miner(templates, processor.miner)
        if metrics is not None:
            metrics.close()
        pipeline.close()
        bus.close()
        store.close()
    return stats


def _load_miner(templates: JsonFileStore, settings: Settings) -> TemplateMiner:
    """The template miner as the last run left it (template ids and counts carry over)."""
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    try:
        state = templates.load()
    except (OSError, ValueError):
        state = None  # a damaged snapshot: start afresh rather than refuse to run
    if state is None:
        return TemplateMiner(similarity_threshold=settings.process.similarity_threshold)
    return TemplateMiner.from_state(state)


def _save_miner(templates: JsonFileStore, miner: TemplateMiner) -> None:
    """Snapshot the miner; a failed write only costs template history, so it never stops a run."""
    with contextlib.suppress(OSError):
        templates.save(miner.to_state())


def _iterate(
    pipeline: Pipeline,
    polled: list[FileSource | StdinSource],
    stages: frozenset[str],
    metrics: ServiceMetrics | None = None,
) -> int:
    from hephaestus.metrics import timed  # noqa: PLC0415 - prometheus_client only when used

    moved = 0
    for source in polled:
        if not source.started:
            source.start()
        moved += timed(metrics, "collect", functools.partial(pipeline.collect_once, source))
    if "process" in stages:
        moved += timed(metrics, "process", pipeline.process_once)
    if "analyze" in stages:
        moved += timed(metrics, "analyze", pipeline.analyze_once)
        moved += timed(metrics, "index", pipeline.index_once)
    return moved


def _attach_metrics(
    metrics: ServiceMetrics,
    pipeline: Pipeline,
    sources: CollectSet,
    bus: Bus,
    store: Store,
    stats: RunStats,
) -> None:
    from hephaestus.metrics import bus_probe, store_probe  # noqa: PLC0415

    parts = [*sources.components, pipeline.processor, pipeline.issue_sink, pipeline.index_sink]
    for component in parts:
        if component is not None:
            metrics.add_component(component.name, component.counters)
    producer_stats = getattr(pipeline.producer, "stats", None)
    if producer_stats is not None:
        metrics.add_client("producer", _snapshot(producer_stats))
    metrics.set_stats(pipeline.stats.as_dict, lambda: asdict(stats))
    metrics.add_probe("bus", bus_probe(bus))
    metrics.add_probe("store", store_probe(store))
    metrics.watch_lag(lambda: dict(pipeline.consumers))  # read-only: consumers are created lazily


def _snapshot(counter: Mapping[str, int]) -> Callable[[], dict[str, int]]:
    return lambda: dict(counter)


def _refresh_metrics(metrics: ServiceMetrics, pipeline: Pipeline) -> None:
    """Register consumers created since the last iteration."""
    for group, consumer in pipeline.consumers.items():
        consumer_stats = getattr(consumer, "stats", None)
        if consumer_stats is not None and not metrics.has_client(f"consumer.{group}"):
            metrics.add_client(f"consumer.{group}", _snapshot(consumer_stats))
    metrics.iteration_done()


def _solve_new(store: Store, repo: Path, settings: Settings, stop: threading.Event) -> int:
    from hephaestus.service import solve  # noqa: PLC0415 - service imports this module's peers

    solved = 0
    for issue in store.issues(status="open", limit=100):
        if stop.is_set():
            break
        if store.solution(issue.id) is not None or store.diagnosis(issue.id) is not None:
            continue
        started = time.monotonic()
        solution, diagnosis = solve(issue, repo, settings=settings, store=store)
        if solution is None and diagnosis is None:
            store.set_diagnosis(issue.id, f"no fix found ({time.monotonic() - started:.1f}s)")
        solved += 1
    return solved
