"""UnboundLocalError x4, ImportError x4, ValueError x4, JSONDecodeError x3."""
from build import case

case(41, "unboundlocal_status_branch", "UnboundLocalError", error_type="UnboundLocalError",
     deploy="/srv/ledger", description="describe assigns label only for paid/pending/failed; refunded falls through.",
     files={"ledger/__init__.py": '"""Payments ledger UI."""\n', "ledger/status.py": '''
"""One-line payment summaries for the payments table."""

from __future__ import annotations


def describe(payment: dict) -> str:
    """ "#<id> <label>". Statuses other than paid/pending/failed (e.g. "refunded", "disputed") are
    shown as the status name, capitalised."""
    status = payment["status"]
    if status == "paid":
        label = f"Paid on {payment['paid_at'][:10]}"
    elif status == "pending":
        label = "Awaiting payment"
    elif status == "failed":
        label = f"Failed: {payment.get('reason', 'unknown reason')}"
    return f"#{payment['id']} {label}"
'''},
     fix=[("ledger/status.py", "        label = f\"Failed: {payment.get('reason', 'unknown reason')}\"\n",
           "        label = f\"Failed: {payment.get('reason', 'unknown reason')}\"\n    else:\n        label = status.capitalize()\n")],
     tests='''
from ledger.status import describe


def test_known_statuses():
    assert describe({"id": 1, "status": "paid", "paid_at": "2026-11-02T10:11:12Z"}) == "#1 Paid on 2026-11-02"
    assert describe({"id": 2, "status": "pending"}) == "#2 Awaiting payment"
    assert describe({"id": 3, "status": "failed"}) == "#3 Failed: unknown reason"
''',
     hidden='''
from ledger.status import describe


def test_other_statuses():
    assert describe({"id": 4, "status": "refunded"}) == "#4 Refunded"
    assert describe({"id": 5, "status": "disputed"}) == "#5 Disputed"
''',
     imports="from ledger.status import describe",
     scenario='''
def scenario(ctx):
    payments = [{"id": 7001, "status": "paid", "paid_at": "2026-11-20T08:00:00Z"},
                {"id": 7002, "status": "refunded"}]
    ctx.noise(2)
    for p in payments:
        try:
            ctx.log.info("row %s", describe(p))
        except Exception:
            ctx.log.exception("cannot render payment %d", p["id"])
''', logger="ledger.table")

case(42, "unboundlocal_no_heartbeat", "UnboundLocalError", error_type="UnboundLocalError",
     deploy="/opt/presence", fmt="ecs",
     description="last_seen assigns latest only inside the loop's if; devices without heartbeats crash.",
     files={"presence/__init__.py": '"""Device presence."""\n', "presence/tracker.py": '''
"""Device presence computed from the event stream."""

from __future__ import annotations


def last_seen(events: list[dict]) -> str | None:
    """Timestamp of the device's most recent heartbeat; None when it never sent one."""
    for event in sorted(events, key=lambda e: e["ts"]):
        if event["kind"] == "heartbeat":
            latest = event["ts"]
    return latest
'''},
     fix=[("presence/tracker.py", "    for event in sorted(", "    latest = None\n    for event in sorted(")],
     tests='''
from presence.tracker import last_seen


def test_latest_heartbeat():
    events = [{"kind": "heartbeat", "ts": "2026-11-24T02:00:00"}, {"kind": "boot", "ts": "2026-11-24T03:00:00"},
              {"kind": "heartbeat", "ts": "2026-11-24T02:30:00"}]
    assert last_seen(events) == "2026-11-24T02:30:00"
''',
     hidden='''
from presence.tracker import last_seen


def test_never_seen():
    assert last_seen([]) is None
    assert last_seen([{"kind": "boot", "ts": "2026-11-24T03:00:00"}]) is None
''',
     imports="from presence.tracker import last_seen",
     scenario='''
def scenario(ctx):
    devices = {"thermo-12": [{"kind": "heartbeat", "ts": "2026-11-24T01:59:58"}],
               "thermo-13": [{"kind": "boot", "ts": "2026-11-24T01:00:00"}]}
    for device, events in devices.items():
        try:
            ctx.log.info("device %s last seen %s", device, last_seen(events))
        except Exception:
            ctx.log.exception("presence update failed for %s", device)
''', logger="presence.updater")

