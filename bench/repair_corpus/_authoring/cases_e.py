"""Logic bugs x5 (log = failing pytest output), abstain x5."""
from build import case

case(56, "logic_discount_wrong_operator", "Logic", error_type="AssertionError", deploy="/builds/promo",
     pytest_log=True, description="apply_discount adds the percentage instead of subtracting it.",
     files={"promo/__init__.py": '"""Promotions."""\n', "promo/pricing.py": '''
"""Promotional pricing."""

from __future__ import annotations


def format_price(amount: float, currency: str = "EUR") -> str:
    return f"{amount:,.2f} {currency}"


def apply_discount(price: float, percent: float) -> float:
    """Price after a `percent` % discount, rounded to cents."""
    return round(price * (1 + percent / 100), 2)
'''},
     fix=[("promo/pricing.py", "price * (1 + percent / 100)", "price * (1 - percent / 100)")],
     tests='''
from promo.pricing import apply_discount, format_price


def test_format_price():
    assert format_price(1234.5) == "1,234.50 EUR"


def test_no_discount():
    assert apply_discount(19.99, 0) == 19.99
''',
     hidden='''
from promo.pricing import apply_discount


def test_discount_lowers_price():
    assert apply_discount(80.0, 25) == 60.0
    assert apply_discount(19.99, 10) == 17.99
''')

case(57, "logic_business_days_off_by_one", "Logic", error_type="AssertionError", deploy="/builds/workdays",
     pytest_log=True, description="business_days excludes the end date although the range is documented inclusive.",
     files={"workdays/__init__.py": '"""Working-day arithmetic."""\n', "workdays/span.py": '''
"""Working days for SLA computations."""

from __future__ import annotations

from datetime import date, timedelta


def business_days(start: date, end: date) -> int:
    """Monday-to-Friday days from `start` to `end`, both inclusive (0 if end < start)."""
    days = (end - start).days
    return sum(1 for i in range(days) if (start + timedelta(days=i)).weekday() < 5)
'''},
     fix=[("workdays/span.py", "for i in range(days) if", "for i in range(days + 1) if")],
     tests='''
from datetime import date

from workdays.span import business_days


def test_weekend_only():
    assert business_days(date(2026, 11, 28), date(2026, 11, 28)) == 0


def test_full_week_monday_to_sunday():
    assert business_days(date(2026, 11, 23), date(2026, 11, 29)) == 5


def test_reversed_range():
    assert business_days(date(2026, 11, 27), date(2026, 11, 23)) == 0
''',
     hidden='''
from datetime import date

from workdays.span import business_days


def test_inclusive_end():
    assert business_days(date(2026, 11, 23), date(2026, 11, 27)) == 5
    assert business_days(date(2026, 11, 23), date(2026, 11, 23)) == 1
''')

case(58, "logic_free_shipping_comparison", "Logic", error_type="AssertionError", deploy="/builds/storefront",
     pytest_log=True, description="shipping_fee uses > where the rule is 'FREE_SHIPPING_FROM or more'.",
     files={"storefront/__init__.py": '"""Storefront."""\n', "storefront/shipping.py": '''
"""Shipping fee rules shown at checkout."""

from __future__ import annotations

FREE_SHIPPING_FROM = 50.00
FLAT_FEE = 4.95


def shipping_fee(subtotal: float) -> float:
    """Orders of FREE_SHIPPING_FROM or more ship free; the others pay FLAT_FEE."""
    return 0.0 if subtotal > FREE_SHIPPING_FROM else FLAT_FEE
'''},
     fix=[("storefront/shipping.py", "subtotal > FREE_SHIPPING_FROM", "subtotal >= FREE_SHIPPING_FROM")],
     tests='''
from storefront.shipping import shipping_fee


def test_small_order_pays():
    assert shipping_fee(12.0) == 4.95


def test_large_order_free():
    assert shipping_fee(80.0) == 0.0
''',
     hidden='''
from storefront.shipping import shipping_fee


def test_threshold_is_inclusive():
    assert shipping_fee(50.0) == 0.0
    assert shipping_fee(49.99) == 4.95
''')

