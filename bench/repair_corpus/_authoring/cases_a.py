"""NameError x6, AttributeError x7."""
from build import case

case(1, "nameerror_invoice_coupon", "NameError", error_type="NameError", deploy="/srv/billing",
     description="Typo sub_total for subtotal on the coupon branch of invoice_total.",
     files={"billing/__init__.py": '"""Monthly billing run."""\n', "billing/invoice.py": '''
"""Invoice arithmetic for the monthly billing run."""

from __future__ import annotations

VAT_RATE = 0.21
#: A coupon never takes an invoice below this amount (before VAT).
MINIMUM_CHARGE = 1.00


def line_total(line: dict) -> float:
    """Quantity times unit price, rounded to cents."""
    return round(line["qty"] * line["unit_price"], 2)


def invoice_total(lines: list[dict], coupon: float = 0.0) -> float:
    """Sum of the lines minus an optional fixed coupon (never below MINIMUM_CHARGE), plus VAT."""
    subtotal = sum(line_total(line) for line in lines)
    if coupon:
        subtotal = max(sub_total - coupon, MINIMUM_CHARGE)
    return round(subtotal * (1 + VAT_RATE), 2)
'''},
     fix=[("billing/invoice.py", "max(sub_total - coupon", "max(subtotal - coupon")],
     tests='''
from billing.invoice import invoice_total, line_total


def test_line_total():
    assert line_total({"qty": 3, "unit_price": 2.5}) == 7.5


def test_invoice_total_adds_vat():
    assert invoice_total([{"qty": 1, "unit_price": 100.0}]) == 121.0
''',
     hidden='''
from billing.invoice import invoice_total


def test_coupon_is_subtracted_before_vat():
    assert invoice_total([{"qty": 1, "unit_price": 100.0}], coupon=10.0) == 108.9


def test_coupon_never_goes_below_minimum_charge():
    assert invoice_total([{"qty": 1, "unit_price": 3.0}], coupon=10.0) == 1.21
''',
     imports="from billing.invoice import invoice_total",
     scenario='''
def scenario(ctx):
    log = ctx.log
    accounts = [("acme", 0.0), ("globex", 15.0), ("initech", 0.0), ("umbrella", 5.0)]
    for account, coupon in accounts:
        ctx.noise(2)
        try:
            total = invoice_total([{"qty": 2, "unit_price": 49.0}], coupon=coupon)
            log.info("invoice issued account=%s total=%.2f", account, total)
        except Exception:
            log.exception("could not invoice account=%s", account)
''', logger="billing.monthly")

case(2, "nameerror_slugify_missing_re", "NameError", error_type="NameError", deploy="/app", fmt="json",
     description="slugify uses re.sub but the module never imports re.",
     files={"cms/__init__.py": '"""Page management for the marketing site."""\n', "cms/slugs.py": '''
"""Slugs and titles for CMS pages."""

from __future__ import annotations

import unicodedata

MAX_SLUG_LENGTH = 60


def title_case(text: str) -> str:
    """Capitalise every word and collapse runs of whitespace."""
    return " ".join(word.capitalize() for word in text.split())


def slugify(title: str) -> str:
    """ASCII, lower-case, dash-separated slug of at most MAX_SLUG_LENGTH characters."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:MAX_SLUG_LENGTH].rstrip("-")
'''},
     fix=[("cms/slugs.py", "import unicodedata\n", "import re\nimport unicodedata\n")],
     tests='''
from cms.slugs import title_case


def test_title_case():
    assert title_case("  the   quick brown fox ") == "The Quick Brown Fox"
''',
     hidden='''
from cms.slugs import MAX_SLUG_LENGTH, slugify


def test_slugify_strips_accents_and_punctuation():
    assert slugify("Crème Brûlée: 10 Recipes!") == "creme-brulee-10-recipes"


def test_slug_is_bounded():
    assert len(slugify("word " * 40)) <= MAX_SLUG_LENGTH
''',
     imports="from cms.slugs import slugify",
     scenario='''
def scenario(ctx):
    for title in ["Spring Sale", "Crème Brûlée: 10 Recipes!"]:
        ctx.noise(3)
        try:
            ctx.log.info("page published slug=%s", slugify(title))
        except Exception:
            ctx.log.exception("publish failed for page %r", title)
''', logger="cms.publisher")

