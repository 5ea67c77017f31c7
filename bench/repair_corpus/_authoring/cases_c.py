"""ZeroDivisionError x6, TypeError x8."""
from build import case

case(27, "zerodivision_course_average", "ZeroDivisionError", error_type="ZeroDivisionError",
     deploy="/srv/school", description="course_average divides by len(scores); doc: 0.0 with no scores.",
     files={"school/__init__.py": '"""Course management."""\n', "school/grades.py": '''
"""Grade book arithmetic."""

from __future__ import annotations

PASS_MARK = 50.0


def letter(score: float) -> str:
    """A (>= 85), B (>= 70), C (>= PASS_MARK), F otherwise."""
    if score >= 85:
        return "A"
    if score >= 70:
        return "B"
    return "C" if score >= PASS_MARK else "F"


def course_average(scores: list[float]) -> float:
    """Mean score rounded to one decimal; a course with no submitted scores averages 0.0."""
    return round(sum(scores) / len(scores), 1)
'''},
     fix=[("school/grades.py", "    return round(sum(scores) / len(scores), 1)\n",
           "    if not scores:\n        return 0.0\n    return round(sum(scores) / len(scores), 1)\n")],
     tests='''
from school.grades import course_average, letter


def test_letters():
    assert [letter(s) for s in (91, 70, 50, 49.9)] == ["A", "B", "C", "F"]


def test_average():
    assert course_average([70, 80, 95]) == 81.7
''',
     hidden='''
from school.grades import course_average


def test_no_scores():
    assert course_average([]) == 0.0


def test_single_score():
    assert course_average([64.25]) == 64.2
''',
     imports="from school.grades import course_average",
     scenario='''
def scenario(ctx):
    courses = {"MATH-101": [71, 88, 90], "HIST-210": [], "CHEM-120": [55, 61]}
    for course, scores in courses.items():
        try:
            ctx.log.info("%s average %.1f", course, course_average(scores))
        except Exception:
            ctx.log.exception("term report failed for %s", course)
''', logger="school.reports")

case(28, "zerodivision_empty_job_progress", "ZeroDivisionError", error_type="ZeroDivisionError",
     deploy="/opt/batch", fmt="json",
     description="percent_complete divides by total; doc: a job with no items is 100% complete.",
     files={"batch/__init__.py": '"""Batch job tracking."""\n', "batch/progress.py": '''
"""Progress reporting for batch jobs."""

from __future__ import annotations


def percent_complete(done: int, total: int) -> float:
    """Progress in percent with one decimal. A job with no items has nothing left to do: 100.0."""
    return round(100 * done / total, 1)


def progress_bar(done: int, total: int, width: int = 20) -> str:
    """ "[#####     ]"-style bar for the CLI."""
    filled = int(width * percent_complete(done, total) / 100)
    return "[" + "#" * filled + " " * (width - filled) + "]"
'''},
     fix=[("batch/progress.py", "    return round(100 * done / total, 1)\n",
           "    if total == 0:\n        return 100.0\n    return round(100 * done / total, 1)\n")],
     tests='''
from batch.progress import percent_complete, progress_bar


def test_percent():
    assert percent_complete(1, 3) == 33.3


def test_bar():
    assert progress_bar(5, 10, width=10) == "[#####     ]"
''',
     hidden='''
from batch.progress import percent_complete, progress_bar


def test_empty_job_is_complete():
    assert percent_complete(0, 0) == 100.0
    assert progress_bar(0, 0, width=4) == "[####]"
''',
     imports="from batch.progress import progress_bar",
     scenario='''
def scenario(ctx):
    for job, done, total in [("resize-images", 40, 160), ("purge-sessions", 0, 0)]:
        ctx.noise(2)
        try:
            ctx.log.info("job %s %s", job, progress_bar(done, total))
        except Exception:
            ctx.log.exception("status endpoint failed for job %s", job)
''', logger="batch.status")

