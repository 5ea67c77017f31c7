"""KeyError x7, IndexError x6."""
from build import case

case(14, "keyerror_default_currency", "KeyError", error_type="KeyError", deploy="/srv/orders", fmt="gunicorn",
     description="format_total indexes order['currency']; docstring says DEFAULT_CURRENCY when absent.",
     files={"orders/__init__.py": '"""Order service."""\n', "orders/totals.py": '''
"""Human-readable order totals for receipts."""

from __future__ import annotations

DEFAULT_CURRENCY = "EUR"


def format_total(order: dict) -> str:
    """ "12.50 EUR": the amount with two decimals and the order's currency.

    Orders created before multi-currency support carry no "currency" key; they are in DEFAULT_CURRENCY.
    """
    return f"{order['amount']:.2f} {order['currency']}"
'''},
     fix=[("orders/totals.py", "{order['currency']}", "{order.get('currency', DEFAULT_CURRENCY)}")],
     tests='''
from orders.totals import format_total


def test_format_total():
    assert format_total({"amount": 12.5, "currency": "USD"}) == "12.50 USD"
''',
     hidden='''
from orders.totals import format_total


def test_legacy_order_defaults_to_eur():
    assert format_total({"amount": 3}) == "3.00 EUR"
    assert format_total({"amount": 1.005, "currency": "GBP"}) == "1.00 GBP"
''',
     imports="from orders.totals import format_total",
     scenario='''
def scenario(ctx):
    orders = [{"id": 91, "amount": 18.4, "currency": "USD"}, {"id": 12, "amount": 7.0}]
    for order in orders:
        ctx.noise(2)
        try:
            ctx.log.info("receipt order=%d total=%s", order["id"], format_total(order))
        except Exception:
            ctx.log.exception("Error handling request GET /orders/%d/receipt", order["id"])
''', logger="orders.api")

case(15, "keyerror_word_counter", "KeyError", error_type="KeyError", deploy="/app", fmt="json",
     description="word_counts does counts[word] += 1 on a plain dict.",
     files={"textstats/__init__.py": '"""Text statistics for the search team."""\n', "textstats/words.py": '''
"""Word frequencies for search-query analysis."""

from __future__ import annotations

import re

STOPWORDS = frozenset({"the", "a", "an", "and", "of", "to", "in"})


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens (apostrophes kept)."""
    return re.findall(r"[a-z']+", text.lower())


def word_counts(text: str) -> dict[str, int]:
    """Occurrences of each non-stopword token."""
    counts: dict[str, int] = {}
    for word in tokenize(text):
        if word in STOPWORDS:
            continue
        counts[word] += 1
    return counts


def top_words(text: str, n: int = 3) -> list[str]:
    """The n most frequent non-stopwords, ties broken alphabetically."""
    counts = word_counts(text)
    return sorted(counts, key=lambda w: (-counts[w], w))[:n]
'''},
     fix=[("textstats/words.py", "        counts[word] += 1\n", "        counts[word] = counts.get(word, 0) + 1\n")],
     tests='''
from textstats.words import tokenize, word_counts


def test_tokenize():
    assert tokenize("Don't PANIC, the answer: 42") == ["don't", "panic", "the", "answer"]


def test_only_stopwords():
    assert word_counts("the and of a") == {}
''',
     hidden='''
from textstats.words import top_words, word_counts


def test_counts():
    assert word_counts("Red shoes and red socks") == {"red": 2, "shoes": 1, "socks": 1}


def test_top_words():
    assert top_words("b a b c a b", n=2) == ["b", "c"]
''',
     imports="from textstats.words import top_words",
     scenario='''
def scenario(ctx):
    for batch, text in enumerate(["the and of", "red shoes size 42", "blue red jacket"]):
        try:
            ctx.log.info("batch %d top words %s", batch, top_words(text))
        except Exception:
            ctx.log.exception("query analysis failed for batch %d", batch)
''', logger="textstats.job")

