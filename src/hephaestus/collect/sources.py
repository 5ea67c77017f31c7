"""Builds the collector's sources from `collect` settings and runs the pushed ones' pumps.

Fed the settings (collect.files, collect.sources) and stdin; feeds the runner the sources it polls
(files, stdin) and starts/stops the listeners (HTTP ingest, syslog), one Pump each.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from hephaestus.bus import Bus
from hephaestus.collect.files import Checkpoints, FileSource, source_limits
from hephaestus.collect.push import PushSource
from hephaestus.collect.stdin import StdinSource
from hephaestus.errors import ConfigError
from hephaestus.settings import Settings
from hephaestus.stages import Component

if TYPE_CHECKING:
    from hephaestus.collect.pump import Pump

__all__ = ["DEFAULT_PORTS", "CollectSet", "build_sources"]

DEFAULT_PORTS = {"http": 8090, "syslog": 5514}


@dataclass
class CollectSet:
    """What one collector runs: polled sources, pushed sources and their pumps."""

    polled: list[FileSource | StdinSource] = field(default_factory=list)
    pushed: list[PushSource] = field(default_factory=list)
    pumps: list[Pump] = field(default_factory=list)

    @property
    def components(self) -> list[Component]:
        return [*self.polled, *self.pushed]

    @property
    def exhausted(self) -> bool:
        """Only finite input (stdin), and all of it read: the run may end once the rest caught up."""
        return (
            bool(self.polled)
            and not self.pushed
            and all(isinstance(s, StdinSource) and s.finished for s in self.polled)
        )

    def start(self, bus: Bus, *, batch_size: int = 1000) -> None:
        """Bind the listeners (ConfigError when an address is taken) and start their pumps."""
        from hephaestus.collect.pump import Pump  # noqa: PLC0415 - pump imports the pipeline (a cycle)

        for source in self.pushed:
            try:
                source.start()
            except OSError as exc:
                self.stop()
                where = f"{getattr(source, 'host', '?')}:{getattr(source, 'port', '?')}"
                raise ConfigError(f"{source.name} cannot listen on {where}: {exc.strerror or exc}") from exc
            self.pumps.append(Pump(source, bus, batch_size=batch_size).start())

    def stop(self) -> None:
        """Stop listening first, then let each pump drain what its source still holds."""
        for source in self.pushed:
            source.stop()
        for pump in self.pumps:
            pump.stop()
        self.pumps = []


def build_sources(
    settings: Settings, *, checkpoints: Checkpoints | None = None, stdin: BinaryIO | None = None
) -> CollectSet:
    """Files (followed, checkpointed), stdin (when listed or passed) and the listeners."""
    from hephaestus.api.security import TOKEN_ENV  # noqa: PLC0415 - FastAPI, uvicorn only when used
    from hephaestus.collect.http_server import HttpSource  # noqa: PLC0415
    from hephaestus.collect.syslog import SyslogSource  # noqa: PLC0415

    conf = settings.collect
    out = CollectSet()
    if conf.files:
        out.polled.append(
            FileSource(
                [Path(f) for f in conf.files],
                follow=True,
                checkpoints=checkpoints,
                **source_limits(conf),
                idle_flush_s=max(1.0, 2 * conf.poll_interval_s),
            )
        )
    limits = source_limits(conf)
    wants_stdin = stdin is not None or any(s.kind == "stdin" for s in conf.sources)
    if wants_stdin:
        stream = stdin if stdin is not None else os.fdopen(0, "rb", closefd=False)
        out.polled.append(
            StdinSource(
                stream,
                max_record_lines=limits["max_record_lines"],
                max_line_bytes=limits["max_line_bytes"],
                idle_flush_s=max(1.0, 2 * conf.poll_interval_s),
            )
        )
    for spec in conf.sources:
        port = spec.port if spec.port is not None else DEFAULT_PORTS.get(spec.kind, 0)
        if spec.kind == "http":
            out.pushed.append(
                HttpSource(
                    host=spec.host,
                    port=port,
                    token=os.environ.get(TOKEN_ENV, "").strip() or None,
                    capacity=conf.buffer_records,
                    max_body_bytes=conf.ingest_max_body_kb * 1024,
                    ack_timeout_s=conf.ingest_ack_timeout_s,
                )
            )
        elif spec.kind == "syslog":
            if spec.tls_cert and spec.protocol != "tcp":
                raise ConfigError("collect.sources: tls_cert needs a syslog source with protocol tcp")
            out.pushed.append(
                SyslogSource(
                    protocol=spec.protocol, host=spec.host, port=port, capacity=conf.buffer_records,
                    tls_certfile=spec.tls_cert,
                )
            )  # fmt: skip
    return out