case(29, "zerodivision_throughput_zero_window", "ZeroDivisionError", error_type="ZeroDivisionError",
     deploy="/srv/api", fmt="gunicorn",
     description="requests_per_second divides by elapsed_s; doc: 0.0 for a zero-length window.",
     files={"apimetrics/__init__.py": '"""API metrics."""\n', "apimetrics/throughput.py": '''
"""Throughput figures for the /metrics endpoint."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Window:
    count: int
    started: float
    ended: float


def requests_per_second(window: Window) -> float:
    """Throughput over the window, two decimals; 0.0 while the window has no duration yet."""
    elapsed_s = window.ended - window.started
    return round(window.count / elapsed_s, 2)
'''},
     fix=[("apimetrics/throughput.py", "    elapsed_s = window.ended - window.started\n",
           "    elapsed_s = window.ended - window.started\n    if elapsed_s <= 0:\n        return 0.0\n")],
     tests='''
from apimetrics.throughput import Window, requests_per_second


def test_rps():
    assert requests_per_second(Window(count=300, started=100.0, ended=160.0)) == 5.0
''',
     hidden='''
from apimetrics.throughput import Window, requests_per_second


def test_fresh_window():
    assert requests_per_second(Window(count=0, started=50.0, ended=50.0)) == 0.0
    assert requests_per_second(Window(count=3, started=50.0, ended=50.0)) == 0.0
''',
     imports="from apimetrics.throughput import Window, requests_per_second",
     scenario='''
def scenario(ctx):
    for w in [Window(1200, 1000.0, 1060.0), Window(0, 1060.0, 1060.0)]:
        ctx.noise(2)
        try:
            ctx.log.info("rps=%.2f", requests_per_second(w))
        except Exception:
            ctx.log.exception("Error handling request GET /metrics")
''', logger="apimetrics.endpoint")

case(30, "zerodivision_conversion_rate_none", "ZeroDivisionError", error_type="ZeroDivisionError",
     deploy="/opt/experiments", fmt="logstash",
     description="conversion_rate divides by visitors; doc: None (shown as n/a) for an unseen variant.",
     files={"experiments/__init__.py": '"""A/B testing."""\n', "experiments/abtest.py": '''
"""Conversion figures for A/B test dashboards."""

from __future__ import annotations


def conversion_rate(visitors: int, conversions: int) -> float | None:
    """conversions / visitors; None for a variant nobody has seen yet."""
    return conversions / visitors


def format_rate(rate: float | None) -> str:
    """ "12.5%", or "n/a" when the rate is unknown."""
    return "n/a" if rate is None else f"{rate:.1%}"
'''},
     fix=[("experiments/abtest.py", "    return conversions / visitors\n",
           "    if visitors == 0:\n        return None\n    return conversions / visitors\n")],
     tests='''
from experiments.abtest import conversion_rate, format_rate


def test_rate():
    assert conversion_rate(200, 25) == 0.125
    assert format_rate(0.125) == "12.5%"


def test_unknown_rate_format():
    assert format_rate(None) == "n/a"
''',
     hidden='''
from experiments.abtest import conversion_rate, format_rate


def test_unseen_variant():
    assert conversion_rate(0, 0) is None
    assert format_rate(conversion_rate(0, 0)) == "n/a"
''',
     imports="from experiments.abtest import conversion_rate, format_rate",
     scenario='''
def scenario(ctx):
    variants = {"control": (5120, 301), "green-button": (4980, 322), "no-banner": (0, 0)}
    for name, (visitors, conversions) in variants.items():
        try:
            ctx.log.info("variant %s conversion %s", name, format_rate(conversion_rate(visitors, conversions)))
        except Exception:
            ctx.log.exception("dashboard refresh failed for variant %s", name)
''', logger="experiments.dashboard")