case(43, "unboundlocal_missing_global", "UnboundLocalError", error_type="UnboundLocalError",
     deploy="/srv/pricing", fmt="gunicorn",
     description="cached_price increments module counter hits without declaring it global.",
     files={"pricecache/__init__.py": '"""Price lookup cache."""\n', "pricecache/memo.py": '''
"""Process-wide cache of catalogue prices; hit/miss counters feed the /metrics endpoint."""

from __future__ import annotations

from collections.abc import Callable

_cache: dict[str, float] = {}
hits = 0
misses = 0


def cached_price(sku: str, loader: Callable[[str], float]) -> float:
    """Price of `sku`, calling `loader` only the first time it is asked for."""
    global misses
    if sku in _cache:
        hits += 1
        return _cache[sku]
    misses += 1
    _cache[sku] = loader(sku)
    return _cache[sku]


def stats() -> dict[str, int]:
    return {"hits": hits, "misses": misses, "size": len(_cache)}
'''},
     fix=[("pricecache/memo.py", "    global misses\n", "    global hits, misses\n")],
     tests='''
from pricecache.memo import cached_price, stats


def test_first_lookup_loads():
    before = stats()
    assert cached_price("visible-sku-1", lambda sku: 9.99) == 9.99
    after = stats()
    assert after["misses"] == before["misses"] + 1
    assert after["size"] == before["size"] + 1
''',
     hidden='''
from pricecache.memo import cached_price, stats


def test_second_lookup_is_a_hit():
    calls = []

    def loader(sku):
        calls.append(sku)
        return 4.5

    before = stats()
    assert cached_price("hidden-sku-1", loader) == 4.5
    assert cached_price("hidden-sku-1", loader) == 4.5
    assert calls == ["hidden-sku-1"]
    assert stats()["hits"] == before["hits"] + 1
''',
     imports="from pricecache.memo import cached_price",
     scenario='''
def scenario(ctx):
    catalogue = {"SKU-1": 12.0, "SKU-2": 3.5}
    for sku in ["SKU-1", "SKU-2", "SKU-1"]:
        ctx.noise(1)
        try:
            ctx.log.info("price %s = %.2f", sku, cached_price(sku, catalogue.__getitem__))
        except Exception:
            ctx.log.exception("Error handling request GET /price/%s", sku)
''', logger="pricecache.api")

case(44, "unboundlocal_except_without_default", "UnboundLocalError", error_type="UnboundLocalError",
     deploy="/opt/uploader", fmt="basic",
     description="max_upload_mb logs a warning for malformed values but never assigns the fallback.",
     files={"uploader/__init__.py": '"""File upload service."""\n', "uploader/limits.py": '''
"""Upload limits read from the environment."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

DEFAULT_MAX_UPLOAD_MB = 25


def max_upload_mb(raw: str | None) -> int:
    """The MAX_UPLOAD_MB setting. Unset or malformed values fall back to DEFAULT_MAX_UPLOAD_MB
    (malformed ones with a warning)."""
    if raw is None:
        return DEFAULT_MAX_UPLOAD_MB
    try:
        value = int(raw)
    except ValueError:
        log.warning("ignoring malformed MAX_UPLOAD_MB=%r", raw)
    return value
'''},
     fix=[("uploader/limits.py", "        log.warning(\"ignoring malformed MAX_UPLOAD_MB=%r\", raw)\n",
           "        log.warning(\"ignoring malformed MAX_UPLOAD_MB=%r\", raw)\n        value = DEFAULT_MAX_UPLOAD_MB\n")],
     tests='''
from uploader.limits import max_upload_mb


def test_values():
    assert max_upload_mb(None) == 25
    assert max_upload_mb("100") == 100
''',
     hidden='''
from uploader.limits import max_upload_mb


def test_malformed_falls_back():
    assert max_upload_mb("25MB") == 25
    assert max_upload_mb("") == 25
    assert max_upload_mb(" 64 ") == 64
''',
     imports="from uploader.limits import max_upload_mb",
     scenario='''
def scenario(ctx):
    ctx.log.info("uploader starting")
    try:
        ctx.log.info("max upload %d MB", max_upload_mb("50M"))
    except Exception:
        ctx.log.exception("startup failed")
''', logger="uploader.main")