case(16, "keyerror_optional_logging_section", "KeyError", error_type="KeyError", deploy="/opt/notifier",
     fmt="basic", description="log_level indexes cfg['logging'] though the section is documented optional.",
     files={"notifier/__init__.py": '"""Notification service."""\n', "notifier/logsetup.py": '''
"""Logging configuration for the notifier, from its parsed YAML config."""

from __future__ import annotations

import logging

DEFAULT_LEVEL = "INFO"


def log_level(cfg: dict) -> int:
    """Numeric level from cfg["logging"]["level"] (case-insensitive).

    Both the logging section and its level key are optional: the default is DEFAULT_LEVEL.
    """
    name = cfg["logging"].get("level", DEFAULT_LEVEL)
    return logging.getLevelName(name.upper())
'''},
     fix=[("notifier/logsetup.py", 'cfg["logging"].get(', 'cfg.get("logging", {}).get(')],
     tests='''
from notifier.logsetup import log_level


def test_explicit_level():
    assert log_level({"logging": {"level": "debug"}}) == 10


def test_level_key_optional():
    assert log_level({"logging": {}}) == 20
''',
     hidden='''
from notifier.logsetup import log_level


def test_section_optional():
    assert log_level({}) == 20
    assert log_level({"smtp": {"host": "mail"}}) == 20
''',
     imports="from notifier.logsetup import log_level",
     scenario='''
def scenario(ctx):
    ctx.log.info("loading /etc/notifier/config.yaml")
    try:
        level = log_level({"smtp": {"host": "mail.internal", "port": 25}})
        ctx.log.info("log level %s", level)
    except Exception:
        ctx.log.exception("failed to configure logging")
''', logger="notifier.main")

case(17, "keyerror_unknown_ticket_status", "KeyError", error_type="KeyError", deploy="/srv/helpdesk",
     fmt="ecs", description="status_label raises KeyError for statuses unknown to the table; doc says 'Unknown'.",
     files={"helpdesk/__init__.py": '"""Helpdesk UI backend."""\n', "helpdesk/labels.py": '''
"""Display labels for helpdesk tickets."""

from __future__ import annotations

STATUS_LABELS = {
    "open": "Open",
    "pending": "Waiting on customer",
    "solved": "Solved",
    "closed": "Closed",
}
#: Shown for statuses introduced by newer API versions that this UI does not know yet.
UNKNOWN_LABEL = "Unknown"


def status_label(status: str) -> str:
    """Human label for a ticket status (case-insensitive); unknown statuses show as UNKNOWN_LABEL."""
    return STATUS_LABELS[status.lower()]
'''},
     fix=[("helpdesk/labels.py", "return STATUS_LABELS[status.lower()]", "return STATUS_LABELS.get(status.lower(), UNKNOWN_LABEL)")],
     tests='''
from helpdesk.labels import status_label


def test_known_statuses():
    assert status_label("pending") == "Waiting on customer"
    assert status_label("CLOSED") == "Closed"
''',
     hidden='''
from helpdesk.labels import status_label


def test_unknown_status():
    assert status_label("on-hold") == "Unknown"
    assert status_label("Open") == "Open"
''',
     imports="from helpdesk.labels import status_label",
     scenario='''
def scenario(ctx):
    tickets = [(4411, "open"), (4412, "on-hold"), (4413, "solved"), (4417, "on-hold")]
    for tid, status in tickets:
        ctx.noise(1)
        try:
            ctx.log.info("ticket %d rendered (%s)", tid, status_label(status))
        except Exception:
            ctx.log.exception("failed to render ticket %d", tid)
''', logger="helpdesk.views")

case(18, "keyerror_group_by_append", "KeyError", error_type="KeyError",
     deploy="/home/deploy/reports/current", fmt="loguru",
     description="group_by_customer appends to groups[key] without creating the list first.",
     files={"reports/__init__.py": '"""Back-office reports."""\n', "reports/grouping.py": '''
"""Grouping helpers for the customer activity report."""

from __future__ import annotations


def customer_count(orders: list[dict]) -> int:
    """Number of distinct customers."""
    return len({o["customer"] for o in orders})


def group_by_customer(orders: list[dict]) -> dict[str, list[str]]:
    """Order ids per customer, each list in input order."""
    groups: dict[str, list[str]] = {}
    for order in orders:
        groups[order["customer"]].append(order["id"])
    return groups
'''},
     fix=[("reports/grouping.py", 'groups[order["customer"]].append', 'groups.setdefault(order["customer"], []).append')],
     tests='''
from reports.grouping import customer_count, group_by_customer


def test_customer_count():
    assert customer_count([{"customer": "a"}, {"customer": "b"}, {"customer": "a"}]) == 2


def test_no_orders():
    assert group_by_customer([]) == {}
''',
     hidden='''
from reports.grouping import group_by_customer


def test_groups_keep_order():
    orders = [{"customer": "a", "id": "o1"}, {"customer": "b", "id": "o2"}, {"customer": "a", "id": "o3"}]
    assert group_by_customer(orders) == {"a": ["o1", "o3"], "b": ["o2"]}
''',
     imports="from reports.grouping import group_by_customer",
     scenario='''
def scenario(ctx):
    orders = [{"customer": "c-17", "id": "SO-1001"}, {"customer": "c-17", "id": "SO-1002"}]
    ctx.log.info("activity report: %d orders", len(orders))
    try:
        ctx.log.info("groups %s", group_by_customer(orders))
    except Exception:
        ctx.log.exception("activity report failed")
''', logger="reports.activity")