case(3, "nameerror_next_run_timedelta", "NameError", error_type="NameError", deploy="/opt/scheduler",
     fmt="loguru", description="next_daily_run uses timedelta, but only datetime is imported.",
     files={"scheduler/__init__.py": '"""Maintenance job scheduler."""\n', "scheduler/cron.py": '''
"""Next-run computation for the maintenance scheduler."""

from __future__ import annotations

from datetime import datetime


def parse_hhmm(value: str) -> tuple[int, int]:
    """ "HH:MM" -> (hour, minute), validating the ranges."""
    hh, mm = (int(part) for part in value.split(":"))
    if not (0 <= hh < 24 and 0 <= mm < 60):
        raise ValueError(f"bad time of day: {value!r}")
    return hh, mm


def next_daily_run(now: datetime, at: str) -> datetime:
    """Next occurrence of the daily time `at` ("HH:MM") strictly after `now`."""
    hh, mm = parse_hhmm(at)
    candidate = now.replace(hour=hh, minute=mm, second=0, microsecond=0)
    if candidate <= now:
        candidate += timedelta(days=1)
    return candidate
'''},
     fix=[("scheduler/cron.py", "from datetime import datetime\n", "from datetime import datetime, timedelta\n")],
     tests='''
from datetime import datetime

import pytest

from scheduler.cron import next_daily_run, parse_hhmm


def test_parse_hhmm():
    assert parse_hhmm("07:05") == (7, 5)
    with pytest.raises(ValueError):
        parse_hhmm("24:00")


def test_later_today():
    assert next_daily_run(datetime(2026, 3, 1, 6, 0), "07:30") == datetime(2026, 3, 1, 7, 30)
''',
     hidden='''
from datetime import datetime

from scheduler.cron import next_daily_run


def test_rolls_over_to_tomorrow():
    assert next_daily_run(datetime(2026, 3, 31, 23, 0), "02:15") == datetime(2026, 4, 1, 2, 15)


def test_exactly_now_is_not_next():
    assert next_daily_run(datetime(2026, 3, 1, 7, 30), "07:30") == datetime(2026, 3, 2, 7, 30)
''',
     imports="from datetime import datetime\n\nfrom scheduler.cron import next_daily_run",
     scenario='''
def scenario(ctx):
    jobs = {"vacuum": "03:00", "reindex": "23:45", "backup": "01:30"}
    now = datetime(2026, 3, 14, 22, 10)
    for name, at in jobs.items():
        try:
            ctx.log.info("scheduled %s at %s", name, next_daily_run(now, at).isoformat())
        except Exception:
            ctx.log.exception("cannot schedule job %s", name)
''', logger="scheduler.loop")

case(4, "nameerror_low_stock_loop_typo", "NameError", error_type="NameError", deploy="/opt/inventory",
     fmt="logstash", description="Loop variable typo (itme) on the reorder branch of low_stock.",
     files={"inventory/__init__.py": '"""Warehouse inventory."""\n', "inventory/restock.py": '''
"""Restock suggestions for the warehouse dashboard."""

from __future__ import annotations

DEFAULT_THRESHOLD = 5


def low_stock(items: list[dict], threshold: int = DEFAULT_THRESHOLD) -> list[str]:
    """SKUs whose on-hand quantity is below `threshold`; discontinued items are never reordered."""
    reorder = []
    for item in items:
        if item.get("discontinued"):
            continue
        if item["on_hand"] < threshold:
            reorder.append(itme["sku"])
    return reorder
'''},
     fix=[("inventory/restock.py", 'append(itme["sku"])', 'append(item["sku"])')],
     tests='''
from inventory.restock import low_stock


def test_nothing_to_reorder():
    assert low_stock([{"sku": "A-1", "on_hand": 12}, {"sku": "B-2", "on_hand": 5}]) == []


def test_discontinued_items_are_skipped():
    assert low_stock([{"sku": "Z-9", "on_hand": 0, "discontinued": True}]) == []
''',
     hidden='''
from inventory.restock import low_stock


def test_reorders_low_items_in_order():
    items = [{"sku": "A-1", "on_hand": 2}, {"sku": "B-2", "on_hand": 9}, {"sku": "C-3", "on_hand": 0}]
    assert low_stock(items) == ["A-1", "C-3"]
    assert low_stock(items, threshold=10) == ["A-1", "B-2", "C-3"]
''',
     imports="from inventory.restock import low_stock",
     scenario='''
def scenario(ctx):
    stock = [{"sku": "KB-104", "on_hand": 40}, {"sku": "MS-220", "on_hand": 3}]
    for run in range(2):
        ctx.noise(3)
        try:
            ctx.log.info("reorder list: %s", low_stock(stock))
        except Exception:
            ctx.log.exception("restock report failed (run %d)", run)
''', logger="inventory.dashboard")