case(31, "zerodivision_shard_modulo", "ZeroDivisionError", error_type="ZeroDivisionError",
     deploy="/opt/storage", fmt="basic",
     description="shard_for does crc % shard_count; doc: shard_count 0 disables sharding (shard 0).",
     files={"storage/__init__.py": '"""Blob storage front-end."""\n', "storage/sharding.py": '''
"""Key-to-shard mapping for the blob store."""

from __future__ import annotations

import zlib


def shard_for(key: str, shard_count: int) -> int:
    """Stable shard index for `key`.

    A shard_count of 0 means sharding is disabled: every key lives on shard 0.
    """
    return zlib.crc32(key.encode("utf-8")) % shard_count
'''},
     fix=[("storage/sharding.py", "    return zlib.crc32(",
           "    if shard_count == 0:\n        return 0\n    return zlib.crc32(")],
     tests='''
from storage.sharding import shard_for


def test_stable_and_in_range():
    assert shard_for("user/42/avatar.png", 8) == shard_for("user/42/avatar.png", 8)
    assert all(0 <= shard_for(f"k{n}", 4) < 4 for n in range(50))
''',
     hidden='''
import zlib

from storage.sharding import shard_for


def test_sharding_disabled():
    assert shard_for("user/42/avatar.png", 0) == 0


def test_unchanged_mapping():
    assert shard_for("abc", 7) == zlib.crc32(b"abc") % 7
''',
     imports="import os\n\nfrom storage.sharding import shard_for",
     scenario='''
def scenario(ctx):
    shard_count = int(os.environ.get("BLOB_SHARDS_TEST_OVERRIDE", "0"))
    ctx.log.info("blob store starting with %d shards (single-node mode)", shard_count)
    for key in ["invoices/2026/11/INV-0042.pdf", "avatars/u-17.png"]:
        try:
            ctx.log.info("PUT %s -> shard %d", key, shard_for(key, shard_count))
        except Exception:
            ctx.log.exception("PUT %s failed", key)
''', logger="storage.server")

case(32, "zerodivision_weighted_mean_none", "ZeroDivisionError", error_type="ZeroDivisionError",
     deploy="/home/deploy/survey/current", fmt="journald",
     description="weighted_mean divides by the weight sum; doc: None when the weights sum to zero.",
     files={"survey/__init__.py": '"""Survey analysis."""\n', "survey/weights.py": '''
"""Weighted survey scores (respondent weights correct for sampling bias)."""

from __future__ import annotations


def weighted_mean(values: list[float], weights: list[float]) -> float | None:
    """sum(v * w) / sum(w), rounded to 3 decimals; None when the weights sum to zero (nobody counted)."""
    total_weight = sum(weights)
    return round(sum(v * w for v, w in zip(values, weights)) / total_weight, 3)
'''},
     fix=[("survey/weights.py", "    total_weight = sum(weights)\n",
           "    total_weight = sum(weights)\n    if total_weight == 0:\n        return None\n")],
     tests='''
from survey.weights import weighted_mean


def test_weighted_mean():
    assert weighted_mean([4.0, 2.0], [1.0, 3.0]) == 2.5
''',
     hidden='''
from survey.weights import weighted_mean


def test_nobody_counted():
    assert weighted_mean([4.0, 5.0], [0.0, 0.0]) is None
    assert weighted_mean([], []) is None
''',
     imports="from survey.weights import weighted_mean",
     scenario='''
def scenario(ctx):
    for question, values, weights in [("q1", [4, 5, 3], [1.2, 0.8, 1.0]), ("q7", [2, 4], [0.0, 0.0])]:
        try:
            ctx.log.info("question %s score %s", question, weighted_mean(values, weights))
        except Exception:
            ctx.log.exception("scoring failed for question %s", question)
''', logger="survey.scoring")

