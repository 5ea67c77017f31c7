"""Decides when no code patch is the right answer: environment and third-party failures.

Fed the exception type, message and the failing source line; feeds RepairResult.diagnosis
(connection refused, timeouts, missing env vars, permissions, disk, memory, missing packages).
"""

from __future__ import annotations

import re
import sys

__all__ = ["environment_diagnosis", "is_stdlib", "missing_module"]

_ENV_TYPES: dict[str, str] = {
    "ConnectionRefusedError": "a network peer refused the connection",
    "ConnectionResetError": "a network peer reset the connection",
    "ConnectionAbortedError": "the connection was aborted",
    "ConnectionError": "a network connection failed",
    "BrokenPipeError": "the peer closed the connection (broken pipe)",
    "TimeoutError": "an operation timed out",
    "timeout": "a socket operation timed out",
    "gaierror": "a host name could not be resolved (DNS)",
    "ReadTimeout": "an HTTP request timed out",
    "ConnectTimeout": "an HTTP connection timed out",
    "ReadTimeoutError": "an HTTP request timed out",
    "NewConnectionError": "an HTTP connection could not be established",
    "MaxRetryError": "an HTTP endpoint could not be reached",
    "OperationalError": "the database is unreachable or misconfigured",
    "InterfaceError": "the database connection failed",
    "PermissionError": "the process lacks a file-system permission",
    "FileNotFoundError": "a file the code expects is missing from the deployment",
    "IsADirectoryError": "a path the code expects to be a file is a directory",
    "MemoryError": "the process ran out of memory",
    "SSLError": "a TLS handshake or certificate check failed",
    "CertificateError": "a TLS certificate check failed",
}
_ENV_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"connection refused", re.I), "a network peer refused the connection"),
    (re.compile(r"timed? ?out", re.I), "an operation timed out"),
    (re.compile(r"no space left on device|disk quota exceeded", re.I), "the disk is full"),
    (re.compile(r"permission denied|operation not permitted", re.I), "the process lacks a permission"),
    (re.compile(r"cannot allocate memory|out of memory", re.I), "the process ran out of memory"),
    (re.compile(r"name or service not known|temporary failure in name resolution", re.I), "DNS failed"),
    (re.compile(r"too many open files", re.I), "the process ran out of file descriptors"),
    (re.compile(r"network is unreachable|no route to host", re.I), "the network is unreachable"),
)
_ENV_VAR = re.compile(r"(?:os\.environ\s*\[|os\.environ\.__getitem__|getenv_or_fail)")
_OS_ERRORS = {"OSError", "IOError", "EnvironmentError"}


def environment_diagnosis(error_type: str, message: str, source_line: str | None) -> str | None:
    """Why this failure is the environment's, not the code's; None when it may be a code bug."""
    short = error_type.rsplit(".", 1)[-1]
    if short == "KeyError" and source_line and _ENV_VAR.search(source_line):
        var = message.strip().strip("'\"")
        return (
            f"missing environment variable {var}: the code reads os.environ[{message.strip()}] and the "
            "deployment does not set it; configure the variable (no code patch)"
        )
    reason = _ENV_TYPES.get(short)
    if reason is None and (short in _OS_ERRORS or short.endswith(("Error", "Exception"))):
        for pattern, why in _ENV_MESSAGES:
            if pattern.search(message) and (
                short in _OS_ERRORS or "Timeout" in short or "Connection" in short
            ):
                reason = why
                break
    if reason is None:
        return None
    return f"{short} is an environment failure ({reason}: {message.strip() or short}); no code patch proposed"


def missing_module(message: str) -> str | None:
    """The module named by "No module named 'x.y'"."""
    match = re.search(r"No module named '([\w.]+)'", message)
    return match.group(1) if match else None


def is_stdlib(module: str) -> bool:
    return module.split(".", maxsplit=1)[0] in sys.stdlib_module_names