case(5, "nameerror_stddev_missing_math", "NameError", error_type="NameError",
     deploy="/home/deploy/metrics/current", fmt="basic",
     description="stddev calls math.sqrt but math is not imported.",
     files={"metrics/__init__.py": '"""Service metrics aggregation."""\n', "metrics/summary.py": '''
"""Descriptive statistics for latency samples."""

from __future__ import annotations


def mean(samples: list[float]) -> float:
    """Arithmetic mean."""
    return sum(samples) / len(samples)


def median(samples: list[float]) -> float:
    """Middle value (mean of the two middle values for even-sized input)."""
    ordered = sorted(samples)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def stddev(samples: list[float]) -> float:
    """Population standard deviation."""
    mu = mean(samples)
    return math.sqrt(sum((x - mu) ** 2 for x in samples) / len(samples))
'''},
     fix=[("metrics/summary.py", "from __future__ import annotations\n", "from __future__ import annotations\n\nimport math\n")],
     tests='''
from metrics.summary import mean, median


def test_mean():
    assert mean([1.0, 2.0, 3.0, 6.0]) == 3.0


def test_median_even_and_odd():
    assert median([5.0, 1.0, 3.0]) == 3.0
    assert median([4.0, 1.0, 3.0, 2.0]) == 2.5
''',
     hidden='''
from metrics.summary import stddev


def test_population_stddev():
    assert stddev([2, 4, 4, 4, 5, 5, 7, 9]) == 2.0
    assert stddev([3.0, 3.0]) == 0.0
''',
     imports="from metrics.summary import mean, stddev",
     scenario='''
def scenario(ctx):
    samples = [12.0, 15.5, 11.2, 80.1, 14.3]
    ctx.log.info("p50 window ready n=%d mean=%.1f", len(samples), mean(samples))
    try:
        ctx.log.info("latency stddev=%.2f", stddev(samples))
    except Exception:
        ctx.log.exception("latency summary failed")
''', logger="metrics.rollup")

case(6, "nameerror_timeout_constant", "NameError", error_type="NameError", deploy="/srv/gateway",
     fmt="journald", description="Fallback path returns DEFAULT_TIMEOUT; the constant is DEFAULT_TIMEOUT_S.",
     files={"gateway/__init__.py": '"""API gateway."""\n', "gateway/settings.py": '''
"""Typed accessors over the gateway's parsed YAML configuration."""

from __future__ import annotations

#: Seconds an upstream call may take when the config does not say otherwise.
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_UPSTREAM = "http://localhost:8000"


def upstream_url(cfg: dict) -> str:
    """cfg["http"]["upstream"], or DEFAULT_UPSTREAM."""
    return cfg.get("http", {}).get("upstream", DEFAULT_UPSTREAM).rstrip("/")


def http_timeout(cfg: dict) -> float:
    """cfg["http"]["timeout"] in seconds, or DEFAULT_TIMEOUT_S when the key is absent."""
    http = cfg.get("http", {})
    if "timeout" in http:
        return float(http["timeout"])
    return DEFAULT_TIMEOUT
'''},
     fix=[("gateway/settings.py", "    return DEFAULT_TIMEOUT\n", "    return DEFAULT_TIMEOUT_S\n")],
     tests='''
from gateway.settings import http_timeout, upstream_url


def test_upstream_default_and_override():
    assert upstream_url({}) == "http://localhost:8000"
    assert upstream_url({"http": {"upstream": "http://api:9000/"}}) == "http://api:9000"


def test_explicit_timeout():
    assert http_timeout({"http": {"timeout": "2.5"}}) == 2.5
''',
     hidden='''
from gateway.settings import DEFAULT_TIMEOUT_S, http_timeout


def test_default_timeout():
    assert http_timeout({}) == DEFAULT_TIMEOUT_S == 30.0
    assert http_timeout({"http": {"upstream": "http://x"}}) == 30.0
''',
     imports="from gateway.settings import http_timeout, upstream_url",
     scenario='''
def scenario(ctx):
    cfg = {"http": {"upstream": "http://orders:8080"}}
    ctx.log.info("gateway starting upstream=%s", upstream_url(cfg))
    try:
        ctx.log.info("timeout=%ss", http_timeout(cfg))
    except Exception:
        ctx.log.exception("invalid configuration")
''', logger="gateway.boot")