case(59, "logic_acl_boolean_or", "Logic", error_type="AssertionError", deploy="/builds/docs-acl",
     pytest_log=True, description="can_edit uses `or` where owner-and-not-archived is required.",
     files={"acl/__init__.py": '"""Document permissions."""\n', "acl/policy.py": '''
"""Edit permissions for shared documents."""

from __future__ import annotations


def can_edit(user: dict, doc: dict) -> bool:
    """Suspended users can edit nothing; admins can edit everything; everybody else only their own
    documents, and never archived ones."""
    if user.get("suspended"):
        return False
    if user.get("admin"):
        return True
    return doc["owner"] == user["id"] or not doc.get("archived")
'''},
     fix=[("acl/policy.py", 'doc["owner"] == user["id"] or not', 'doc["owner"] == user["id"] and not')],
     tests='''
from acl.policy import can_edit


def test_admin():
    assert can_edit({"id": 1, "admin": True}, {"owner": 2, "archived": True})


def test_suspended():
    assert not can_edit({"id": 1, "admin": True, "suspended": True}, {"owner": 1})


def test_owner():
    assert can_edit({"id": 3}, {"owner": 3})
''',
     hidden='''
from acl.policy import can_edit


def test_not_owner():
    assert not can_edit({"id": 3}, {"owner": 4})


def test_archived_own_document():
    assert not can_edit({"id": 3}, {"owner": 3, "archived": True})
''')

case(60, "logic_truncate_off_by_one", "Logic", error_type="AssertionError", deploy="/builds/feeds",
     pytest_log=True, description="preview keeps `limit` characters and then appends the ellipsis (limit + 1).",
     files={"feeds/__init__.py": '"""Feed rendering."""\n', "feeds/preview.py": '''
"""Text previews for feed cards."""

from __future__ import annotations

ELLIPSIS = "…"


def preview(text: str, limit: int = 40) -> str:
    """`text` shortened to at most `limit` characters; when cut, the last character is ELLIPSIS."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit] + ELLIPSIS
'''},
     fix=[("feeds/preview.py", "    return text[:limit] + ELLIPSIS\n", "    return text[: limit - 1] + ELLIPSIS\n")],
     tests='''
from feeds.preview import preview


def test_short_text_unchanged():
    assert preview("Hello   world", 40) == "Hello world"


def test_cut_text_ends_with_ellipsis():
    assert preview("a" * 100, 10).endswith("…")
''',
     hidden='''
from feeds.preview import preview


def test_cut_text_respects_limit():
    assert preview("abcdefghijkl", 5) == "abcd…"
    assert len(preview("x" * 100, 40)) == 40
''')

case(61, "abstain_connection_refused", "Abstain", expect="abstain", error_type="ConnectionRefusedError",
     deploy="/srv/stock-sync", fmt="json",
     description="The warehouse API is down (connection refused). Operational problem: no code patch.",
     files={"stocksync/__init__.py": '"""Warehouse stock synchronisation."""\n', "stocksync/client.py": '''
"""Minimal line-protocol client for the warehouse stock service."""

from __future__ import annotations

import socket

TIMEOUT_S = 2.0


def parse_reply(line: bytes) -> dict[str, int]:
    """b"SKU-1=4 SKU-2=0" -> {"SKU-1": 4, "SKU-2": 0}."""
    pairs = (item.split("=") for item in line.decode("ascii").split())
    return {sku: int(qty) for sku, qty in pairs}


def fetch_stock(host: str, port: int, skus: list[str]) -> dict[str, int]:
    """Ask the warehouse service for the stock of `skus`."""
    with socket.create_connection((host, port), timeout=TIMEOUT_S) as conn:
        conn.sendall(("STOCK " + " ".join(skus) + "\\n").encode("ascii"))
        return parse_reply(conn.makefile("rb").readline())
'''},
     tests='''
from stocksync.client import parse_reply


def test_parse_reply():
    assert parse_reply(b"SKU-1=4 SKU-2=0\\n") == {"SKU-1": 4, "SKU-2": 0}
''',
     imports="import socket\n\nfrom stocksync.client import fetch_stock",
     scenario='''
def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nobody listens there any more: a really refused connection
    return port


def scenario(ctx):
    port = closed_port()
    for attempt in range(1, 4):
        ctx.noise(2)
        try:
            fetch_stock("127.0.0.1", port, ["KB-104", "MS-220"])
        except Exception:
            ctx.log.exception("stock sync with warehouse-api failed (attempt %d/3)", attempt)
''', logger="stocksync.job")