case(19, "keyerror_header_case_insensitive", "KeyError", error_type="KeyError", deploy="/opt/proxy",
     fmt="journald",
     description="content_type indexes headers['Content-Type'] case-sensitively; HTTP/2 clients send lower-case names.",
     files={"httpkit/__init__.py": '"""HTTP utilities for the upload proxy."""\n', "httpkit/headers.py": '''
"""Header helpers. HTTP header names are case-insensitive (RFC 9110 section 5.1)."""

from __future__ import annotations

DEFAULT_TYPE = "application/octet-stream"


def get_header(headers: dict[str, str], name: str, default: str | None = None) -> str | None:
    """Case-insensitive header lookup."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return default


def content_type(headers: dict[str, str]) -> str:
    """Lower-case media type without parameters ("text/HTML; charset=utf-8" -> "text/html").

    DEFAULT_TYPE when the request has no Content-Type header.
    """
    if not headers:
        return DEFAULT_TYPE
    return headers["Content-Type"].split(";")[0].strip().lower()
'''},
     fix=[("httpkit/headers.py", '    return headers["Content-Type"].split(";")[0].strip().lower()\n',
           '    return get_header(headers, "Content-Type", DEFAULT_TYPE).split(";")[0].strip().lower()\n')],
     tests='''
from httpkit.headers import content_type, get_header


def test_get_header_is_case_insensitive():
    assert get_header({"X-Request-Id": "abc"}, "x-request-id") == "abc"
    assert get_header({}, "Accept", "*/*") == "*/*"


def test_content_type():
    assert content_type({"Content-Type": "text/HTML; charset=utf-8"}) == "text/html"
    assert content_type({}) == "application/octet-stream"
''',
     hidden='''
from httpkit.headers import content_type


def test_lower_case_header_name():
    assert content_type({"content-type": "Application/JSON"}) == "application/json"


def test_missing_header_among_others():
    assert content_type({"Accept": "*/*"}) == "application/octet-stream"
''',
     imports="from httpkit.headers import content_type",
     scenario='''
def scenario(ctx):
    requests = [{"Content-Type": "image/png", "User-Agent": "curl/8.5"},
                {"content-type": "image/jpeg", "user-agent": "okhttp/4.12"}]
    for n, headers in enumerate(requests):
        try:
            ctx.log.info("upload %d type=%s", n, content_type(headers))
        except Exception:
            ctx.log.exception("upload %d rejected", n)
''', logger="proxy.upload")