case(7, "attributeerror_startwith_typo", "AttributeError", error_type="AttributeError", deploy="/srv/router",
     fmt="gunicorn", description="str.startwith typo (startswith) in is_public.",
     files={"router/__init__.py": '"""Edge request routing."""\n', "router/access.py": '''
"""Which request paths the edge proxy exposes without authentication."""

from __future__ import annotations

INTERNAL_PREFIXES = ("/internal", "/admin")
ALWAYS_PUBLIC = frozenset({"/healthz", "/readyz"})


def normalize(path: str) -> str:
    """Collapse duplicate slashes and drop a trailing slash (except for the root)."""
    parts = [p for p in path.split("/") if p]
    return "/" + "/".join(parts)


def is_public(path: str) -> bool:
    """Health probes are public; anything under an internal prefix is not; the rest is."""
    path = normalize(path)
    if path in ALWAYS_PUBLIC:
        return True
    return not any(path.startwith(prefix) for prefix in INTERNAL_PREFIXES)
'''},
     fix=[("router/access.py", "path.startwith(prefix)", "path.startswith(prefix)")],
     tests='''
from router.access import is_public, normalize


def test_normalize():
    assert normalize("//api//v1/") == "/api/v1"
    assert normalize("/") == "/"


def test_probes_are_public():
    assert is_public("/healthz/")
''',
     hidden='''
from router.access import is_public


def test_internal_paths_are_private():
    assert not is_public("/admin/users")
    assert not is_public("//internal/metrics")


def test_other_paths_are_public():
    assert is_public("/shop/cart")
''',
     imports="from router.access import is_public",
     scenario='''
def scenario(ctx):
    for path in ["/healthz", "/shop/cart", "/admin/users"]:
        try:
            ctx.log.info("route %s public=%s", path, is_public(path))
        except Exception:
            ctx.log.exception("Error handling request %s", path)
''', logger="router.edge")

case(8, "attributeerror_unknown_user_none", "AttributeError", error_type="AttributeError", deploy="/app",
     fmt="json", description="Directory.find returns None for unknown addresses; display_name dereferences it.",
     files={"accounts/__init__.py": '"""User accounts."""\n', "accounts/greeting.py": '''
"""Display names for e-mail greetings."""

from __future__ import annotations

from dataclasses import dataclass

GUEST_NAME = "Guest"


@dataclass
class User:
    email: str
    full_name: str = ""


class Directory:
    """In-memory user directory keyed by case-insensitive e-mail."""

    def __init__(self, users: list[User]) -> None:
        self._by_email = {u.email.lower(): u for u in users}

    def find(self, email: str) -> User | None:
        return self._by_email.get(email.lower())


def display_name(directory: Directory, email: str) -> str:
    """The user's full name (or e-mail when blank); unknown addresses are greeted as GUEST_NAME."""
    user = directory.find(email)
    return user.full_name.strip() or user.email
'''},
     fix=[("accounts/greeting.py", "    user = directory.find(email)\n",
           "    user = directory.find(email)\n    if user is None:\n        return GUEST_NAME\n")],
     tests='''
from accounts.greeting import Directory, User, display_name

DIR = Directory([User("Ada@example.com", "Ada Lovelace"), User("bob@example.com")])


def test_known_user():
    assert display_name(DIR, "ada@example.com") == "Ada Lovelace"


def test_blank_name_falls_back_to_email():
    assert display_name(DIR, "BOB@example.com") == "bob@example.com"
''',
     hidden='''
from accounts.greeting import GUEST_NAME, Directory, User, display_name


def test_unknown_address_is_a_guest():
    assert display_name(Directory([User("a@x.io", "A")]), "nobody@x.io") == GUEST_NAME == "Guest"
''',
     imports="from accounts.greeting import Directory, User, display_name",
     scenario='''
def scenario(ctx):
    directory = Directory([User("ada@example.com", "Ada Lovelace")])
    for email in ["ada@example.com", "newsletter-signup@example.org", "ada@example.com"]:
        ctx.noise(1)
        try:
            ctx.log.info("sending digest to %s", display_name(directory, email))
        except Exception:
            ctx.log.exception("digest mail failed")
''', logger="accounts.mailer")