case(33, "typeerror_str_plus_int", "TypeError", error_type="TypeError", deploy="/srv/notify",
     description="order_shipped_text concatenates an int order id to str.",
     files={"notify/__init__.py": '"""Customer notifications."""\n', "notify/sms.py": '''
"""SMS bodies for order notifications."""

from __future__ import annotations

MAX_SMS = 160


def otp_text(code: str) -> str:
    """One-time-password message."""
    return f"Your verification code is {code}. It expires in 10 minutes."


def order_shipped_text(order_id: int, carrier: str) -> str:
    """Shipping notice for order `order_id` (an int), truncated to MAX_SMS characters."""
    text = "Your order #" + order_id + " has shipped with " + carrier + "."
    return text[:MAX_SMS]
'''},
     fix=[("notify/sms.py", '"Your order #" + order_id +', '"Your order #" + str(order_id) +')],
     tests='''
from notify.sms import otp_text


def test_otp():
    assert otp_text("381204").startswith("Your verification code is 381204.")
''',
     hidden='''
from notify.sms import MAX_SMS, order_shipped_text


def test_shipped_text():
    assert order_shipped_text(1042, "DHL") == "Your order #1042 has shipped with DHL."


def test_truncated():
    assert len(order_shipped_text(7, "X" * 300)) == MAX_SMS
''',
     imports="from notify.sms import order_shipped_text",
     scenario='''
def scenario(ctx):
    for order_id, carrier in [(88121, "UPS"), (88122, "DHL")]:
        ctx.noise(1)
        try:
            ctx.log.info("sms queued: %s", order_shipped_text(order_id, carrier))
        except Exception:
            ctx.log.exception("could not notify customer for order %d", order_id)
''', logger="notify.sms")

case(34, "typeerror_none_not_subscriptable", "TypeError", error_type="TypeError", deploy="/srv/profiles",
     fmt="ecs", description="shipping_city subscripts default_address(), which is None for profiles without addresses.",
     files={"profiles/__init__.py": '"""Customer profiles."""\n', "profiles/addresses.py": '''
"""Address helpers for customer profiles."""

from __future__ import annotations

UNKNOWN_CITY = "unknown"


def default_address(profile: dict) -> dict | None:
    """The address flagged as default, else the first one, else None."""
    addresses = profile.get("addresses", [])
    for address in addresses:
        if address.get("default"):
            return address
    return addresses[0] if addresses else None


def shipping_city(profile: dict) -> str:
    """City of the default address; UNKNOWN_CITY for profiles without any address."""
    return default_address(profile)["city"]
'''},
     fix=[("profiles/addresses.py", '    return default_address(profile)["city"]\n',
           '    address = default_address(profile)\n    if address is None:\n        return UNKNOWN_CITY\n    return address["city"]\n')],
     tests='''
from profiles.addresses import default_address, shipping_city

P = {"addresses": [{"city": "Lyon"}, {"city": "Paris", "default": True}]}


def test_default_address():
    assert default_address(P)["city"] == "Paris"
    assert default_address({}) is None


def test_city():
    assert shipping_city(P) == "Paris"
''',
     hidden='''
from profiles.addresses import shipping_city


def test_no_address():
    assert shipping_city({"addresses": []}) == "unknown"
    assert shipping_city({"name": "x"}) == "unknown"
''',
     imports="from profiles.addresses import shipping_city",
     scenario='''
def scenario(ctx):
    profiles = [{"id": 5, "addresses": [{"city": "Porto"}]}, {"id": 6, "addresses": []}]
    for p in profiles:
        ctx.noise(1)
        try:
            ctx.log.info("profile %d ships to %s", p["id"], shipping_city(p))
        except Exception:
            ctx.log.exception("profile %d: checkout prefill failed", p["id"])
''', logger="profiles.checkout")

