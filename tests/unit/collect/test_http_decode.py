"""HTTP ingest bodies: NDJSON, JSON array, text lines, gzip, caps and refusals."""

import gzip
import json

import pytest

from hephaestus.collect.http import IngestError, decode_body


def test_ndjson_objects_and_strings_with_fields_and_a_bad_line_dead_lettered():
    body = (
        json.dumps({"message": "a", "level": "ERROR", "source": "shop", "host": "w1", "pid": 7,
                    "timestamp": "2026-01-02T03:04:05+00:00", "trace_id": "abc"})
        + "\n\n" + json.dumps("plain b") + "\n{oops\n" + json.dumps({"no": "message"}) + "\n"
    )  # fmt: skip
    out = decode_body(body.encode(), content_type="application/x-ndjson", peer="10.0.0.9")
    a, b = out.raws
    assert (a.message, a.level, a.source, a.host, a.metadata.process_id, a.metadata.trace_id) == (
        "a", "ERROR", "shop", "w1", 7, "abc"
    )  # fmt: skip
    assert a.timestamp.isoformat() == "2026-01-02T03:04:05+00:00"
    assert (b.message, b.source, b.host) == ("plain b", "http", "10.0.0.9")
    assert [reason for _, reason in out.dead] == [
        "http ingest: unexpected character, expected a string key: line 1 column 2 (char 1)",
        "http ingest: record has no string 'message'",
    ]


def test_json_array_and_single_object_epoch_timestamp_and_exc_text():
    out = decode_body(
        json.dumps([{"msg": "x", "timestamp": 0, "exc_text": "Traceback ...\nKeyError: 'k'"}, 5]).encode(),
        content_type="application/json; charset=utf-8",
    )
    assert out.raws[0].message == "x\nTraceback ...\nKeyError: 'k'"
    assert out.raws[0].timestamp.year == 1970
    assert out.dead == [(b"5", "http ingest: a record must be an object or a string, not int")]
    assert len(decode_body(b'{"message": "one"}', content_type="application/json").raws) == 1


def test_text_lines_join_a_traceback_into_one_record():
    body = b"start\nTraceback (most recent call last):\n  File \"a.py\", line 1, in f\nKeyError: 'k'\nend\n"
    out = decode_body(body, content_type="text/plain")
    assert [r.message for r in out.raws] == [body.decode().split("\nend")[0], "end"]  # trace joins its line
    assert len(decode_body(b"a\nb", content_type="").raws) == 2  # no Content-Type: text lines


def test_gzip_within_and_over_the_cap():
    body = b"\n".join(b'{"message": "m%d"}' % i for i in range(1000))
    packed = gzip.compress(body)
    out = decode_body(
        packed, content_type="application/x-ndjson", content_encoding="gzip", max_bytes=len(body)
    )
    assert len(out.raws) == 1000
    with pytest.raises(IngestError, match="decompressed body larger") as exc:
        decode_body(
            packed, content_type="application/x-ndjson", content_encoding="gzip", max_bytes=len(body) - 1
        )
    assert exc.value.status == 413


@pytest.mark.parametrize(
    ("kwargs", "status", "match"),
    [
        ({"content_type": "application/json", "body": b"[1,"}, 400, "not valid JSON"),
        ({"content_type": "text/plain", "content_encoding": "gzip", "body": b"nope"}, 400, "not valid gzip"),
        (
            {"content_type": "text/plain", "content_encoding": "gzip", "body": gzip.compress(b"x")[:-6]},
            400,
            "truncated",
        ),
        ({"content_type": "text/plain", "content_encoding": "br", "body": b"x"}, 415, "Content-Encoding"),
        ({"content_type": "image/png", "body": b"x"}, 415, "Content-Type"),
        ({"content_type": "text/plain", "body": b"x" * 11, "max_bytes": 10}, 413, "larger than 10"),
    ],
)
def test_bodies_that_cannot_be_read(kwargs, status, match):
    body = kwargs.pop("body")
    with pytest.raises(IngestError, match=match) as exc:
        decode_body(body, **kwargs)
    assert exc.value.status == status
