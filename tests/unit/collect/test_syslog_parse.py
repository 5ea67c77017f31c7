"""RFC 5424 / RFC 3164 parsing and RFC 6587 TCP framing, malformed input included."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from hephaestus.collect.syslog_parse import FrameError, SyslogError, TcpFramer, parse_syslog

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_rfc5424_all_fields():
    m = parse_syslog(
        b"<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 1234 ID47 "
        b'[exampleSDID@32473 iut="3" eventSource="Application"] \xef\xbb\xbfAn application event\n'
    )
    assert (m.facility, m.severity, m.level, m.version) == (20, 5, "NOTICE", 1)
    assert m.timestamp == datetime(2003, 10, 11, 22, 14, 15, 3000, tzinfo=UTC)
    assert (m.host, m.app_name, m.proc_id, m.msg_id) == ("mymachine.example.com", "evntslog", "1234", "ID47")
    assert m.structured_data == '[exampleSDID@32473 iut="3" eventSource="Application"]'
    assert m.message == "An application event"


def test_rfc5424_nil_fields_offset_and_escaped_sd():
    m = parse_syslog(b'<34>1 2003-08-24T05:14:15.000003-07:00 - - - - [a@1 x="q\\]\\"z"][b@2] hi there')
    assert m.timestamp == datetime(2003, 8, 24, 5, 14, 15, 3, tzinfo=timezone(timedelta(hours=-7)))
    assert (m.host, m.app_name, m.proc_id, m.msg_id) == (None, None, None, None)
    assert m.structured_data == '[a@1 x="q\\]\\"z"][b@2]'
    assert m.message == "hi there"
    assert parse_syslog(b"<13>1 - host app - - -").message == ""


def test_rfc3164_with_header_tag_and_pid():
    m = parse_syslog(b"<13>Mar  9 11:59:58 web1 shop[4242]: order 7 failed\x00", now=NOW)
    assert (m.facility, m.severity, m.version) == (1, 5, 0)
    assert m.timestamp is not None
    assert (m.timestamp.month, m.timestamp.day, m.timestamp.hour, m.timestamp.second) == (3, 9, 11, 58)
    assert (m.host, m.app_name, m.proc_id, m.message) == ("web1", "shop", "4242", "order 7 failed")


def test_rfc3164_december_seen_in_january_is_last_year():
    m = parse_syslog(b"<13>Dec 31 23:59:59 h app: x", now=datetime(2026, 1, 1, 0, 0, 5, tzinfo=UTC))
    assert m.timestamp is not None
    assert m.timestamp.year == 2025


def test_python_sysloghandler_style_message_without_header_keeps_the_traceback():
    text = (
        "ERROR shop: boom\nTraceback (most recent call last):\n  File \"a.py\", line 1, in f\nKeyError: 'x'"
    )
    m = parse_syslog(b"<11>" + text.encode() + b"\x00")
    assert (m.severity, m.level, m.facility) == (3, "ERROR", 1)
    assert (m.timestamp, m.host, m.app_name) == (None, None, None)
    assert m.message == text


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        (b"no pri here", "no <PRI>"),
        (b"<192>1 - - - - - - x", "invalid PRI"),
        (b"<013>x", "invalid PRI"),
        (b"<14>1 2003-10-11T22:14:15Z host app", "fewer than 6 fields"),
        (b"<14>1 yesterday host app - - - x", "not RFC 3339"),
        (b"<14>1 2003-10-11T22:14:15 host app - - - x", "no time zone"),
        (b"<14>1 - host app - - [unclosed x", "not closed"),
        (b"<14>1 - host app - - {sd} x", "must be '-' or start with '['"),
        (b"<14>Feb 30 10:00:00 host app: x", "out of range"),
    ],
)
def test_malformed_messages_say_why(frame, reason):
    with pytest.raises(SyslogError, match=reason.replace("[", r"\[")):
        parse_syslog(frame, now=NOW)


def test_octet_counting_across_reads():
    framer = TcpFramer()
    one, two = b"<13>1 - h a - - - first", b"<13>1 - h a - - - second\nline"
    stream = b"%d %s%d %s" % (len(one), one, len(two), two)
    got = []
    for i in range(0, len(stream), 7):  # arrives in 7-byte pieces
        got += framer.feed(stream[i : i + 7])
    assert got == [one, two]
    assert framer.end() == []


def test_newline_framing_and_a_last_frame_without_trailer():
    framer = TcpFramer()
    assert framer.feed(b"<13>a\n<13>b\r\n\n<13>c") == [b"<13>a", b"<13>b\r"]
    assert framer.end() == [b"<13>c"]


def test_nul_framing_keeps_newlines_inside_messages():
    framer = TcpFramer()
    assert framer.feed(b"<11>boom\nTraceback\n  x\x00<14>ok\x00") == [b"<11>boom\nTraceback\n  x", b"<14>ok"]


def test_octet_count_over_the_limit_is_fatal():
    (err,) = TcpFramer(max_frame=100).feed(b"5000 <13>x")
    assert isinstance(err, FrameError)
    assert err.fatal
    assert "over the 100 byte limit" in str(err)


def test_overlong_trailer_frame_is_dead_lettered_and_the_stream_resyncs():
    framer = TcpFramer(max_frame=10)
    first = framer.feed(b"<13>" + b"x" * 20)
    assert len(first) == 1
    assert isinstance(first[0], FrameError)
    assert not first[0].fatal
    assert framer.feed(b"yyy\n<13>ok\n") == [b"<13>ok"]


def test_digits_that_are_no_octet_count_fall_back_to_a_trailer_frame():
    assert TcpFramer().feed(b"12abc\n") == [b"12abc"]  # then refused by the parser (no PRI)