case(35, "typeerror_len_of_filter", "TypeError", error_type="TypeError", deploy="/opt/alerts", fmt="loguru",
     description="failing_checks calls len() on a filter object.",
     files={"alerts/__init__.py": '"""On-call alerting."""\n', "alerts/rules.py": '''
"""Paging rules evaluated over the latest health-check results."""

from __future__ import annotations

PAGE_THRESHOLD = 2


def names(checks: list[dict]) -> list[str]:
    """Check names, sorted."""
    return sorted(c["name"] for c in checks)


def failing_checks(checks: list[dict]) -> int:
    """How many checks are not "ok"."""
    return len(filter(lambda c: c["status"] != "ok", checks))


def should_page(checks: list[dict], threshold: int = PAGE_THRESHOLD) -> bool:
    """Page the on-call engineer when at least `threshold` checks fail."""
    return failing_checks(checks) >= threshold
'''},
     fix=[("alerts/rules.py", 'return len(filter(lambda c: c["status"] != "ok", checks))',
           'return len([c for c in checks if c["status"] != "ok"])')],
     tests='''
from alerts.rules import names


def test_names():
    assert names([{"name": "db"}, {"name": "api"}]) == ["api", "db"]
''',
     hidden='''
from alerts.rules import failing_checks, should_page

CHECKS = [{"name": "db", "status": "ok"}, {"name": "api", "status": "down"}, {"name": "queue", "status": "slow"}]


def test_failing_checks():
    assert failing_checks(CHECKS) == 2
    assert failing_checks([]) == 0


def test_should_page():
    assert should_page(CHECKS)
    assert not should_page(CHECKS[:2])
''',
     imports="from alerts.rules import should_page",
     scenario='''
def scenario(ctx):
    checks = [{"name": "db", "status": "ok"}, {"name": "api", "status": "ok"}]
    for tick in range(2):
        try:
            ctx.log.info("tick %d page=%s", tick, should_page(checks))
        except Exception:
            ctx.log.exception("rule evaluation failed on tick %d", tick)
''', logger="alerts.evaluator")

case(36, "typeerror_unexpected_keyword", "TypeError", error_type="TypeError", deploy="/app", fmt="json",
     description="welcome_email calls render_template(..., locale=...) but the parameter is named lang.",
     files={"mailer/__init__.py": '"""Transactional e-mail."""\n', "mailer/templates.py": '''
"""Tiny template catalogue for transactional e-mails."""

from __future__ import annotations

TEMPLATES = {
    ("welcome", "en"): "Welcome aboard, {name}!",
    ("welcome", "fr"): "Bienvenue, {name} !",
    ("reset", "en"): "Use this link to reset your password: {link}",
}


def render_template(name: str, context: dict, lang: str = "en") -> str:
    """Render template `name` in `lang`, falling back to English."""
    template = TEMPLATES.get((name, lang)) or TEMPLATES[(name, "en")]
    return template.format(**context)
''', "mailer/emails.py": '''
"""Builds the e-mails the product sends."""

from __future__ import annotations

from mailer.templates import render_template


def reset_email(link: str) -> dict:
    return {"subject": "Password reset", "body": render_template("reset", {"link": link})}


def welcome_email(user: dict) -> dict:
    """Welcome e-mail in the user's language (user["locale"], e.g. "fr")."""
    body = render_template("welcome", {"name": user["name"]}, locale=user["locale"])
    return {"subject": "Welcome", "body": body}
'''},
     fix=[("mailer/emails.py", 'locale=user["locale"])', 'lang=user["locale"])')],
     tests='''
from mailer.emails import reset_email
from mailer.templates import render_template


def test_fallback_to_english():
    assert render_template("welcome", {"name": "Ann"}, lang="de") == "Welcome aboard, Ann!"


def test_reset_email():
    assert "https://x/r/1" in reset_email("https://x/r/1")["body"]
''',
     hidden='''
from mailer.emails import welcome_email


def test_welcome_in_users_language():
    assert welcome_email({"name": "Chloé", "locale": "fr"})["body"] == "Bienvenue, Chloé !"
    assert welcome_email({"name": "Sam", "locale": "en"})["body"] == "Welcome aboard, Sam!"
''',
     imports="from mailer.emails import welcome_email",
     scenario='''
def scenario(ctx):
    for user in [{"id": 301, "name": "Chloé", "locale": "fr"}, {"id": 302, "name": "Sam", "locale": "en"}]:
        try:
            ctx.log.info("welcome mail for user %d: %s", user["id"], welcome_email(user)["subject"])
        except Exception:
            ctx.log.exception("signup hook failed for user %d", user["id"])
''', logger="mailer.signup")

