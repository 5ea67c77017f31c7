"""Prometheus metrics and health endpoints for the pipeline services (`--metrics-port`).

Fed by the runner (components' Counters, bus client stats, batch timings, consumer lag); feeds
`/metrics`, `/healthz` (process alive) and `/readyz` (bus and store reachable) over HTTP.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import text

from hephaestus.stages import Counters

if TYPE_CHECKING:
    from hephaestus.bus import Bus, Consumer
    from hephaestus.store import Store

__all__ = ["MetricsServer", "ServiceMetrics", "bus_probe", "store_probe", "timed"]

_COUNTER_FIELDS = (
    ("received", "records_in", "Records a component took in."),
    ("sent", "records_out", "Records a component passed on or persisted."),
    ("errored", "records_errors", "Records a component failed on (sent to the dead-letter topic)."),
    ("dropped", "records_dropped", "Records a component dropped (e.g. re-delivered duplicates)."),
)
_BATCH_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def store_probe(store: Store) -> Callable[[], None]:
    """A check that raises if the store does not answer a trivial query."""

    def probe() -> None:
        with store.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    return probe


def bus_probe(bus: Bus, timeout: float = 2.0) -> Callable[[], None]:
    """A check that raises if the bus is unreachable (Kafka metadata request / local-bus query)."""
    from hephaestus.bus.local import LocalBus  # noqa: PLC0415 - keep Kafka imports optional

    if isinstance(bus, LocalBus):
        local = bus

        def local_probe() -> None:
            local.execute("SELECT 1")

        return local_probe
    from confluent_kafka.admin import AdminClient  # noqa: PLC0415

    from hephaestus.bus.kafka import KafkaBus, client_config  # noqa: PLC0415

    if not isinstance(bus, KafkaBus):
        return lambda: None
    admin = AdminClient(client_config(bus.settings) | bus.extra_config | {"log_level": 0})

    def probe() -> None:
        if not admin.list_topics(timeout=timeout).brokers:
            raise ConnectionError("Kafka metadata lists no brokers")

    return probe


class ServiceMetrics(Collector):
    """One service's metrics in its own registry; reads live counters at scrape time (no per-record work)."""

    def __init__(self, service: str, *, lag_interval_s: float = 5.0) -> None:
        self.service = service
        self.registry = CollectorRegistry()
        self.lag_interval_s = lag_interval_s
        self._lock = threading.Lock()
        self._components: dict[str, Counters] = {}
        self._clients: dict[str, Callable[[], dict[str, int]]] = {}
        self._stats: Callable[[], dict[str, int]] = dict
        self._loop: Callable[[], dict[str, int]] = dict
        self._probes: list[tuple[str, Callable[[], None]]] = []
        self.lag_errors = 0
        self._lags: dict[tuple[str, str, str], int] = {}
        self._lag_stop = threading.Event()
        self._lag_thread: threading.Thread | None = None
        self.started = time.time()
        self.batch_seconds = Histogram(
            "hephaestus_batch_seconds",
            "Wall time of one non-empty stage step (poll, work, flush, commit).",
            ["service", "stage"],
            buckets=_BATCH_BUCKETS,
            registry=self.registry,
        )
        self.last_iteration = Gauge(
            "hephaestus_last_iteration_timestamp_seconds",
            "Unix time the service loop last completed an iteration.",
            ["service"],
            registry=self.registry,
        ).labels(service)
        self.registry.register(self)

    # --- wiring (runner) -------------------------------------------------------------------------
    def add_component(self, name: str, counters: Counters) -> None:
        with self._lock:
            self._components[name] = counters

    def add_client(self, name: str, stats: Callable[[], dict[str, int]]) -> None:
        """A bus client's event counters (e.g. KafkaProducer.stats), read at scrape time."""
        with self._lock:
            self._clients[name] = stats

    def set_stats(
        self, pipeline: Callable[[], dict[str, int]], loop: Callable[[], dict[str, int]] = dict
    ) -> None:
        """Pipeline totals (PipelineStats.as_dict) and loop events (iterations, retries, ...)."""
        self._stats, self._loop = pipeline, loop

    def has_client(self, name: str) -> bool:
        with self._lock:
            return name in self._clients

    def add_probe(self, name: str, probe: Callable[[], None]) -> None:
        """A readiness check that raises when its dependency is unreachable."""
        with self._lock:
            self._probes.append((name, probe))

    # --- updates (runner thread) -----------------------------------------------------------------
    def observe_batch(self, stage: str, seconds: float) -> None:
        self.batch_seconds.labels(self.service, stage).observe(seconds)

    def iteration_done(self) -> None:
        self.last_iteration.set(time.time())

    def watch_lag(self, consumers: Callable[[], dict[str, Consumer]]) -> None:
        """Refresh the lag gauges every `lag_interval_s` in a background thread.

        Off the service loop on purpose: `KafkaConsumer.lag()` asks the broker for every partition's
        watermarks (about 0.5 s each while the consumer long-polls), which would stall the batches.
        """
        if self._lag_thread is not None:
            return

        def loop() -> None:
            while not self._lag_stop.is_set():
                self.update_lag(consumers())
                self._lag_stop.wait(self.lag_interval_s)

        self._lag_thread = threading.Thread(target=loop, name="metrics-lag", daemon=True)
        self._lag_thread.start()

    def close(self, timeout: float = 15.0) -> None:
        """Stop the lag thread (call before the consumers are closed)."""
        self._lag_stop.set()
        if self._lag_thread is not None:
            self._lag_thread.join(timeout)
            self._lag_thread = None

    def update_lag(self, consumers: dict[str, Consumer]) -> None:
        """Replace the lag gauges with `Consumer.lag()` of every consumer."""
        fresh: dict[tuple[str, str, str], int] = {}
        for group, consumer in consumers.items():
            try:
                lags = consumer.lag()
            except Exception:  # a metrics refresh must never stop the service
                self.lag_errors += 1
                continue
            for (topic, part), behind in lags.items():
                fresh[(group, topic, str(part))] = behind
        self._lags = fresh  # swapped whole: a scrape never sees a half-updated set

    # --- reading (HTTP thread) -------------------------------------------------------------------
    def collect(self) -> Iterable[Any]:
        with self._lock:
            components = dict(self._components)
            clients = dict(self._clients)
        for field, name, doc in _COUNTER_FIELDS:
            family = CounterMetricFamily(f"hephaestus_{name}", doc, labels=["service", "component"])
            for component, counters in sorted(components.items()):
                family.add_metric([self.service, component], float(getattr(counters, field)))
            yield family
        pipeline = CounterMetricFamily(
            "hephaestus_pipeline_records", "Pipeline totals by kind.", labels=["service", "kind"]
        )
        for kind, value in sorted(self._stats().items()):
            pipeline.add_metric([self.service, kind], float(value))
        yield pipeline
        loop = CounterMetricFamily(
            "hephaestus_loop_events",
            "Service loop events (iterations, retries).",
            labels=["service", "event"],
        )
        for event, value in sorted(self._loop().items()):
            loop.add_metric([self.service, event], float(value))
        yield loop
        bus = CounterMetricFamily(
            "hephaestus_bus_client_events",
            "Bus client events (produced, delivered, retried, spooled, committed, revoked, ...).",
            labels=["service", "client", "event"],
        )
        for client, stats in sorted(clients.items()):
            for event, value in sorted(dict(stats()).items()):
                bus.add_metric([self.service, client, event], float(value))
        yield bus
        lag = GaugeMetricFamily(
            "hephaestus_consumer_lag",
            "Records behind the committed offset, per consumer group and partition.",
            labels=["service", "group", "topic", "partition"],
        )
        for (group, topic, part), behind in sorted(self._lags.items()):
            lag.add_metric([self.service, group, topic, part], float(behind))
        yield lag
        errors = CounterMetricFamily(
            "hephaestus_lag_refresh_errors", "Failed consumer-lag refreshes.", labels=["service"]
        )
        errors.add_metric([self.service], float(self.lag_errors))
        yield errors
        up = GaugeMetricFamily("hephaestus_up", "1 while the service process runs.", labels=["service"])
        up.add_metric([self.service], 1.0)
        yield up

    def describe(self) -> Iterable[Any]:
        return []

    def exposition(self) -> bytes:
        return generate_latest(self.registry)

    def readiness(self) -> tuple[bool, str]:
        """(ready, text): every probe must pass; no probes yet means still starting."""
        with self._lock:
            probes = list(self._probes)
        if not probes:
            return False, "starting\n"
        lines, ready = [], True
        for name, probe in probes:
            try:
                probe()
                lines.append(f"{name}: ok")
            except Exception as exc:  # any failure means not ready
                ready = False
                lines.append(f"{name}: unreachable ({exc.__class__.__name__})")
        return ready, "\n".join(lines) + "\n"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        metrics = self.server.metrics
        path = self.path.split("?", 1)[0]
        if path == "/metrics":
            self._send(200, metrics.exposition(), CONTENT_TYPE_LATEST)
        elif path == "/healthz":
            self._send(200, b"ok\n")
        elif path == "/readyz":
            ready, body = metrics.readiness()
            self._send(200 if ready else 503, body.encode())
        else:
            self._send(404, b"not found: try /metrics, /healthz or /readyz\n")

    def _send(self, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return None  # no per-request logs


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], metrics: ServiceMetrics) -> None:
        self.metrics = metrics
        super().__init__(address, _Handler)


class MetricsServer:
    """`/metrics`, `/healthz`, `/readyz` on host:port in a daemon thread; port 0 picks a free port."""

    def __init__(self, metrics: ServiceMetrics, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = _Server((host, port), metrics)
        self.host, self.port = host, int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, name="metrics", daemon=True)

    def start(self) -> MetricsServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> MetricsServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def timed(metrics: ServiceMetrics | None, stage: str, step: Callable[[], int]) -> int:
    """Run one stage step; record its wall time when it moved something."""
    began = time.perf_counter()
    moved = step()
    if metrics is not None and moved:
        metrics.observe_batch(stage, time.perf_counter() - began)
    return moved
