"""The throwaway CA + server certificate for local TLS brokers, checked with a real in-process handshake."""

from __future__ import annotations

import socket
import ssl
import threading
from pathlib import Path

import pytest

from hephaestus.bus.certs import make_ca_and_server_cert


def _handshake(server_pem: Path, ca: Path, host: str) -> str:
    """TLS over a socketpair: server presents server_pem, client trusts only `ca` and checks `host`."""
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(server_pem)
    client_ctx = ssl.create_default_context(cafile=str(ca))
    left, right = socket.socketpair()
    errors: list[BaseException] = []

    def serve() -> None:
        try:
            with server_ctx.wrap_socket(right, server_side=True) as tls:
                tls.sendall(b"ok")
        except (ssl.SSLError, OSError) as exc:
            errors.append(exc)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with client_ctx.wrap_socket(left, server_hostname=host) as tls:
            return tls.recv(2).decode()
    finally:
        thread.join(5)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_server_certificate_verifies_against_its_ca(tmp_path: Path, host: str) -> None:
    files = make_ca_and_server_cert(tmp_path)
    assert _handshake(files.server, files.ca, host) == "ok"


def test_another_ca_or_host_is_rejected(tmp_path: Path) -> None:
    files = make_ca_and_server_cert(tmp_path / "a")
    other = make_ca_and_server_cert(tmp_path / "b")
    with pytest.raises(ssl.SSLCertVerificationError, match="certificate verify failed"):
        _handshake(files.server, other.ca, "127.0.0.1")
    with pytest.raises(ssl.SSLCertVerificationError, match="mismatch"):
        _handshake(files.server, files.ca, "kafka.example.com")


def test_files_hold_what_kafka_needs_and_no_ca_key(tmp_path: Path) -> None:
    files = make_ca_and_server_cert(tmp_path)
    server = files.server.read_text()
    assert server.startswith("-----BEGIN PRIVATE KEY-----")  # unencrypted PKCS#8, as Kafka's PEM store wants
    assert server.count("PRIVATE KEY-----") == 2  # one key (BEGIN + END) ...
    assert server.count("BEGIN CERTIFICATE") == 2  # ... server certificate + CA certificate
    assert files.server.stat().st_mode & 0o777 == 0o600
    assert "PRIVATE KEY" not in files.ca.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ca.pem", "server.pem"]