case(9, "attributeerror_dict_as_attribute", "AttributeError", error_type="AttributeError",
     deploy="/srv/payments", fmt="ecs", description="Refund branch reads event.amount_refunded on a dict.",
     files={"payments/__init__.py": '"""Payment-provider integration."""\n', "payments/webhooks.py": '''
"""Turns payment-provider webhook events (decoded JSON dicts) into ledger entries."""

from __future__ import annotations


def ledger_entry(event: dict) -> dict:
    """{"account", "delta"} in cents: charges credit the account, refunds debit it."""
    kind = event["type"]
    if kind == "charge.succeeded":
        return {"account": event["account"], "delta": event["amount"]}
    if kind == "charge.refunded":
        return {"account": event["account"], "delta": -event.amount_refunded}
    return {"account": event["account"], "delta": 0}
'''},
     fix=[("payments/webhooks.py", "-event.amount_refunded", '-event["amount_refunded"]')],
     tests='''
from payments.webhooks import ledger_entry


def test_charge():
    assert ledger_entry({"type": "charge.succeeded", "account": "a1", "amount": 1250}) == {"account": "a1", "delta": 1250}


def test_unrelated_event():
    assert ledger_entry({"type": "customer.updated", "account": "a1"})["delta"] == 0
''',
     hidden='''
from payments.webhooks import ledger_entry


def test_refund_debits():
    ev = {"type": "charge.refunded", "account": "a7", "amount": 5000, "amount_refunded": 1999}
    assert ledger_entry(ev) == {"account": "a7", "delta": -1999}
''',
     imports="from payments.webhooks import ledger_entry",
     scenario='''
def scenario(ctx):
    events = [
        {"type": "charge.succeeded", "account": "acct_19", "amount": 4200},
        {"type": "charge.refunded", "account": "acct_19", "amount": 4200, "amount_refunded": 4200},
    ]
    for ev in events:
        ctx.noise(2)
        try:
            ctx.log.info("ledger %s", ledger_entry(ev))
        except Exception:
            ctx.log.exception("webhook processing failed type=%s", ev["type"])
''', logger="payments.webhooks")

