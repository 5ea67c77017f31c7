"""Regenerates ../logs/shop.log by really running the shop code, as production would.

Tracebacks are real (produced by this interpreter); only the checkout path is rewritten to
the deployment path /srv/shop, as it would read on a server. Run: python generate_log.py
"""

from __future__ import annotations

import io
import logging
import os
import random
import sys
from datetime import datetime, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from shop.report import build_report  # noqa: E402

DEPLOY = "/srv/shop"


class FixedClock(logging.Formatter):
    def __init__(self, start: datetime) -> None:
        super().__init__("%(asctime)s %(levelname)s [%(name)s] %(message)s")
        self.now = start

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        self.now += timedelta(milliseconds=random.randint(40, 900))
        return self.now.strftime("%Y-%m-%d %H:%M:%S,") + f"{self.now.microsecond // 1000:03d}"


def main() -> None:
    random.seed(7)
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.setFormatter(FixedClock(datetime(2026, 11, 24, 2, 0, 0)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    log = logging.getLogger("shop.nightly")
    http = logging.getLogger("shop.http")
    order = {"lines": [{"qty": 2, "unit_price": 9.5}]}
    for night in range(3):
        log.info("nightly report started run_id=%d", 4100 + night)
        for i in range(12):
            http.info("GET /orders?page=%d 200 %dms", i, random.randint(3, 80))
        regions = {"east": [order] * random.randint(1, 5), "north": [], "west": [order]}
        if night == 1:
            log.warning("payment gateway slow: latency=%dms retry=%d", 2300, 1)
            log.error("ConnectionRefusedError: [Errno 111] Connection refused while calling http://payments.internal:8080/settle")
        try:
            report = build_report(regions)
            log.info("report done regions=%d", len(report))
        except Exception:
            log.exception("nightly report failed run_id=%d", 4100 + night)
        log.info("nightly report finished run_id=%d", 4100 + night)
    text = buf.getvalue().replace(HERE, DEPLOY)
    out = os.path.join(HERE, "..", "logs", "shop.log")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"wrote {out} ({text.count(chr(10))} lines)")


if __name__ == "__main__":
    main()