case(37, "typeerror_missing_positional_arg", "TypeError", error_type="TypeError", deploy="/srv/cdn",
     fmt="gunicorn", description="AssetLinks.stylesheet calls build_url without the base argument.",
     files={"cdn/__init__.py": '"""Static asset links."""\n', "cdn/urls.py": '''
"""URLs of static assets served by the CDN."""

from __future__ import annotations


def build_url(base: str, path: str, *, version: str | None = None) -> str:
    """base + "/" + path, with an optional cache-busting ?v= parameter."""
    url = base.rstrip("/") + "/" + path.lstrip("/")
    return f"{url}?v={version}" if version else url


class AssetLinks:
    def __init__(self, base: str) -> None:
        self.base = base

    def image(self, name: str) -> str:
        return build_url(self.base, f"img/{name}")

    def stylesheet(self, name: str, version: str) -> str:
        """Versioned stylesheet URL."""
        return build_url(f"css/{name}", version=version)
'''},
     fix=[("cdn/urls.py", 'return build_url(f"css/{name}", version=version)', 'return build_url(self.base, f"css/{name}", version=version)')],
     tests='''
from cdn.urls import AssetLinks, build_url


def test_build_url():
    assert build_url("https://cdn.x/", "/a.js", version="3") == "https://cdn.x/a.js?v=3"


def test_image():
    assert AssetLinks("https://cdn.x").image("logo.svg") == "https://cdn.x/img/logo.svg"
''',
     hidden='''
from cdn.urls import AssetLinks


def test_stylesheet():
    assert AssetLinks("https://cdn.x/").stylesheet("site.css", "9f2c") == "https://cdn.x/css/site.css?v=9f2c"
''',
     imports="from cdn.urls import AssetLinks",
     scenario='''
def scenario(ctx):
    links = AssetLinks("https://static.example.net")
    ctx.noise(2)
    try:
        ctx.log.info("rendered layout with %s", links.stylesheet("main.css", "20261124"))
    except Exception:
        ctx.log.exception("Error handling request GET /")
''', logger="cdn.views")

case(38, "typeerror_null_discount", "TypeError", error_type="TypeError", deploy="/opt/checkout",
     fmt="logstash",
     description="cart_total subtracts item.get('discount'), which is None when missing or JSON null.",
     files={"checkout/__init__.py": '"""Checkout."""\n', "checkout/cart.py": '''
"""Cart arithmetic. Items come from the storefront API as decoded JSON."""

from __future__ import annotations


def cart_total(items: list[dict]) -> float:
    """Sum of (price - discount) * qty. The per-unit discount is optional: missing or null means none."""
    total = 0.0
    for item in items:
        total += (item["price"] - item.get("discount")) * item["qty"]
    return round(total, 2)
'''},
     fix=[("checkout/cart.py", '(item["price"] - item.get("discount"))', '(item["price"] - (item.get("discount") or 0))')],
     tests='''
from checkout.cart import cart_total


def test_discounted_items():
    assert cart_total([{"price": 10.0, "discount": 2.5, "qty": 2}, {"price": 3.0, "discount": 0, "qty": 1}]) == 18.0
''',
     hidden='''
from checkout.cart import cart_total


def test_missing_discount():
    assert cart_total([{"price": 10.0, "qty": 3}]) == 30.0


def test_null_discount():
    assert cart_total([{"price": 4.0, "discount": None, "qty": 1}, {"price": 2.0, "discount": 0.5, "qty": 2}]) == 7.0
''',
     imports="import json\n\nfrom checkout.cart import cart_total",
     scenario='''
def scenario(ctx):
    bodies = ['[{"sku": "A1", "price": 19.9, "discount": 2.0, "qty": 1}]',
              '[{"sku": "B7", "price": 5.5, "discount": null, "qty": 4}]']
    for n, body in enumerate(bodies):
        ctx.noise(1)
        try:
            ctx.log.info("cart %d total %.2f", n, cart_total(json.loads(body)))
        except Exception:
            ctx.log.exception("checkout failed for cart %d", n)
''', logger="checkout.api")