case(10, "attributeerror_regex_no_match", "AttributeError", error_type="AttributeError", deploy="/opt/logparse",
     description="parse_line calls .group on a failed re.match instead of returning None as documented.",
     files={"logparse/__init__.py": '"""Access-log analytics."""\n', "logparse/nginx.py": '''
"""Parses nginx "combined" access-log lines."""

from __future__ import annotations

import re

LINE = re.compile(
    r'(?P<ip>\\S+) \\S+ \\S+ \\[(?P<ts>[^\\]]+)\\] "(?P<method>[A-Z]+) (?P<path>\\S+) [^"]*" (?P<status>\\d{3}) '
)


def parse_line(line: str) -> dict | None:
    """The request fields, or None for lines that are not access-log entries (blank, truncated...)."""
    m = LINE.match(line)
    return {"ip": m.group("ip"), "method": m.group("method"), "path": m.group("path"),
            "status": int(m.group("status"))}


def status_histogram(lines: list[str]) -> dict[int, int]:
    """Count of requests per HTTP status, ignoring unparseable lines."""
    counts: dict[int, int] = {}
    for line in lines:
        rec = parse_line(line)
        if rec is None:
            continue
        counts[rec["status"]] = counts.get(rec["status"], 0) + 1
    return counts
'''},
     fix=[("logparse/nginx.py", "    m = LINE.match(line)\n", "    m = LINE.match(line)\n    if m is None:\n        return None\n")],
     tests='''
from logparse.nginx import parse_line, status_histogram

OK = '10.0.0.1 - - [24/Nov/2026:02:00:00 +0000] "GET /index.html HTTP/1.1" 200 512 "-" "curl"'
MISS = '10.0.0.2 - - [24/Nov/2026:02:00:01 +0000] "GET /nope HTTP/1.1" 404 0 "-" "curl"'


def test_parse_line():
    assert parse_line(OK) == {"ip": "10.0.0.1", "method": "GET", "path": "/index.html", "status": 200}


def test_histogram():
    assert status_histogram([OK, OK, MISS]) == {200: 2, 404: 1}
''',
     hidden='''
from logparse.nginx import parse_line, status_histogram

OK = '10.0.0.1 - - [24/Nov/2026:02:00:00 +0000] "GET /index.html HTTP/1.1" 200 512 "-" "curl"'


def test_garbage_is_none():
    assert parse_line("") is None
    assert parse_line('10.0.0.1 - - [24/Nov/2026:02:0') is None


def test_histogram_skips_garbage():
    assert status_histogram([OK, "", "\\x16\\x03\\x01"]) == {200: 1}
''',
     imports="from logparse.nginx import status_histogram",
     scenario='''
def scenario(ctx):
    lines = [
        '10.1.4.7 - - [24/Nov/2026:02:00:00 +0000] "GET /api/v1/items HTTP/1.1" 200 812 "-" "k6"',
        '10.1.4.9 - - [24/Nov/2026:02:00:02 +0000] "POST /login HTTP/1.1" 302 0 "-" "Mozilla/5.0"',
        '10.1.4.9 - - [24/Nov/2026:02:00:03 +0000] "GET /da',
    ]
    for hour in (1, 2):
        try:
            ctx.log.info("hour=%02d statuses=%s", hour, status_histogram(lines[: hour + 1]))
        except Exception:
            ctx.log.exception("hourly access-log rollup failed hour=%02d", hour)
''', logger="logparse.rollup")

case(11, "attributeerror_dataclass_field_typo", "AttributeError", error_type="AttributeError",
     deploy="/opt/shipping", fmt="logstash", description="Express surcharge reads parcel.weight; the field is weight_kg.",
     files={"shipping/__init__.py": '"""Parcel shipping quotes."""\n', "shipping/rates.py": '''
"""Shipping quotes for parcels."""

from __future__ import annotations

from dataclasses import dataclass

BASE_FEE = 4.90
PER_KG = 1.20
EXPRESS_SURCHARGE_PER_KG = 0.80


@dataclass(frozen=True)
class Parcel:
    weight_kg: float
    express: bool = False


def shipping_cost(parcel: Parcel) -> float:
    """BASE_FEE + PER_KG per kilo, plus EXPRESS_SURCHARGE_PER_KG per kilo for express parcels."""
    cost = BASE_FEE + PER_KG * parcel.weight_kg
    if parcel.express:
        cost += EXPRESS_SURCHARGE_PER_KG * parcel.weight
    return round(cost, 2)
'''},
     fix=[("shipping/rates.py", "* parcel.weight\n", "* parcel.weight_kg\n")],
     tests='''
from shipping.rates import Parcel, shipping_cost


def test_standard_parcel():
    assert shipping_cost(Parcel(2.0)) == 7.3
''',
     hidden='''
from shipping.rates import Parcel, shipping_cost


def test_express_parcel():
    assert shipping_cost(Parcel(2.0, express=True)) == 8.9
    assert shipping_cost(Parcel(0.5, express=True)) == 5.9
''',
     imports="from shipping.rates import Parcel, shipping_cost",
     scenario='''
def scenario(ctx):
    for weight, express in [(1.2, False), (3.4, True), (0.3, False)]:
        ctx.noise(1)
        try:
            ctx.log.info("quote weight=%.1f express=%s cost=%.2f", weight, express,
                         shipping_cost(Parcel(weight, express)))
        except Exception:
            ctx.log.exception("quote failed weight=%.1f", weight)
''', logger="shipping.quotes")