case(45, "importerror_module_name_typo", "ImportError", error_type="ModuleNotFoundError",
     deploy="/srv/exports", description="to_csv lazily imports exports.formaters (module is exports.formatters).",
     files={"exports/__init__.py": '"""Accounting exports."""\n', "exports/formatters.py": '''
"""Value formatting shared by every export."""

from __future__ import annotations

from datetime import date


def money(cents: int) -> str:
    """1999 -> "19.99"."""
    return f"{cents / 100:.2f}"


def iso_date(value: date) -> str:
    return value.isoformat()
''', "exports/report.py": '''
"""Invoice exports for the accountants."""

from __future__ import annotations

COLUMNS = ("id", "date", "amount")


def header() -> str:
    return ",".join(COLUMNS)


def to_csv(rows: list[dict]) -> str:
    """CSV (with header) of invoice rows {"id", "date": date, "amount_cents"}."""
    # imported lazily: the formatters pull in locale data the web process never needs
    from exports.formaters import iso_date, money

    lines = [header()]
    lines += [f"{r['id']},{iso_date(r['date'])},{money(r['amount_cents'])}" for r in rows]
    return "\\n".join(lines) + "\\n"
'''},
     fix=[("exports/report.py", "from exports.formaters import", "from exports.formatters import")],
     tests='''
from exports.formatters import money
from exports.report import header


def test_header():
    assert header() == "id,date,amount"


def test_money():
    assert money(1999) == "19.99"
''',
     hidden='''
from datetime import date

from exports.report import to_csv


def test_to_csv():
    rows = [{"id": "INV-1", "date": date(2026, 11, 2), "amount_cents": 12050}]
    assert to_csv(rows) == "id,date,amount\\nINV-1,2026-11-02,120.50\\n"
''',
     imports="from datetime import date\n\nfrom exports.report import to_csv",
     scenario='''
def scenario(ctx):
    ctx.log.info("monthly export requested by finance")
    try:
        csv = to_csv([{"id": "INV-2201", "date": date(2026, 10, 31), "amount_cents": 45000}])
        ctx.log.info("export ready (%d bytes)", len(csv))
    except Exception:
        ctx.log.exception("monthly export failed")
''', logger="exports.monthly")

case(46, "importerror_function_name_typo", "ImportError", error_type="ImportError", deploy="/opt/timers",
     fmt="json", description="job_interval imports parse_duraton (function is parse_duration).",
     files={"timers/__init__.py": '"""Recurring timers."""\n', "timers/durations.py": '''
"""Duration strings such as "90s", "15m", "2h", "1d"."""

from __future__ import annotations

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> int:
    """Seconds in `text` (number + unit)."""
    text = text.strip().lower()
    return int(text[:-1]) * UNITS[text[-1]]
''', "timers/jobs.py": '''
"""Recurring job definitions loaded from the plugin registry."""

from __future__ import annotations

DEFAULT_INTERVAL_S = 3600


def job_interval(job: dict) -> int:
    """Seconds between runs: job["every"] as a duration string ("15m"); hourly when absent."""
    if "every" not in job:
        return DEFAULT_INTERVAL_S
    # local import: timers.durations is loaded after the plugin registry at start-up
    from timers.durations import parse_duraton

    return parse_duraton(job["every"])
'''},
     fix=[("timers/jobs.py", "    from timers.durations import parse_duraton\n\n    return parse_duraton(",
           "    from timers.durations import parse_duration\n\n    return parse_duration(")],
     tests='''
from timers.durations import parse_duration
from timers.jobs import job_interval


def test_parse_duration():
    assert parse_duration("15m") == 900
    assert parse_duration(" 2H") == 7200


def test_default_interval():
    assert job_interval({"name": "cleanup"}) == 3600
''',
     hidden='''
from timers.jobs import job_interval


def test_explicit_interval():
    assert job_interval({"name": "sync", "every": "90s"}) == 90
    assert job_interval({"name": "digest", "every": "1d"}) == 86400
''',
     imports="from timers.jobs import job_interval",
     scenario='''
def scenario(ctx):
    for job in [{"name": "cleanup"}, {"name": "sync-crm", "every": "15m"}]:
        try:
            ctx.log.info("registered %s every %ds", job["name"], job_interval(job))
        except Exception:
            ctx.log.exception("could not register job %s", job["name"])
''', logger="timers.registry")

