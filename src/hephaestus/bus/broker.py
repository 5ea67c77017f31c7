"""A real Apache Kafka 4.x KRaft broker (1 or 3 nodes) on 127.0.0.1, run from Maven Central jars.

Fed by deploy/kafka/ (pom.xml, *.properties templates, log4j2.properties) and a JDK + Maven;
feeds the Kafka integration tests and `hephaestus kafka local` with a bootstrap address (and, with
tls=True, the throwaway CA clients must trust: `ca_location`).
"""

from __future__ import annotations

import base64
import fcntl
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient

from hephaestus.errors import ConfigError, HephaestusError

__all__ = ["KAFKA_VERSION", "LocalKafka", "deploy_dir", "ensure_runtime", "kafka_home"]

KAFKA_VERSION = "4.3.1"
_JVM_FLAGS = ("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError")
_QUICK_JIT = "-XX:TieredStopAtLevel=1"  # C1 only: starts fast, costs CPU per message later
_SASL_USER = "hephaestus"


def deploy_dir() -> Path:
    """deploy/kafka of this checkout (env HEPHAESTUS_KAFKA_DEPLOY overrides)."""
    override = os.environ.get("HEPHAESTUS_KAFKA_DEPLOY")
    candidates = [Path(override)] if override else []
    candidates += [p / "deploy" / "kafka" for p in (*Path(__file__).resolve().parents, Path.cwd())]
    for path in candidates:
        if (path / "pom.xml").is_file():
            return path
    raise ConfigError(
        "deploy/kafka/pom.xml not found; set HEPHAESTUS_KAFKA_DEPLOY to the deploy/kafka folder"
    )


def kafka_home(version: str = KAFKA_VERSION) -> Path:
    """Where the broker jars live: env HEPHAESTUS_KAFKA_HOME, else ~/.cache/hephaestus/kafka/<version>."""
    env = os.environ.get("HEPHAESTUS_KAFKA_HOME")
    return Path(env) if env else Path.home() / ".cache" / "hephaestus" / "kafka" / version


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise ConfigError(
            f"`{tool}` not found on PATH: a JDK 17+ and Maven 3.8+ are needed to run Kafka locally"
        )
    return path