case(12, "attributeerror_optional_section_none", "AttributeError", error_type="AttributeError",
     deploy="/srv/worker", fmt="basic",
     description="cfg.get('retry') is None when the optional section is absent; .get on None.",
     files={"jobs/__init__.py": '"""Background job runner."""\n', "jobs/policy.py": '''
"""Retry policy for background jobs, read from the worker's parsed config."""

from __future__ import annotations

DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_BACKOFF_S = 2.0


def max_attempts(cfg: dict) -> int:
    """cfg["retry"]["max_attempts"]; the whole retry section is optional (DEFAULT_MAX_ATTEMPTS)."""
    return int(cfg.get("retry").get("max_attempts", DEFAULT_MAX_ATTEMPTS))


def backoff(attempt: int, base: float = DEFAULT_BACKOFF_S) -> float:
    """Exponential backoff before retry number `attempt` (1-based)."""
    return base * 2 ** (attempt - 1)
'''},
     fix=[("jobs/policy.py", 'cfg.get("retry").get(', '(cfg.get("retry") or {}).get(')],
     tests='''
from jobs.policy import backoff, max_attempts


def test_configured_attempts():
    assert max_attempts({"retry": {"max_attempts": "5"}}) == 5
    assert max_attempts({"retry": {}}) == 3


def test_backoff():
    assert [backoff(n) for n in (1, 2, 3)] == [2.0, 4.0, 8.0]
''',
     hidden='''
from jobs.policy import DEFAULT_MAX_ATTEMPTS, max_attempts


def test_missing_retry_section_uses_default():
    assert max_attempts({}) == DEFAULT_MAX_ATTEMPTS == 3
    assert max_attempts({"queue": "emails"}) == 3
''',
     imports="from jobs.policy import max_attempts",
     scenario='''
def scenario(ctx):
    for queue in ["emails", "thumbnails"]:
        cfg = {"queue": queue, "concurrency": 4}
        try:
            ctx.log.info("queue %s: max attempts %d", queue, max_attempts(cfg))
        except Exception:
            ctx.log.exception("worker for queue %s did not start", queue)
''', logger="jobs.runner")

case(13, "attributeerror_str_has_no_decode", "AttributeError", error_type="AttributeError",
     deploy="/opt/ingest", fmt="journald",
     description="decode_payload always calls .decode, but the HTTP bridge hands it str.",
     files={"ingest/__init__.py": '"""Message ingestion."""\n', "ingest/decode.py": '''
"""Decodes "key=value;key=value" message bodies.

The broker client hands us bytes; the HTTP bridge hands us an already-decoded str. Both are valid.
"""

from __future__ import annotations


def decode_payload(payload: bytes | str) -> dict[str, str]:
    """Fields of the message; empty segments are ignored and whitespace is stripped."""
    text = payload.decode("utf-8")
    fields = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        key, _, value = part.partition("=")
        fields[key.strip()] = value.strip()
    return fields
'''},
     fix=[("ingest/decode.py", '    text = payload.decode("utf-8")\n',
           '    text = payload.decode("utf-8") if isinstance(payload, bytes) else payload\n')],
     tests='''
from ingest.decode import decode_payload


def test_bytes_payload():
    assert decode_payload(b"id=7; kind=order;;") == {"id": "7", "kind": "order"}
''',
     hidden='''
from ingest.decode import decode_payload


def test_str_payload():
    assert decode_payload("id=8;kind=refund") == {"id": "8", "kind": "refund"}


def test_utf8_bytes_still_work():
    assert decode_payload("name=Zoë".encode()) == {"name": "Zoë"}
''',
     imports="from ingest.decode import decode_payload",
     scenario='''
def scenario(ctx):
    for source, body in [("kafka", b"id=1;kind=order"), ("http", "id=2;kind=order"), ("http", "id=3;kind=refund")]:
        try:
            ctx.log.info("ingested from %s: %s", source, decode_payload(body))
        except Exception:
            ctx.log.exception("dropping message from %s", source)
''', logger="ingest.consumer")