case(47, "importerror_py2_izip_longest", "ImportError", error_type="ImportError", deploy="/opt/sheets",
     fmt="logstash", description="columns imports itertools.izip_longest (Python 2 name; zip_longest in Python 3).",
     files={"sheets/__init__.py": '"""Spreadsheet import."""\n', "sheets/table.py": '''
"""Helpers for ragged tables pasted from spreadsheets."""

from __future__ import annotations


def width(rows: list[list[str]]) -> int:
    """Length of the longest row."""
    return max((len(r) for r in rows), default=0)


def columns(rows: list[list[str]], fill: str = "") -> list[list[str]]:
    """The table's columns; short rows are padded with `fill`."""
    from itertools import izip_longest

    return [list(col) for col in izip_longest(*rows, fillvalue=fill)]
'''},
     fix=[("sheets/table.py", "    from itertools import izip_longest\n\n    return [list(col) for col in izip_longest(",
           "    from itertools import zip_longest\n\n    return [list(col) for col in zip_longest(")],
     tests='''
from sheets.table import width


def test_width():
    assert width([["a"], ["b", "c", "d"], []]) == 3
    assert width([]) == 0
''',
     hidden='''
from sheets.table import columns


def test_columns_padded():
    assert columns([["a", "b"], ["c"]]) == [["a", "c"], ["b", ""]]
    assert columns([["1"], ["2", "3"]], fill="-") == [["1", "2"], ["-", "3"]]
''',
     imports="from sheets.table import columns",
     scenario='''
def scenario(ctx):
    pasted = [["sku", "qty"], ["A-1", "4"], ["B-2"]]
    try:
        ctx.log.info("parsed %d columns", len(columns(pasted)))
    except Exception:
        ctx.log.exception("paste import failed")
''', logger="sheets.import")

case(48, "importerror_submodule_name", "ImportError", error_type="ImportError", deploy="/opt/pager",
     fmt="journald", description="get_sink imports pager.sinks.webhook; the module is pager/sinks/webhooks.py.",
     files={"pager/__init__.py": '"""Alert delivery."""\n', "pager/sinks/__init__.py": '''
"""Delivery sinks. Each sink module exposes render(alert) -> str."""

from __future__ import annotations


def get_sink(kind: str):
    """The sink module for `kind` ("email" or "webhook")."""
    if kind == "email":
        from pager.sinks import email as sink
    elif kind == "webhook":
        from pager.sinks import webhook as sink
    else:
        raise ValueError(f"unknown sink {kind!r}")
    return sink
''', "pager/sinks/email.py": '''
"""E-mail sink."""


def render(alert: dict) -> str:
    return f"Subject: [{alert['severity'].upper()}] {alert['title']}"
''', "pager/sinks/webhooks.py": '''
"""Generic JSON webhook sink."""

import json


def render(alert: dict) -> str:
    return json.dumps({"text": alert["title"], "severity": alert["severity"]}, sort_keys=True)
'''},
     fix=[("pager/sinks/__init__.py", "from pager.sinks import webhook as sink", "from pager.sinks import webhooks as sink")],
     tests='''
import pytest

from pager.sinks import get_sink


def test_email_sink():
    assert get_sink("email").render({"title": "disk full", "severity": "high"}) == "Subject: [HIGH] disk full"


def test_unknown_sink():
    with pytest.raises(ValueError):
        get_sink("sms")
''',
     hidden='''
from pager.sinks import get_sink


def test_webhook_sink():
    out = get_sink("webhook").render({"title": "disk full", "severity": "high"})
    assert out == '{"severity": "high", "text": "disk full"}'
''',
     imports="from pager.sinks import get_sink",
     scenario='''
def scenario(ctx):
    alert = {"title": "replication lag 45s", "severity": "high"}
    for kind in ["email", "webhook"]:
        try:
            ctx.log.info("delivered via %s: %s", kind, get_sink(kind).render(alert))
        except Exception:
            ctx.log.exception("delivery via %s failed", kind)
''', logger="pager.delivery")