case(39, "typeerror_str_int_comparison", "TypeError", error_type="TypeError", deploy="/srv/search",
     fmt="basic", description="page_size compares the string query parameter with an int.",
     files={"search/__init__.py": '"""Search API."""\n', "search/params.py": '''
"""Query-string handling. Values arrive as strings, exactly as parsed from the URL."""

from __future__ import annotations

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def query_terms(params: dict[str, str]) -> list[str]:
    """Whitespace-separated terms of the q parameter, lower-cased."""
    return params.get("q", "").lower().split()


def page_size(params: dict[str, str]) -> int:
    """The "size" parameter clamped to 1..MAX_PAGE_SIZE; DEFAULT_PAGE_SIZE when absent."""
    size = params.get("size", DEFAULT_PAGE_SIZE)
    return max(1, min(size, MAX_PAGE_SIZE))
'''},
     fix=[("search/params.py", '    size = params.get("size", DEFAULT_PAGE_SIZE)\n', '    size = int(params.get("size", DEFAULT_PAGE_SIZE))\n')],
     tests='''
from search.params import page_size, query_terms


def test_terms():
    assert query_terms({"q": "Red  Shoes"}) == ["red", "shoes"]


def test_default_size():
    assert page_size({"q": "x"}) == 20
''',
     hidden='''
from search.params import page_size


def test_size_parameter():
    assert page_size({"size": "50"}) == 50
    assert page_size({"size": "500"}) == 100
    assert page_size({"size": "0"}) == 1
''',
     imports="from search.params import page_size",
     scenario='''
def scenario(ctx):
    for params in [{"q": "usb cable"}, {"q": "usb cable", "size": "50"}]:
        try:
            ctx.log.info("search %r size=%d", params["q"], page_size(params))
        except Exception:
            ctx.log.exception("search request failed params=%s", params)
''', logger="search.api")

case(40, "typeerror_sort_with_none_key", "TypeError", error_type="TypeError",
     deploy="/home/deploy/todo/current",
     description="agenda sorts by t['due'] although tasks without a due date have None there.",
     files={"todo/__init__.py": '"""Team task board."""\n', "todo/board.py": '''
"""Agenda view of the team task board."""

from __future__ import annotations


def agenda(tasks: list[dict]) -> list[str]:
    """Titles by due date (ISO strings), earliest first.

    Tasks without a due date (due is None) come last, in their original order.
    """
    return [t["title"] for t in sorted(tasks, key=lambda t: t["due"])]
'''},
     fix=[("todo/board.py", 'key=lambda t: t["due"])', 'key=lambda t: (t["due"] is None, t["due"] or ""))')],
     tests='''
from todo.board import agenda


def test_agenda_by_due_date():
    tasks = [{"title": "b", "due": "2026-12-01"}, {"title": "a", "due": "2026-11-30"}]
    assert agenda(tasks) == ["a", "b"]
''',
     hidden='''
from todo.board import agenda


def test_undated_tasks_last_in_order():
    tasks = [{"title": "x", "due": None}, {"title": "b", "due": "2026-12-01"},
             {"title": "y", "due": None}, {"title": "a", "due": "2026-11-30"}]
    assert agenda(tasks) == ["a", "b", "x", "y"]
''',
     imports="from todo.board import agenda",
     scenario='''
def scenario(ctx):
    tasks = [{"title": "Renew TLS cert", "due": "2026-12-01"}, {"title": "Write postmortem", "due": None},
             {"title": "Rotate keys", "due": "2026-11-28"}]
    ctx.noise(2)
    try:
        ctx.log.info("agenda %s", agenda(tasks))
    except Exception:
        ctx.log.exception("Error handling request GET /board/agenda")
''', logger="todo.web")