case(20, "keyerror_zone_rate_fallback", "KeyError", error_type="KeyError", deploy="/srv/fulfilment",
     fmt="logstash", description="delivery_fee has no fallback for countries outside ZONE_RATES (DEFAULT_RATE).",
     files={"fulfilment/__init__.py": '"""Fulfilment service."""\n', "fulfilment/zones.py": '''
"""Delivery fees by destination country."""

from __future__ import annotations

ZONE_RATES = {"DE": 4.50, "FR": 5.90, "NL": 4.90, "BE": 4.90}
#: Flat rate for every country without a negotiated zone rate.
DEFAULT_RATE = 12.00
#: Baskets at or above this total ship free, wherever they go.
FREE_ABOVE = 100.00


def delivery_fee(country: str, basket_total: float) -> float:
    """Zone rate of the destination (ISO code, any case), DEFAULT_RATE elsewhere; free above FREE_ABOVE."""
    if basket_total >= FREE_ABOVE:
        return 0.0
    return ZONE_RATES[country.upper()]
'''},
     fix=[("fulfilment/zones.py", "return ZONE_RATES[country.upper()]", "return ZONE_RATES.get(country.upper(), DEFAULT_RATE)")],
     tests='''
from fulfilment.zones import delivery_fee


def test_zone_rate():
    assert delivery_fee("fr", 30.0) == 5.9


def test_free_shipping():
    assert delivery_fee("DE", 100.0) == 0.0
    assert delivery_fee("JP", 250.0) == 0.0
''',
     hidden='''
from fulfilment.zones import delivery_fee


def test_unlisted_country_pays_default_rate():
    assert delivery_fee("br", 20.0) == 12.0
    assert delivery_fee("NL", 20.0) == 4.9
''',
     imports="from fulfilment.zones import delivery_fee",
     scenario='''
def scenario(ctx):
    for order, country, total in [(1, "DE", 40.0), (2, "AT", 35.5), (3, "FR", 120.0), (4, "AT", 12.0)]:
        try:
            ctx.log.info("order %d fee=%.2f", order, delivery_fee(country, total))
        except Exception:
            ctx.log.exception("cannot quote delivery for order %d", order)
''', logger="fulfilment.checkout")

case(21, "indexerror_consumption_off_by_one", "IndexError", error_type="IndexError", deploy="/opt/telemetry",
     description="consumption iterates range(len(readings)) and reads readings[i + 1].",
     files={"telemetry/__init__.py": '"""Smart-meter telemetry."""\n', "telemetry/meter.py": '''
"""Energy usage from cumulative smart-meter readings (kWh)."""

from __future__ import annotations


def total_consumption(readings: list[float]) -> float:
    """Usage over the whole period (0.0 without readings)."""
    return round(readings[-1] - readings[0], 3) if readings else 0.0


def consumption(readings: list[float]) -> list[float]:
    """Usage between consecutive readings: one value fewer than there are readings."""
    return [round(readings[i + 1] - readings[i], 3) for i in range(len(readings))]
'''},
     fix=[("telemetry/meter.py", "for i in range(len(readings))]", "for i in range(len(readings) - 1)]")],
     tests='''
from telemetry.meter import consumption, total_consumption


def test_total():
    assert total_consumption([100.0, 100.5, 102.0]) == 2.0
    assert total_consumption([]) == 0.0


def test_no_readings():
    assert consumption([]) == []
''',
     hidden='''
from telemetry.meter import consumption


def test_intervals():
    assert consumption([1.0, 1.5, 2.25]) == [0.5, 0.75]
    assert consumption([7.0]) == []
''',
     imports="from telemetry.meter import consumption",
     scenario='''
def scenario(ctx):
    for meter, readings in [("M-0042", [1532.1, 1533.0, 1534.4]), ("M-0043", [88.0, 88.2])]:
        ctx.noise(2)
        try:
            ctx.log.info("meter %s intervals %s", meter, consumption(readings))
        except Exception:
            ctx.log.exception("failed to compute intervals for meter %s", meter)
''', logger="telemetry.ingest")

case(22, "indexerror_latest_release_empty", "IndexError", error_type="IndexError", deploy="/srv/deployer",
     fmt="json", description="latest_release returns ordered[-1] even when there are no releases (doc: None).",
     files={"deployer/__init__.py": '"""Release tracking."""\n', "deployer/history.py": '''
"""Release history queries for the deploy dashboard."""

from __future__ import annotations


def latest_release(releases: list[dict]) -> dict | None:
    """The most recent release by `deployed_at`, or None when the service was never deployed."""
    ordered = sorted(releases, key=lambda r: r["deployed_at"])
    return ordered[-1]


def release_tags(releases: list[dict]) -> list[str]:
    """Tags, newest first."""
    return [r["tag"] for r in sorted(releases, key=lambda r: r["deployed_at"], reverse=True)]
'''},
     fix=[("deployer/history.py", "    return ordered[-1]\n", "    return ordered[-1] if ordered else None\n")],
     tests='''
from deployer.history import latest_release, release_tags

RELEASES = [{"tag": "v1.2.0", "deployed_at": "2026-11-02T10:00:00"},
            {"tag": "v1.3.0", "deployed_at": "2026-11-20T09:30:00"}]


def test_latest():
    assert latest_release(RELEASES)["tag"] == "v1.3.0"


def test_tags():
    assert release_tags(RELEASES) == ["v1.3.0", "v1.2.0"]
''',
     hidden='''
from deployer.history import latest_release


def test_never_deployed():
    assert latest_release([]) is None
''',
     imports="from deployer.history import latest_release",
     scenario='''
def scenario(ctx):
    services = {"billing-api": [{"tag": "v4.1.0", "deployed_at": "2026-11-19T08:00:00"}], "ledger-sync": []}
    for service, releases in services.items():
        ctx.noise(1)
        try:
            ctx.log.info("service %s latest %s", service, latest_release(releases))
        except Exception:
            ctx.log.exception("dashboard tile failed for %s", service)
''', logger="deployer.dashboard")