case(49, "valueerror_blank_qty_cell", "ValueError", error_type="ValueError", deploy="/srv/stock",
     description="parse_row does int(row['qty']); doc: blank cells mean 0.",
     files={"stockimport/__init__.py": '"""Stock-take import."""\n', "stockimport/rows.py": '''
"""Rows of the warehouse stock-take CSV."""

from __future__ import annotations

DEFAULT_LOCATION = "MAIN"


def parse_row(row: dict[str, str]) -> dict:
    """sku, qty and location of one CSV row.

    Counters leave the qty cell blank (empty or spaces) for a bin they found empty: that is 0.
    A blank location means DEFAULT_LOCATION.
    """
    return {"sku": row["sku"].strip(), "qty": int(row["qty"]), "location": row["location"].strip() or DEFAULT_LOCATION}
'''},
     fix=[("stockimport/rows.py", '"qty": int(row["qty"]),', '"qty": int(row["qty"]) if row["qty"].strip() else 0,')],
     tests='''
from stockimport.rows import parse_row


def test_row():
    assert parse_row({"sku": " A-1 ", "qty": "12", "location": ""}) == {"sku": "A-1", "qty": 12, "location": "MAIN"}
''',
     hidden='''
from stockimport.rows import parse_row


def test_blank_qty_is_zero():
    assert parse_row({"sku": "B-2", "qty": "", "location": "R2"})["qty"] == 0
    assert parse_row({"sku": "B-3", "qty": "  ", "location": "R2"})["qty"] == 0
    assert parse_row({"sku": "B-4", "qty": " 7 ", "location": "R2"})["qty"] == 7
''',
     imports="import csv\nimport io\n\nfrom stockimport.rows import parse_row",
     scenario='''
def scenario(ctx):
    text = "sku,qty,location\\nKB-104,12,A3\\nMS-220,,A4\\n"
    ctx.log.info("stock-take upload received (%d bytes)", len(text))
    try:
        rows = [parse_row(r) for r in csv.DictReader(io.StringIO(text))]
        ctx.log.info("imported %d rows", len(rows))
    except Exception:
        ctx.log.exception("stock-take import failed")
''', logger="stockimport.upload")

case(50, "valueerror_empty_port_env", "ValueError", error_type="ValueError", deploy="/srv/server",
     fmt="basic", description="listen_port does int(env.get('PORT', 8080)); doc: empty PORT means the default.",
     files={"server/__init__.py": '"""HTTP server bootstrap."""\n', "server/config.py": '''
"""Settings read from the process environment."""

from __future__ import annotations

from collections.abc import Mapping

DEFAULT_PORT = 8080
DEFAULT_HOST = "0.0.0.0"


def listen_host(env: Mapping[str, str]) -> str:
    return env.get("HOST") or DEFAULT_HOST


def listen_port(env: Mapping[str, str]) -> int:
    """PORT from the environment; DEFAULT_PORT when unset or empty (some platforms export PORT="")."""
    return int(env.get("PORT", DEFAULT_PORT))
'''},
     fix=[("server/config.py", 'return int(env.get("PORT", DEFAULT_PORT))', 'return int(env.get("PORT") or DEFAULT_PORT)')],
     tests='''
from server.config import listen_host, listen_port


def test_defaults():
    assert listen_port({}) == 8080
    assert listen_host({"HOST": ""}) == "0.0.0.0"


def test_port_from_env():
    assert listen_port({"PORT": "9000"}) == 9000
''',
     hidden='''
from server.config import listen_port


def test_empty_port_uses_default():
    assert listen_port({"PORT": ""}) == 8080
''',
     imports="from server.config import listen_host, listen_port",
     scenario='''
def scenario(ctx):
    env = {"HOST": "", "PORT": "", "WORKERS": "4"}
    try:
        ctx.log.info("listening on %s:%d", listen_host(env), listen_port(env))
    except Exception:
        ctx.log.exception("server failed to start")
''', logger="server.boot")

