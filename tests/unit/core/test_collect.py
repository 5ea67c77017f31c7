import gzip
import os
import time

import pytest

from hephaestus.collect import FileSource
from hephaestus.errors import InputError

LOG = (
    "2026-01-01 10:00:00,001 INFO [app] started\n"
    "2026-01-01 10:00:01,002 ERROR [app] failed\n"
    "Traceback (most recent call last):\n"
    '  File "/srv/app/a.py", line 3, in f\n'
    "    return 1 / 0\n"
    "ZeroDivisionError: division by zero\n"
    "2026-01-01 10:00:02,003 INFO [app] done\n"
)


def _texts(source):
    return [item.raw.message for item in source.read()]


def test_plain_file_assembles_traceback_into_one_record(tmp_path):
    path = tmp_path / "app.log"
    path.write_text(LOG)
    source = FileSource([path])
    source.start()
    items = list(source.read())
    assert [i.raw.message.splitlines()[0][-6:] for i in items] == ["tarted", "failed", "] done"]
    assert items[1].raw.message.endswith("ZeroDivisionError: division by zero")
    assert items[1].origin == f"{path.resolve()}@{len(LOG.splitlines(keepends=True)[0])}"
    assert source.finished
    assert source.counters.sent == 3
    assert _texts(source) == []  # a finished file is not read again


def test_gzip_gives_the_same_records(tmp_path):
    plain, packed = tmp_path / "a.log", tmp_path / "a.log.gz"
    plain.write_text(LOG)
    packed.write_bytes(gzip.compress(LOG.encode()))
    a, b = FileSource([plain]), FileSource([packed])
    assert _texts(a) == _texts(b)


def test_missing_unreadable_and_directory_inputs_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="not found"):
        FileSource([tmp_path / "nope.log"]).start()
    with pytest.raises(InputError, match="directory"):
        FileSource([tmp_path]).start()


def test_binary_and_empty_input_do_not_crash(tmp_path):
    binary, empty = tmp_path / "b.bin", tmp_path / "e.log"
    binary.write_bytes(bytes(range(256)) * 40)
    empty.write_bytes(b"")
    texts = _texts(FileSource([binary, empty]))
    assert texts
    assert all(isinstance(t, str) for t in texts)


def test_follow_waits_for_newline_and_flushes_a_trailing_trace_when_idle(tmp_path):
    path = tmp_path / "app.log"
    path.write_text("2026-01-01 10:00:00,001 INFO [app] started\n2026-01-01 10:00:01 ERROR [app] part")
    source = FileSource([path], follow=True, idle_flush_s=0.05)
    source.start()
    assert _texts(source) == []  # first record may still grow; partial line not consumed
    with path.open("a") as fh:
        fh.write("ial\nTraceback (most recent call last):\n  File \"/a.py\", line 1, in f\nKeyError: 'x'\n")
    got = _texts(source)
    assert got[0].endswith("started")
    time.sleep(0.1)
    got += _texts(source)
    assert got[-1].startswith("2026-01-01 10:00:01 ERROR [app] partial\nTraceback")
    assert got[-1].endswith("KeyError: 'x'")


def test_restart_resumes_after_checkpoint_without_rereading(tmp_path, store):
    path = tmp_path / "app.log"
    path.write_text(LOG)
    first = FileSource([path], follow=True, checkpoints=store, idle_flush_s=0)
    first.start()
    assert len(_texts(first)) == 3
    first.commit()
    with path.open("a") as fh:
        fh.write("2026-01-01 10:00:03,000 INFO [app] later\n")
    second = FileSource([path], follow=True, checkpoints=store, idle_flush_s=0)
    second.start()
    assert _texts(second) == ["2026-01-01 10:00:03,000 INFO [app] later"]


def test_uncommitted_records_are_read_again_after_restart(tmp_path, store):
    path = tmp_path / "app.log"
    path.write_text(LOG)
    first = FileSource([path], follow=True, checkpoints=store, idle_flush_s=0)
    origins = [i.origin for i in first.read()]  # crash before commit()
    second = FileSource([path], follow=True, checkpoints=store, idle_flush_s=0)
    assert [i.origin for i in second.read()] == origins


def test_rotation_and_truncation_restart_from_the_beginning(tmp_path, store):
    path = tmp_path / "app.log"
    path.write_text(LOG)
    source = FileSource([path], follow=True, checkpoints=store, idle_flush_s=0)
    assert len(_texts(source)) == 3
    source.commit()
    rotated = tmp_path / "app.log.1"
    os.rename(path, rotated)
    path.write_text("2026-01-02 00:00:00,000 INFO [app] new file\n")
    assert _texts(source) == ["2026-01-02 00:00:00,000 INFO [app] new file"]
    path.write_text("x\n")  # truncated in place (copytruncate)
    assert _texts(source) == ["x"]


def test_a_trailing_trace_is_flushed_when_eof_falls_on_a_chunk_boundary(tmp_path, monkeypatch):
    import hephaestus.collect.files as files

    monkeypatch.setattr(files, "_CHUNK_LINES", 5)
    path = tmp_path / "app.log"
    path.write_text(
        "2026-01-01 10:00:00,001 INFO [app] a\n"
        "2026-01-01 10:00:01,002 ERROR [app] failed\n"
        "Traceback (most recent call last):\n"
        '  File "/srv/app/a.py", line 3, in f\n'
        "KeyError: 'x'\n"
    )
    source = FileSource([path], follow=True, idle_flush_s=0.05)
    got = _texts(source)  # exactly 5 lines: the chunk ends at EOF
    time.sleep(0.1)
    got += _texts(source)
    time.sleep(0.1)
    got += _texts(source)
    assert got[-1].endswith("KeyError: 'x'")
    assert len(got) == 2


def test_two_stores_opening_one_new_database_at_once(tmp_path):
    import threading

    from hephaestus.store import Store

    url = f"sqlite:///{tmp_path / 'race.sqlite'}"
    errors: list[BaseException] = []

    def open_store() -> None:
        try:
            Store(url).close()
        except BaseException as exc:  # pragma: no cover - the failure being tested for
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_origins_and_checkpoints_are_byte_exact_across_chunks_and_a_cut_line(tmp_path, monkeypatch, store):
    import hephaestus.collect.files as files

    monkeypatch.setattr(files, "_CHUNK_LINES", 3)  # records and tracebacks straddle read() calls
    long_line = "2026-01-01 10:00:03,000 INFO [app] " + "x" * 300 + "\n"
    text = LOG + long_line + LOG
    path = tmp_path / "app.log"
    path.write_text(text)
    source = FileSource([path], checkpoints=store, max_line_bytes=100)
    items = []
    while not source.finished:
        items += source.read()
    starts = [int(i.origin.rsplit("@", 1)[1]) for i in items]
    lines = text.splitlines(keepends=True)
    record_firsts = [0, 1, 6, 7, 8, 9, 14]  # the line each record starts on
    assert starts == [sum(len(x) for x in lines[:n]) for n in record_firsts]
    assert items[3].raw.message.endswith(" [... 236 more bytes truncated]")
    assert (source.truncated_lines, source.bytes_read) == (1, len(text))
    assert source.counters.as_dict() == {"received": 7, "sent": 7, "errored": 0, "dropped": 0}
    source.commit()
    assert store.checkpoint(str(path.resolve()))[0] == len(text)