case(23, "indexerror_optional_csv_column", "IndexError", error_type="IndexError", deploy="/opt/crm",
     fmt="basic", description="parse_contact reads fields[3] although the company column is optional.",
     files={"crm/__init__.py": '"""CRM import tools."""\n', "crm/importer.py": '''
"""Imports contacts from the sales team's CSV exports."""

from __future__ import annotations


def parse_contact(line: str) -> dict[str, str]:
    """name,email,phone[,company]; the company column is optional (empty string when missing)."""
    fields = [f.strip() for f in line.split(",")]
    return {"name": fields[0], "email": fields[1].lower(), "phone": fields[2], "company": fields[3]}


def parse_contacts(text: str) -> list[dict[str, str]]:
    """Every non-blank line after the header."""
    lines = [ln for ln in text.splitlines()[1:] if ln.strip()]
    return [parse_contact(ln) for ln in lines]
'''},
     fix=[("crm/importer.py", '"company": fields[3]}', '"company": fields[3] if len(fields) > 3 else ""}')],
     tests='''
from crm.importer import parse_contact, parse_contacts


def test_full_line():
    assert parse_contact("Ada, ADA@X.IO, +44 1, Analytical Ltd") == {
        "name": "Ada", "email": "ada@x.io", "phone": "+44 1", "company": "Analytical Ltd"}


def test_header_only():
    assert parse_contacts("name,email,phone,company\\n") == []
''',
     hidden='''
from crm.importer import parse_contacts


def test_company_is_optional():
    rows = parse_contacts("name,email,phone,company\\nBob,bob@y.io,555\\nEve,eve@z.io,556,Evil Corp\\n")
    assert rows[0]["company"] == ""
    assert rows[1]["company"] == "Evil Corp"
''',
     imports="from crm.importer import parse_contacts",
     scenario='''
def scenario(ctx):
    export = "name,email,phone,company\\nGrace Hopper,grace@navy.mil,555-0100,US Navy\\nLinus,linus@kernel.org,555-0199\\n"
    ctx.log.info("importing export leads-2026-11.csv")
    try:
        ctx.log.info("imported %d contacts", len(parse_contacts(export)))
    except Exception:
        ctx.log.exception("import of leads-2026-11.csv aborted")
''', logger="crm.import")

case(24, "indexerror_one_based_page", "IndexError", error_type="IndexError", deploy="/srv/catalog",
     fmt="gunicorn", description="paginate validates a 1-based page number but indexes chunks[page].",
     files={"catalog/__init__.py": '"""Product catalog API."""\n', "catalog/pages.py": '''
"""Pagination for catalog listings. Page numbers are 1-based, as in the public API."""

from __future__ import annotations

PAGE_SIZE = 20


def page_count(n_items: int, size: int = PAGE_SIZE) -> int:
    """Number of pages (an empty listing still has one, empty, page)."""
    return max(1, -(-n_items // size))


def paginate(items: list, page: int, size: int = PAGE_SIZE) -> list:
    """The items on page `page` (1-based); ValueError for pages outside 1..page_count."""
    chunks = [items[i : i + size] for i in range(0, len(items), size)] or [[]]
    if page < 1 or page > len(chunks):
        raise ValueError(f"page {page} out of range 1..{len(chunks)}")
    return chunks[page]
'''},
     fix=[("catalog/pages.py", "    return chunks[page]\n", "    return chunks[page - 1]\n")],
     tests='''
import pytest

from catalog.pages import page_count, paginate


def test_page_count():
    assert page_count(0) == 1
    assert page_count(41) == 3


def test_out_of_range():
    with pytest.raises(ValueError):
        paginate(list(range(5)), 0)
    with pytest.raises(ValueError):
        paginate(list(range(5)), 2)
''',
     hidden='''
from catalog.pages import paginate


def test_pages_are_one_based():
    items = list(range(45))
    assert paginate(items, 1) == list(range(20))
    assert paginate(items, 3) == [40, 41, 42, 43, 44]
    assert paginate([], 1) == []
''',
     imports="from catalog.pages import paginate",
     scenario='''
def scenario(ctx):
    products = [f"SKU-{n:04d}" for n in range(53)]
    for page in (2, 3):
        ctx.noise(2)
        try:
            ctx.log.info("GET /products?page=%d -> %d items", page, len(paginate(products, page)))
        except Exception:
            ctx.log.exception("Error handling request GET /products?page=%d", page)
''', logger="catalog.api")