case(51, "valueerror_empty_page_param", "ValueError", error_type="ValueError", deploy="/var/www/blog",
     fmt="json", description="current_page does int(query.get('page', '1')); ?page= (empty) must mean page 1.",
     files={"blog/__init__.py": '"""Blog front-end."""\n', "blog/listing.py": '''
"""Post listing pages."""

from __future__ import annotations

POSTS_PER_PAGE = 10


def current_page(query: dict[str, str]) -> int:
    """The page query parameter. Missing or empty (?page=) means 1, as does anything below 1."""
    return max(1, int(query.get("page", "1")))


def page_slice(page: int) -> slice:
    start = (page - 1) * POSTS_PER_PAGE
    return slice(start, start + POSTS_PER_PAGE)
'''},
     fix=[("blog/listing.py", 'int(query.get("page", "1"))', 'int(query.get("page") or "1")')],
     tests='''
from blog.listing import current_page, page_slice


def test_page():
    assert current_page({}) == 1
    assert current_page({"page": "3"}) == 3
    assert current_page({"page": "-2"}) == 1


def test_slice():
    assert page_slice(2) == slice(10, 20)
''',
     hidden='''
from blog.listing import current_page


def test_empty_page_parameter():
    assert current_page({"page": ""}) == 1
''',
     imports="from blog.listing import current_page",
     scenario='''
def scenario(ctx):
    for qs in [{"page": "2"}, {"page": ""}, {"tag": "python", "page": ""}]:
        ctx.noise(1)
        try:
            ctx.log.info("GET /posts %s -> page %d", qs, current_page(qs))
        except Exception:
            ctx.log.exception("Error handling request GET /posts %s", qs)
''', logger="blog.views")

case(52, "valueerror_empty_content_length", "ValueError", error_type="ValueError", deploy="/opt/ingress",
     fmt="ecs", description="declared_length does int(headers.get('Content-Length', 0)); empty header must be 0.",
     files={"ingress/__init__.py": '"""Ingress guard."""\n', "ingress/body.py": '''
"""Request-body size checks done before reading the body."""

from __future__ import annotations

MAX_BODY = 10 * 1024 * 1024


def declared_length(headers: dict[str, str]) -> int:
    """Content-Length as an int; 0 when the header is absent or empty."""
    return int(headers.get("Content-Length", 0))


def too_large(headers: dict[str, str]) -> bool:
    return declared_length(headers) > MAX_BODY
'''},
     fix=[("ingress/body.py", 'return int(headers.get("Content-Length", 0))', 'return int(headers.get("Content-Length") or 0)')],
     tests='''
from ingress.body import declared_length, too_large


def test_length():
    assert declared_length({"Content-Length": "512"}) == 512
    assert declared_length({}) == 0


def test_too_large():
    assert too_large({"Content-Length": str(11 * 1024 * 1024)})
''',
     hidden='''
from ingress.body import declared_length, too_large


def test_empty_header():
    assert declared_length({"Content-Length": ""}) == 0
    assert not too_large({"Content-Length": ""})
''',
     imports="from ingress.body import too_large",
     scenario='''
def scenario(ctx):
    for headers in [{"Content-Length": "2048"}, {"Content-Length": "", "Transfer-Encoding": "chunked"}]:
        try:
            ctx.log.info("body check too_large=%s", too_large(headers))
        except Exception:
            ctx.log.exception("Error handling request POST /upload")
''', logger="ingress.guard")

case(53, "jsondecodeerror_empty_webhook_body", "JSONDecodeError", error_type="JSONDecodeError",
     deploy="/srv/hooks", fmt="gunicorn", description="parse_event json.loads an empty ping body; doc: empty body is {}.",
     files={"hooks/__init__.py": '"""Webhook receiver."""\n', "hooks/receiver.py": '''
"""Inbound webhooks from the Git hosting provider."""

from __future__ import annotations

import json


def parse_event(body: bytes) -> dict:
    """The decoded JSON payload. Ping/verification requests arrive with an empty body: that is {}."""
    return json.loads(body)


def event_action(body: bytes) -> str:
    """The payload's "action", or "ping" when it has none."""
    return parse_event(body).get("action", "ping")
'''},
     fix=[("hooks/receiver.py", "    return json.loads(body)\n", "    if not body.strip():\n        return {}\n    return json.loads(body)\n")],
     tests='''
from hooks.receiver import event_action, parse_event


def test_parse():
    assert parse_event(b'{"action": "opened", "number": 7}')["number"] == 7


def test_action():
    assert event_action(b'{"zen": "Keep it simple"}') == "ping"
''',
     hidden='''
from hooks.receiver import event_action, parse_event


def test_empty_body():
    assert parse_event(b"") == {}
    assert event_action(b"") == "ping"
''',
     imports="from hooks.receiver import event_action",
     scenario='''
def scenario(ctx):
    for body in [b'{"action": "closed", "number": 118}', b""]:
        ctx.noise(1)
        try:
            ctx.log.info("webhook action=%s", event_action(body))
        except Exception:
            ctx.log.exception("Error handling request POST /hooks/git")
''', logger="hooks.receiver")