case(62, "abstain_missing_env_var", "Abstain", expect="abstain", error_type="KeyError",
     deploy="/opt/invoicing", fmt="gunicorn",
     description="DATABASE_URL is not set in the deployment; the code deliberately requires it. No code patch.",
     files={"invoicing/__init__.py": '"""Invoicing service."""\n', "invoicing/settings.py": '''
"""Service settings from the environment.

DATABASE_URL is required and deliberately has no default: pointing the invoicing service at the
wrong database is worse than refusing to start.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

DEFAULT_POOL_SIZE = 5


def database_url(env: Mapping[str, str] = os.environ) -> str:
    """The required DATABASE_URL (KeyError when unset: the deployment is misconfigured)."""
    return env["DATABASE_URL"]


def pool_size(env: Mapping[str, str] = os.environ) -> int:
    return int(env.get("DB_POOL_SIZE") or DEFAULT_POOL_SIZE)
'''},
     tests='''
import pytest

from invoicing.settings import database_url, pool_size


def test_database_url():
    assert database_url({"DATABASE_URL": "postgresql://db/invoicing"}) == "postgresql://db/invoicing"


def test_database_url_is_required():
    with pytest.raises(KeyError):
        database_url({})


def test_pool_size():
    assert pool_size({}) == 5
''',
     imports="from invoicing.settings import database_url, pool_size",
     scenario='''
def scenario(ctx):
    env = {"DB_POOL_SIZE": "10", "LOG_LEVEL": "info"}  # the container's environment, DATABASE_URL missing
    ctx.log.info("Booting worker with pid: %d", 4242)
    try:
        ctx.log.info("connecting pool=%d url=%s", pool_size(env), database_url(env))
    except Exception:
        ctx.log.exception("Exception in worker process")
''', logger="invoicing.boot")

case(63, "abstain_permission_denied", "Abstain", expect="abstain", error_type="PermissionError",
     deploy="/opt/reportgen",
     description="The report directory is not writable by the service user. Operational problem: no code patch.",
     files={"reportgen/__init__.py": '"""Daily CSV reports."""\n', "reportgen/writer.py": '''
"""Writes the daily CSV reports into the configured report directory."""

from __future__ import annotations

import csv
import os


def report_path(directory: str, day: str) -> str:
    return os.path.join(directory, f"daily-{day}.csv")


def write_report(directory: str, day: str, rows: list[dict]) -> str:
    """Write `rows` as CSV and return the file path."""
    path = report_path(directory, day)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=sorted(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path
'''},
     tests='''
import csv

from reportgen.writer import write_report


def test_write_report(tmp_path):
    path = write_report(str(tmp_path), "2026-11-24", [{"sku": "A", "qty": 1}])
    with open(path) as fh:
        assert list(csv.DictReader(fh)) == [{"qty": "1", "sku": "A"}]
''',
     imports="import tempfile\n\nfrom reportgen.writer import write_report\n\n"
             "REPORT_DIR = os.path.join(tempfile.mkdtemp(), \"reports\")\n"
             "os.makedirs(REPORT_DIR)\nos.chmod(os.path.dirname(REPORT_DIR), 0o755)\nos.chmod(REPORT_DIR, 0o555)",
     scenario='''
def scenario(ctx):
    ctx.log.info("daily report job started (user=reportgen)")
    try:
        write_report(REPORT_DIR, "2026-11-24", [{"sku": "KB-104", "qty": 40}])
    except Exception:
        ctx.log.exception("daily report job failed")
''',
     main='_logkit.run(HERE, scenario, deploy="/opt/reportgen", fmt="default", logger="reportgen.daily", seed=63,\n'
          '            extra={REPORT_DIR: "/var/lib/reportgen/reports"}, unprivileged=True)\n')