def ensure_runtime(*, version: str = KAFKA_VERSION, home: Path | None = None) -> Path:
    """Fetch the broker classpath into <home>/lib once (idempotent, safe across processes)."""
    home = home or kafka_home(version)
    lib, marker = home / "lib", home / "lib" / ".complete"
    if marker.is_file() and marker.read_text().strip() == version:
        return lib
    mvn = _require("mvn")
    home.mkdir(parents=True, exist_ok=True)
    with (home / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.is_file() and marker.read_text().strip() == version:
            return lib
        shutil.rmtree(lib, ignore_errors=True)
        cmd = [mvn, "-q", "-B", "-f", str(deploy_dir() / "pom.xml"), "dependency:copy-dependencies"]
        cmd += [f"-Dkafka.version={version}", "-DincludeScope=runtime", f"-DoutputDirectory={lib}"]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not (lib / f"kafka_2.13-{version}.jar").is_file():
            raise ConfigError(
                f"fetching Kafka {version} with Maven failed: {(done.stdout + done.stderr)[-800:]}"
            )
        marker.write_text(version)
    return lib


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cluster_id() -> str:
    """Same shape as `kafka-storage random-uuid`: url-safe base64 of 16 bytes, no leading '-'."""
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not text.startswith("-"):
            return text


def _render(template: Path, values: dict[str, str]) -> str:
    text = template.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    if "{{" in text:
        raise ConfigError(f"unfilled placeholder in {template}")
    return text


class LocalKafka:
    """Start/stop a throwaway KRaft cluster; `with LocalKafka() as kafka: kafka.bootstrap_servers`."""

    def __init__(
        self,
        *,
        nodes: Literal[1, 3] = 1,
        sasl: bool = False,
        tls: bool = False,
        workdir: Path | None = None,
        version: str = KAFKA_VERSION,
        heap_mb: int = 384,
        start_timeout: float = 120.0,
        quick_start: bool = True,
    ) -> None:
        if nodes not in (1, 3):
            raise ConfigError(f"nodes must be 1 or 3, not {nodes}")
        self.nodes, self.sasl, self.tls, self.version = nodes, sasl, tls, version
        self.heap_mb, self.start_timeout = heap_mb, start_timeout
        self.quick_start = quick_start  # False (benchmarks): full JIT, slower start, less CPU per record
        self._own_workdir = workdir is None
        self.workdir = workdir or Path(tempfile.gettempdir()) / "hephaestus-kafka-unstarted"
        self.sasl_username = _SASL_USER if sasl else None
        self.sasl_password = secrets.token_urlsafe(18) if sasl else None
        self.ca_location: str | None = None  # PEM CA certificate, set by start() when tls=True
        self.procs: list[subprocess.Popen[bytes]] = []
        self.logs: list[Path] = []
        self.configs: list[Path] = []
        self.start_seconds = 0.0
        self._bootstrap = ""

    @property
    def bootstrap_servers(self) -> str:
        if not self._bootstrap:
            raise HephaestusError("LocalKafka is not started")
        return self._bootstrap

    def client_config(self) -> dict[str, Any]:
        """librdkafka settings for a client of this cluster (SASL credentials and CA included)."""
        conf: dict[str, Any] = {"bootstrap.servers": self.bootstrap_servers, "broker.address.family": "v4"}
        if self.tls:
            conf |= {"security.protocol": "SSL", "ssl.ca.location": self.ca_location}
        if self.sasl:
            conf |= {
                "security.protocol": "SASL_SSL" if self.tls else "SASL_PLAINTEXT",
                "sasl.mechanism": "SCRAM-SHA-512",
                "sasl.username": self.sasl_username,
                "sasl.password": self.sasl_password,
            }
        return conf

    def _java(self, lib: Path, *args: str, heap_mb: int) -> list[str]:
        log4j = deploy_dir() / "log4j2.properties"
        jit = [_QUICK_JIT] if self.quick_start or args[0] != "kafka.Kafka" else []
        flags = [f"-Xmx{heap_mb}m", *_JVM_FLAGS, *jit, f"-Dlog4j2.configurationFile={log4j}"]
        return [_require("java"), *flags, "-Dkafka.log.level=INFO", "-cp", f"{lib}/*", *args]

    def start(self) -> LocalKafka:
        _require("java")
        lib = ensure_runtime(version=self.version)
        began = time.monotonic()
        if self._own_workdir:  # created here, not in __init__, so an unstarted instance leaves nothing
            self.workdir = Path(tempfile.mkdtemp(prefix="hephaestus-kafka-"))
        ports = [(_free_port(), _free_port(), _free_port()) for _ in range(self.nodes)]
        voters = ",".join(f"{i + 1}@127.0.0.1:{c}" for i, (_, c, _) in enumerate(ports))
        cluster_id, tpl = _cluster_id(), deploy_dir()
        template = tpl / ("single-node.properties" if self.nodes == 1 else "cluster-node.properties")
        protocol = "SASL_SSL" if self.tls else "SASL_PLAINTEXT"
        overlay = {"sasl_protocol": protocol, "sasl_listener": protocol.lower()}
        if self.tls:  # one certificate (127.0.0.1 + localhost) serves every node
            from hephaestus.bus.certs import make_ca_and_server_cert  # noqa: PLC0415 - cryptography for TLS only

            files = make_ca_and_server_cert(self.workdir / "tls")
            self.ca_location = str(files.ca)
            overlay |= {"tls_keystore": str(files.server), "tls_ca": str(files.ca)}
        for i, (broker, controller, internal) in enumerate(ports):
            node_dir = self.workdir / f"node{i + 1}"
            node_dir.mkdir(parents=True, exist_ok=True)
            values = {
                "node_id": str(i + 1),
                "broker_port": str(broker),
                "controller_port": str(controller),
                "internal_port": str(internal),
                "voters": voters,
                "data_dir": str(node_dir / "data"),
            } | overlay
            text = _render(template, values)
            if self.tls:
                text += "\n" + _render(tpl / "tls.properties", values)
            if self.sasl:
                text += "\n" + _render(tpl / "sasl-scram.properties", values)
            cfg = node_dir / "server.properties"
            cfg.write_text(text, encoding="utf-8")
            self.configs.append(cfg)
            fmt = ["kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(cfg)]
            fmt += ["--standalone"] if self.nodes == 1 else []
            if self.sasl:
                fmt += [
                    "--add-scram",
                    f"SCRAM-SHA-512=[name={self.sasl_username},password={self.sasl_password}]",
                ]
            done = subprocess.run(
                self._java(lib, *fmt, heap_mb=256), capture_output=True, text=True, check=False
            )
            if done.returncode != 0:
                raise HephaestusError(
                    f"formatting Kafka storage failed: {done.stdout[-400:]}{done.stderr[-400:]}"
                )
        self._bootstrap = ",".join(f"127.0.0.1:{b}" for b, _, _ in ports)
        for i in range(self.nodes):
            self._launch(lib, i)
        try:
            self._wait_ready(self.nodes)
        except BaseException:
            self.stop()
            raise
        self.start_seconds = time.monotonic() - began
        return self

    def _launch(self, lib: Path, index: int) -> None:
        log = self.configs[index].parent / "broker.log"
        with log.open("ab") as out:
            proc = subprocess.Popen(
                self._java(lib, "kafka.Kafka", str(self.configs[index]), heap_mb=self.heap_mb),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        if index < len(self.procs):
            self.procs[index], self.logs[index] = proc, log
        else:
            self.procs.append(proc)
            self.logs.append(log)

    def _wait_ready(self, expected: int) -> None:
        admin = AdminClient(self.client_config() | {"log_level": 0})
        deadline, last = time.monotonic() + self.start_timeout, ""
        while time.monotonic() < deadline:
            for proc, log in zip(self.procs, self.logs, strict=True):
                if proc.poll() is not None:
                    raise HephaestusError(f"Kafka node exited with code {proc.returncode}:\n{_tail(log)}")
            try:
                if len(admin.list_topics(timeout=2).brokers) >= expected:
                    return
            except KafkaException as exc:
                last = str(exc)
            time.sleep(0.2)
        raise HephaestusError(
            f"Kafka not ready after {self.start_timeout:.0f}s ({last}):\n{_tail(self.logs[0])}"
        )

    def kill_node(self, index: int) -> None:
        """Hard-kill one node (SIGKILL), for failover tests."""
        proc = self.procs[index]
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    def restart_node(self, index: int) -> None:
        """Start a killed node again with its existing storage and wait until all nodes are back."""
        self._launch(ensure_runtime(version=self.version), index)
        self._wait_ready(self.nodes)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM every node (clean shutdown hook), SIGKILL after `timeout`; remove an own workdir."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.clear()
        self._bootstrap = ""
        if self._own_workdir and self.workdir.name != "hephaestus-kafka-unstarted":
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> LocalKafka:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _tail(path: Path, size: int = 1500) -> str:
    try:
        return path.read_bytes()[-size:].decode("utf-8", "replace")
    except OSError:
        return ""