case(54, "jsondecodeerror_empty_cache_file", "JSONDecodeError", error_type="JSONDecodeError",
     deploy="/home/deploy/tokens/current", fmt="loguru",
     description="load_cache json.load()s a zero-byte cache file; doc: missing or empty file is an empty cache.",
     files={"tokencache/__init__.py": '"""OAuth token cache."""\n', "tokencache/store.py": '''
"""On-disk cache of OAuth access tokens, keyed by client id."""

from __future__ import annotations

import json
import os


def load_cache(path: str) -> dict:
    """The cached tokens. A missing or empty file (e.g. truncated by a crash mid-write) is an empty cache."""
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def save_cache(path: str, tokens: dict) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(tokens, fh)
'''},
     fix=[("tokencache/store.py", "        return json.load(fh)\n", "        text = fh.read()\n    return json.loads(text) if text.strip() else {}\n")],
     tests='''
from tokencache.store import load_cache, save_cache


def test_roundtrip(tmp_path):
    p = str(tmp_path / "tokens.json")
    save_cache(p, {"client-a": "tok"})
    assert load_cache(p) == {"client-a": "tok"}


def test_missing_file(tmp_path):
    assert load_cache(str(tmp_path / "none.json")) == {}
''',
     hidden='''
from tokencache.store import load_cache


def test_empty_file(tmp_path):
    p = tmp_path / "tokens.json"
    p.write_text("")
    assert load_cache(str(p)) == {}
''',
     imports="import tempfile\n\nfrom tokencache.store import load_cache\n\nCACHE_DIR = tempfile.mkdtemp()",
     scenario='''
def scenario(ctx):
    path = os.path.join(CACHE_DIR, "tokens.json")
    open(path, "w").close()  # what the crashed previous process left behind
    ctx.log.info("loading token cache %s", path)
    try:
        ctx.log.info("%d cached tokens", len(load_cache(path)))
    except Exception:
        ctx.log.exception("token refresher could not start")
''',
     main='_logkit.run(HERE, scenario, deploy="/home/deploy/tokens/current", fmt="loguru", logger="tokencache.refresher",\n            seed=54, extra={CACHE_DIR: "/var/cache/tokens"})\n')

case(55, "jsondecodeerror_no_content_response", "JSONDecodeError", error_type="JSONDecodeError",
     deploy="/opt/sync", fmt="logstash",
     description="decode json.loads the empty body of a 204 response; doc: None for 204/empty bodies.",
     files={"syncclient/__init__.py": '"""Partner API client."""\n', "syncclient/responses.py": '''
"""Decoding of partner-API responses."""

from __future__ import annotations

import json
from dataclasses import dataclass


class ApiError(Exception):
    pass


@dataclass
class Response:
    status: int
    text: str


def decode(resp: Response) -> dict | None:
    """JSON body of a successful response; None for 204 No Content and other empty bodies.

    Raises ApiError for status >= 400.
    """
    if resp.status >= 400:
        raise ApiError(f"HTTP {resp.status}: {resp.text[:200]}")
    return json.loads(resp.text)
'''},
     fix=[("syncclient/responses.py", "    return json.loads(resp.text)\n",
           "    if resp.status == 204 or not resp.text.strip():\n        return None\n    return json.loads(resp.text)\n")],
     tests='''
import pytest

from syncclient.responses import ApiError, Response, decode


def test_ok():
    assert decode(Response(200, '{"id": 3}')) == {"id": 3}


def test_error():
    with pytest.raises(ApiError):
        decode(Response(502, "bad gateway"))
''',
     hidden='''
from syncclient.responses import Response, decode


def test_no_content():
    assert decode(Response(204, "")) is None
    assert decode(Response(200, "")) is None
''',
     imports="from syncclient.responses import Response, decode",
     scenario='''
def scenario(ctx):
    calls = [("GET /partners/77", Response(200, '{"id": 77, "name": "Acme"}')),
             ("DELETE /partners/77/sessions", Response(204, ""))]
    for call, resp in calls:
        try:
            ctx.log.info("%s -> %s", call, decode(resp))
        except Exception:
            ctx.log.exception("sync step failed: %s", call)
''', logger="syncclient.sync")
