"""SyslogSource: a syslog listener over UDP or TCP (RFC 5424 and RFC 3164, RFC 6587 framing).

Fed by syslog clients (rsyslog, `logger`, Python's SysLogHandler); feeds RawLogs to its PushSource
buffer (a Pump moves them to the bus) and malformed frames to the dead-letter topic with the reason.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import socketserver
import ssl
import threading
import uuid
from datetime import UTC, datetime
from typing import Literal

from hephaestus.collect.push import NO_METADATA, PushSource
from hephaestus.collect.syslog_parse import FrameError, SyslogError, SyslogMessage, TcpFramer, parse_syslog
from hephaestus.errors import BackpressureError, ConfigError, RetryableError
from hephaestus.records import RawLog, RawMetadata

__all__ = ["SyslogSource"]

_UDP_BATCH = 256  # datagrams taken from the socket per buffer offer
_RCVBUF = 8 * 1024 * 1024  # a burst waits in the kernel while the pump flushes


class SyslogSource(PushSource):
    """Listens on host:port (port 0 picks a free one: see `address`) once started; TCP connections
    are served one thread each and stop being read while the buffer is full (backpressure); UDP has
    none, so a datagram arriving at a full buffer is dropped and counted."""

    def __init__(
        self,
        *,
        protocol: Literal["udp", "tcp"] = "udp",
        host: str = "127.0.0.1",
        port: int = 5514,
        capacity: int = 10_000,
        max_frame: int = 64 * 1024,
        tls_certfile: str | None = None,
    ) -> None:
        super().__init__(capacity=capacity)
        if tls_certfile is not None and protocol != "tcp":
            raise ValueError("syslog over TLS needs protocol tcp")
        self.tls: ssl.SSLContext | None = None
        if tls_certfile is not None:  # RFC 5425: PEM with the key and the certificate chain
            self.tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            try:
                self.tls.load_cert_chain(tls_certfile)
            except (OSError, ssl.SSLError) as exc:
                raise ConfigError(f"syslog TLS certificate {tls_certfile}: {exc}") from exc
        self.name = f"syslog-{protocol}-source"
        self.protocol = protocol
        self.host, self.port = host, port
        self.max_frame = max_frame
        self._run = uuid.uuid4().hex[:12]
        self._seq = itertools.count()
        self._stopping = threading.Event()
        self._udp: socket.socket | None = None
        self._tcp: _TcpServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    def start(self) -> None:
        super().start()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        if self.protocol == "udp":
            sock = self._udp = socket.socket(family, socket.SOCK_DGRAM)
            try:  # as root beyond net.core.rmem_max; else as much of it as allowed
                sock.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_RCVBUFFORCE", 33), _RCVBUF)
            except OSError:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, _RCVBUF)
            sock.bind((self.host, self.port))
            sock.settimeout(0.2)
            target = self._serve_udp
        else:
            server = self._tcp = _TcpServer((self.host, self.port), self, family)
            target = server.serve_forever
        self.port = (self._udp.getsockname() if self._udp else server.server_address)[1]
        self._thread = threading.Thread(target=target, name=self.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening (what is buffered stays for the pump to drain)."""
        self._stopping.set()
        if self._tcp is not None:
            self._tcp.shutdown()
            self._tcp.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._udp is not None:
            self._udp.close()
        super().stop()

    # --- frames -> records -------------------------------------------------------------------------
    def accept(self, frames: list[bytes | FrameError], peer: str, *, timeout: float | None) -> None:
        """Parse frames; offer the records as one group, dead-letter what does not parse."""
        raws: list[RawLog] = []
        now = datetime.now(UTC)
        for frame in frames:
            if isinstance(frame, FrameError):
                self.offer_dead(frame.head, f"syslog {self.protocol} framing: {frame}")
                continue
            try:
                msg = parse_syslog(frame, now=now)
            except SyslogError as exc:
                self.offer_dead(frame[: self.max_frame], f"syslog: {exc}")
                continue
            raws.append(_raw(msg, peer, now))
        if raws:
            origins = [f"syslog-{self.protocol}:{self._run}#{next(self._seq)}" for _ in raws]
            self.offer(raws, origins, timeout=timeout)

    def _serve_udp(self) -> None:
        sock = self._udp
        assert sock is not None
        limit = self.max_frame
        while not self._stopping.is_set():
            try:
                batch = [sock.recvfrom(limit + 1)]
            except TimeoutError:
                continue
            except OSError:
                return
            sock.setblocking(False)
            try:
                while len(batch) < _UDP_BATCH:
                    batch.append(sock.recvfrom(limit + 1))
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                return
            finally:
                sock.settimeout(0.2)
            too_long = f"datagram over {limit} bytes"
            frames: list[bytes | FrameError] = [
                d if len(d) <= limit else FrameError(too_long, d[:200], fatal=False) for d, _ in batch
            ]
            # a full buffer drops the datagrams (counted by offer): UDP cannot push back
            with contextlib.suppress(BackpressureError, RetryableError):
                self.accept(frames, str(batch[0][1][0]), timeout=0.0)


def _raw(msg: SyslogMessage, peer: str, now: datetime) -> RawLog:
    pid = int(msg.proc_id) if msg.proc_id and msg.proc_id.isdigit() and len(msg.proc_id) < 10 else None
    return RawLog(
        timestamp=msg.timestamp or now,
        source=msg.app_name or "syslog",
        host=msg.host or peer,
        level=msg.level,
        message=msg.message,
        metadata=RawMetadata(process_id=pid) if pid is not None else NO_METADATA,
    )


class _TcpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], source: SyslogSource, family: socket.AddressFamily) -> None:
        self.address_family = family
        self.source = source
        super().__init__(address, _TcpHandler)

    def get_request(self) -> tuple[socket.socket, object]:
        sock, peer = self.socket.accept()
        if self.source.tls is None:
            return sock, peer
        # the handshake runs in the connection's own thread, not in the accept loop
        return self.source.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), peer


class _TcpHandler(socketserver.BaseRequestHandler):
    server: _TcpServer

    def handle(self) -> None:
        source = self.server.source
        sock: socket.socket = self.request
        if isinstance(sock, ssl.SSLSocket):
            sock.settimeout(10)
            try:
                sock.do_handshake()
            except (OSError, ssl.SSLError):
                source.counters.add(errored=1)  # not TLS, or a certificate the client refused
                return
        sock.settimeout(0.5)
        framer = TcpFramer(max_frame=source.max_frame)
        peer = str(self.client_address[0])
        while not source._stopping.is_set():
            try:
                data = sock.recv(1 << 16)
            except TimeoutError:
                continue
            except OSError:
                return
            frames = framer.feed(data) if data else framer.end()
            try:
                # blocks while the buffer is full: the peer's sends stall (TCP backpressure)
                source.accept(frames, peer, timeout=None)
            except RetryableError:
                return  # the collector is stopping
            if not data or any(isinstance(f, FrameError) and f.fatal for f in frames):
                return  # closed by the peer, or a stream that cannot be resynchronised