case(64, "abstain_yaml_syntax_error", "Abstain", expect="abstain", error_type="ScannerError",
     deploy="/srv/deploybot", fmt="logstash",
     description="A malformed YAML file (tab indentation) fails inside PyYAML. Data problem: no code patch.",
     files={"deploybot/__init__.py": '"""Deployment bot."""\n', "deploybot/pipeline.py": '''
"""Loads pipeline definitions (YAML) committed by the teams."""

from __future__ import annotations

import yaml


def load_pipeline(text: str) -> dict:
    """The parsed pipeline; stages default to an empty list."""
    data = yaml.safe_load(text) or {}
    data.setdefault("stages", [])
    return data
'''},
     tests='''
from deploybot.pipeline import load_pipeline


def test_load():
    assert load_pipeline("name: api\\nstages: [build, test]\\n") == {"name": "api", "stages": ["build", "test"]}


def test_defaults():
    assert load_pipeline("") == {"stages": []}
''',
     imports="from deploybot.pipeline import load_pipeline",
     scenario='''
def scenario(ctx):
    files = {"teams/api/pipeline.yaml": "name: api\\nstages: [build, test, deploy]\\n",
             "teams/web/pipeline.yaml": "name: web\\nstages:\\n\\t- build\\n\\t- deploy\\n"}
    for path, text in files.items():
        try:
            ctx.log.info("loaded %s: %d stages", path, len(load_pipeline(text)["stages"]))
        except Exception:
            ctx.log.exception("could not load %s", path)
''', logger="deploybot.sync")

case(65, "abstain_sqlite_unable_to_open", "Abstain", expect="abstain", error_type="OperationalError",
     deploy="/opt/auditlog", fmt="journald",
     description="The data volume is not mounted, so sqlite cannot open the database file. No code patch.",
     files={"auditlog/__init__.py": '"""Audit trail."""\n', "auditlog/db.py": '''
"""Append-only audit trail in SQLite."""

from __future__ import annotations

import sqlite3

SCHEMA = "CREATE TABLE IF NOT EXISTS events (ts TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL)"


def open_db(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute(SCHEMA)
    return conn


def record(conn: sqlite3.Connection, ts: str, actor: str, action: str) -> None:
    with conn:
        conn.execute("INSERT INTO events VALUES (?, ?, ?)", (ts, actor, action))
'''},
     tests='''
from auditlog.db import open_db, record


def test_record():
    conn = open_db(":memory:")
    record(conn, "2026-11-24T02:00:00Z", "ada", "login")
    assert conn.execute("SELECT actor, action FROM events").fetchall() == [("ada", "login")]
''',
     imports="import tempfile\n\nfrom auditlog.db import open_db\n\nDATA = os.path.join(tempfile.mkdtemp(), \"data\")",
     scenario='''
def scenario(ctx):
    path = os.path.join(DATA, "audit.sqlite3")  # the volume that should provide DATA is not mounted
    for attempt in range(2):
        try:
            open_db(path)
            ctx.log.info("audit db ready")
        except Exception:
            ctx.log.exception("cannot open audit database (attempt %d)", attempt + 1)
''',
     main='_logkit.run(HERE, scenario, deploy="/opt/auditlog", fmt="journald", logger="auditlog.writer", seed=65,\n'
          '            extra={DATA: "/var/lib/auditlog"})\n')