case(25, "indexerror_moving_average_window", "IndexError", error_type="IndexError", deploy="/opt/analytics",
     fmt="logstash", description="moving_average iterates one window too many (len - window + 2).",
     files={"analytics/__init__.py": '"""Product analytics."""\n', "analytics/smoothing.py": '''
"""Smoothing for daily active-user charts."""

from __future__ import annotations


def moving_average(values: list[float], window: int) -> list[float]:
    """Mean of every full window of `window` consecutive values.

    That is len(values) - window + 1 results, or [] when there are fewer values than `window`.
    """
    return [sum(values[i + k] for k in range(window)) / window for i in range(len(values) - window + 2)]
'''},
     fix=[("analytics/smoothing.py", "range(len(values) - window + 2)", "range(len(values) - window + 1)")],
     tests='''
from analytics.smoothing import moving_average


def test_too_few_values():
    assert moving_average([5.0], 3) == []
''',
     hidden='''
from analytics.smoothing import moving_average


def test_windows():
    assert moving_average([1.0, 2.0, 3.0, 4.0], 2) == [1.5, 2.5, 3.5]
    assert moving_average([3.0, 3.0, 6.0], 3) == [4.0]
    assert moving_average([1.0, 2.0], 3) == []
''',
     imports="from analytics.smoothing import moving_average",
     scenario='''
def scenario(ctx):
    dau = [1180.0, 1214.0, 1190.0, 1302.0, 1275.0, 990.0, 1012.0]
    try:
        ctx.log.info("7d smoothing %s", moving_average(dau, 3))
    except Exception:
        ctx.log.exception("DAU chart refresh failed")
''', logger="analytics.charts")

case(26, "indexerror_pop_empty_queue", "IndexError", error_type="IndexError", deploy="/srv/dispatch",
     fmt="ecs", description="JobQueue.next_job pops from an empty list; doc says it returns None.",
     files={"dispatch/__init__.py": '"""Job dispatch."""\n', "dispatch/queue.py": '''
"""In-process FIFO of jobs waiting for a worker."""

from __future__ import annotations


class JobQueue:
    """Jobs are handed out oldest first. Workers poll next_job()."""

    def __init__(self) -> None:
        self._jobs: list[dict] = []

    def push(self, job: dict) -> None:
        self._jobs.append(job)

    def __len__(self) -> int:
        return len(self._jobs)

    def next_job(self) -> dict | None:
        """The oldest pending job, or None when nothing is waiting."""
        return self._jobs.pop(0)
'''},
     fix=[("dispatch/queue.py", "        return self._jobs.pop(0)\n", "        return self._jobs.pop(0) if self._jobs else None\n")],
     tests='''
from dispatch.queue import JobQueue


def test_push_and_len():
    q = JobQueue()
    q.push({"id": 1})
    q.push({"id": 2})
    assert len(q) == 2
''',
     hidden='''
from dispatch.queue import JobQueue


def test_fifo_then_none():
    q = JobQueue()
    q.push({"id": 1})
    q.push({"id": 2})
    assert q.next_job() == {"id": 1}
    assert q.next_job() == {"id": 2}
    assert q.next_job() is None
    assert len(q) == 0
''',
     imports="from dispatch.queue import JobQueue",
     scenario='''
def scenario(ctx):
    queue = JobQueue()
    queue.push({"id": "thumb-991"})
    for poll in range(3):
        try:
            ctx.log.info("poll %d got %s", poll, queue.next_job())
        except Exception:
            ctx.log.exception("worker loop crashed on poll %d", poll)
''', logger="dispatch.worker")
