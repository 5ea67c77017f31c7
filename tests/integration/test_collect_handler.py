"""hephaestus.logging_handler.HephaestusHandler in a child process ships its records (tracebacks
included) to a real /ingest listener; exactly those come out of the real processor, and an
application whose collector is gone neither blocks nor sees an exception."""

import json
import os
import subprocess
import sys
import textwrap

from hephaestus.bus.local import LocalBus
from hephaestus.collect.http_server import HttpSource
from hephaestus.collect.pump import Pump
from tests.support.collect import SRC, assert_exactly, structured_records
from tests.support.proc import child_env

N = int(os.environ.get("HEPHAESTUS_COLLECT_N", "1000"))

APP = textwrap.dedent(
    """
    import json, logging, sys, time
    from hephaestus.logging_handler import HephaestusHandler

    url, n = sys.argv[1], int(sys.argv[2])
    handler = HephaestusHandler(
        url, token="tok", application="shop", batch_size=200, retry_for_s=float(sys.argv[3])
    )
    logging.getLogger().addHandler(handler)  # on the root logger, as docs/collect.md shows
    logging.getLogger().setLevel(logging.INFO)  # so httpx's own INFO lines reach it too (not shipped)
    log = logging.getLogger("shop.orders")
    began = time.monotonic()
    for i in range(n):
        if i % 100 == 0:
            try:
                {}["sku"]
            except KeyError:
                log.exception("rec-%d checkout failed", i)
        else:
            log.info("rec-%d order ok", i)
    emitted_s = time.monotonic() - began
    logging.shutdown()  # flushes and closes the handler
    print(json.dumps({"sent": handler.sent, "dropped": handler.dropped, "emit_s": emitted_s}))
    """
)


def _app(tmp_path, url, n, retry_for_s=30.0):
    script = tmp_path / "app.py"
    script.write_text(APP)
    return subprocess.run(
        [sys.executable, str(script), url, str(n), str(retry_for_s)],
        env=child_env(tmp_path, PYTHONPATH=SRC),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_handler_in_a_child_process_delivers_every_record(tmp_path):
    source = HttpSource(host="127.0.0.1", port=0, token="tok")
    source.start()
    bus = LocalBus(tmp_path / "bus.sqlite")
    pump = Pump(source, bus).start()
    try:
        done = _app(tmp_path, f"{source.url}/ingest", N)
    finally:
        source.stop()
        pump.stop()
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["sent"] == N
    assert json.loads(done.stdout)["dropped"] == 0
    records = structured_records(bus)
    assert_exactly(records, N)
    traces = [r for r in records if r["error"]["type"] == "KeyError"]
    assert len(traces) == len(range(0, N, 100))
    assert all('{}["sku"]' in t["error"]["stack_trace"] for t in traces)
    assert {r["source"]["application"] for r in records} == {"shop"}


def test_handler_without_a_collector_never_blocks_or_raises(tmp_path):
    done = _app(tmp_path, "http://127.0.0.1:9/ingest", 300, retry_for_s=0.5)  # nothing listens on port 9
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["sent"], report["dropped"]) == (0, 300)
    assert report["emit_s"] < 5  # logging calls only queue
    assert "Traceback" not in done.stderr
