"""Syslog over UDP and TCP with real clients (Python's SysLogHandler, util-linux `logger`) into the
embedded bus: exactly the records sent come out of the real processor; malformed frames are
dead-lettered with the reason."""

import logging
import os
import shutil
import socket
import ssl
import subprocess
from logging.handlers import SysLogHandler

import pytest

from hephaestus.bus.certs import make_ca_and_server_cert
from hephaestus.bus.local import LocalBus
from hephaestus.collect.pump import Pump
from hephaestus.collect.syslog import SyslogSource
from hephaestus.pipeline import Pipeline
from tests.support.collect import assert_exactly, structured_records, token_counts, wait_for

N = int(os.environ.get("HEPHAESTUS_COLLECT_N", "500"))
LOGGER = shutil.which("logger")


@pytest.fixture
def listen(tmp_path):
    started = []

    def make(protocol):
        bus = LocalBus(tmp_path / f"bus-{protocol}.sqlite")
        source = SyslogSource(protocol=protocol, host="127.0.0.1", port=0)
        source.start()
        pump = Pump(source, bus).start()
        started.append((source, pump, bus))
        return source, bus

    yield make
    for source, pump, bus in started:
        source.stop()
        pump.stop()
        bus.close()


@pytest.mark.parametrize("protocol", ["udp", "tcp"])
def test_python_sysloghandler(listen, protocol):
    source, bus = listen(protocol)
    kind = socket.SOCK_DGRAM if protocol == "udp" else socket.SOCK_STREAM
    handler = SysLogHandler(("127.0.0.1", source.port), SysLogHandler.LOG_LOCAL3, socktype=kind)
    log = logging.getLogger(f"syslog-test-{protocol}")
    log.propagate = False
    log.setLevel(logging.INFO)
    log.addHandler(handler)
    try:
        for i in range(N):
            if i % 50 == 0:
                try:
                    {}[f"k{i}"]
                except KeyError:
                    log.exception("rec-%d order failed", i)
            else:
                log.info("rec-%d order ok", i)
            if protocol == "udp" and i % 200 == 199:  # UDP has no flow control: let the listener keep up
                wait_for(lambda i=i: source.counters.received > i, what="datagrams received")
    finally:
        log.removeHandler(handler)
        handler.close()
    wait_for(lambda: source.counters.sent == N, what=f"{N} records on the bus")
    records = structured_records(bus)
    assert_exactly(records, N)
    traces = [r for r in records if "KeyError" in (r["error"].get("stack_trace") or "")]
    assert len(traces) == len(range(0, N, 50))  # the traceback stayed inside its record
    assert source.counters.as_dict() == {"received": N, "sent": N, "errored": 0, "dropped": 0}


@pytest.mark.skipif(LOGGER is None, reason="util-linux logger not installed")
@pytest.mark.parametrize(
    "args",
    [
        ["--udp", "--rfc3164"],
        ["--udp", "--rfc5424"],
        ["--tcp", "--rfc3164"],
        ["--tcp", "--rfc5424"],
        ["--tcp", "--rfc5424", "--octet-count"],
    ],
)
def test_util_linux_logger(listen, args):
    source, bus = listen("udp" if "--udp" in args else "tcp")
    lines = "".join(f"rec-{i} payment failed for order {i}\n" for i in range(N))
    cmd = [LOGGER, "--server", "127.0.0.1", "--port", str(source.port), *args]
    cmd += ["-t", "shop", "-p", "local3.err"]
    if "--udp" in args:  # one datagram per line, as fast as logger goes: in slices the listener keeps up with
        for start in range(0, N, 250):
            chunk = "".join(lines.splitlines(keepends=True)[start : start + 250])
            subprocess.run(cmd, input=chunk, text=True, check=True, timeout=60)
            wait_for(lambda s=start: source.counters.received >= min(N, s + 250), what="datagrams received")
    else:
        subprocess.run(cmd, input=lines, text=True, check=True, timeout=60)
    wait_for(lambda: source.counters.sent == N, what=f"{N} records on the bus")
    records = structured_records(bus)
    assert_exactly(records, N)
    assert {r["source"]["application"] for r in records} == {"shop"}  # the syslog TAG / APP-NAME
    assert {r["error"]["level"] for r in records} == {"ERROR"}  # severity 3 from the PRI


def test_malformed_tcp_frames_are_dead_lettered_with_a_reason(listen):
    source, bus = listen("tcp")
    with socket.create_connection(("127.0.0.1", source.port)) as conn:
        conn.sendall(
            b"<11>1 2026-01-01T00:00:00Z h app - - - rec-0 good\n"
            b"no priority at all\n"
            b"<999>1 - h app - - - out of range\n"
            b"<11>1 yesterday h app - - - bad time\n"
            b"28 <11>1 - h app - - - rec-1 ok"  # octet-counted (28 bytes) after LF-framed ones
            b"<11>Jan  2 03:04:05 web1 app[7]: rec-2 bsd\n"
        )
    reader = Pipeline(bus=bus, store=None)
    wait_for(lambda: source.counters.sent == 3 and len(reader.dead_letters()) == 3, what="3 records, 3 dead")
    assert source.counters.errored == 3
    assert_exactly(structured_records(bus), 3)
    reasons = sorted(d["reason"] for d in reader.dead_letters())
    assert reasons == [
        "syslog: RFC 5424 timestamp is not RFC 3339: 'yesterday'",
        "syslog: invalid PRI <999>",
        "syslog: no <PRI> at the start: b'no priority at all'",
    ]


def test_oversized_octet_count_dead_letters_the_frame_and_closes_the_connection(listen):
    source, bus = listen("tcp")
    with socket.create_connection(("127.0.0.1", source.port)) as conn:
        conn.sendall(b"99999999 <11>x")
        conn.settimeout(10)
        assert conn.recv(10) == b""  # closed by the listener: the stream cannot be resynchronised
    reader = Pipeline(bus=bus, store=None)
    wait_for(lambda: len(reader.dead_letters()) == 1, what="a dead letter on the bus")
    (dead,) = reader.dead_letters()
    assert dead["reason"] == "syslog tcp framing: octet count 99999999 over the 65536 byte limit"
    assert token_counts(structured_records(bus)) == {}


def test_syslog_over_tls_with_octet_counting(tmp_path):
    files = make_ca_and_server_cert(tmp_path / "tls")
    bus = LocalBus(tmp_path / "bus.sqlite")
    source = SyslogSource(protocol="tcp", host="127.0.0.1", port=0, tls_certfile=str(files.server))
    source.start()
    pump = Pump(source, bus).start()
    try:
        with socket.create_connection(("127.0.0.1", source.port)) as plain:  # not TLS: refused
            plain.sendall(b"<11>1 - h app - - - rec-0 in clear\n")
            plain.settimeout(10)
            assert plain.recv(10) == b""
        context = ssl.create_default_context(cafile=str(files.ca))
        with (
            socket.create_connection(("127.0.0.1", source.port)) as raw,
            context.wrap_socket(raw, server_hostname="localhost") as conn,
        ):
            frames = [
                f"<11>1 2026-01-01T00:00:00Z web1 shop - - - rec-{i} over tls".encode() for i in range(N)
            ]
            conn.sendall(b"".join(b"%d %s" % (len(f), f) for f in frames))
        wait_for(lambda: source.counters.sent == N, what=f"{N} records on the bus")
    finally:
        source.stop()
        pump.stop()
    assert_exactly(structured_records(bus), N)
    assert source.counters.errored == 1  # the clear-text connection
