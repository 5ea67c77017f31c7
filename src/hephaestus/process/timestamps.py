"""Log timestamps: ISO 8601, epoch seconds/milliseconds and the usual strptime shapes, memoised.

Fed the timestamp text a header pattern found (headers.py, formats.py); feeds HeaderFields.timestamp.
Naive results are taken as UTC; a stamp without a year (syslog) gets this year.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["parse_timestamp"]

_TS_FORMATS = ("%d/%b/%Y:%H:%M:%S %z", "%Y/%m/%d %H:%M:%S", "%a %b %d %H:%M:%S.%f %Y", "%a %b %d %H:%M:%S %Y",
               "%b %d %H:%M:%S", "%y%m%d %H%M%S", "%Y%m%d %H:%M:%S")  # fmt: skip

_STRPTIME_CACHE: dict[str, datetime | None] = {}  # text -> naive/aware strptime result (None: no format)
_STRPTIME_CACHE_MAX = 4096
_last_format = [0]  # index into _TS_FORMATS of the last format that parsed (tried first next time)


def _strptime(text: str) -> datetime | None:
    """The first of _TS_FORMATS that parses `text` (their shapes exclude each other, so trying the
    last successful one first gives the same answer); memoised, as second-resolution stamps repeat."""
    if text in _STRPTIME_CACHE:
        return _STRPTIME_CACHE[text]
    first = _last_format[0]
    parsed: datetime | None = None
    for k in (first, *(i for i in range(len(_TS_FORMATS)) if i != first)):
        try:
            parsed = datetime.strptime(text, _TS_FORMATS[k])
        except ValueError:
            continue
        _last_format[0] = k
        break
    if len(_STRPTIME_CACHE) >= _STRPTIME_CACHE_MAX:
        _STRPTIME_CACHE.clear()
    _STRPTIME_CACHE[text] = parsed
    return parsed


def _strptime_this_year(text: str) -> datetime | None:
    parsed = _strptime(text)
    if parsed is not None and parsed.year == 1900:  # no year in the stamp (syslog): this year
        parsed = parsed.replace(year=datetime.now(UTC).year)
    return parsed


_STAMP_CACHE: dict[str, datetime | None] = {}  # raw stamp -> parse_timestamp result
_STAMP_CACHE_MAX = 4096
_SHAPE_FAILURES: dict[str, int] = {}  # stamp with digits as 0 -> failures in a row (-1: one parsed)
_SHAPE_GIVE_UP = 8
_MISSING = object()
_DIGITS_TO_ZERO = str.maketrans("123456789", "000000000")


def parse_timestamp(raw: str) -> datetime | None:
    """Parse the usual log timestamp shapes; naive results are taken as UTC; None if unparseable.
    Memoised: neighbouring records share their stamp more often than not."""
    cached = _STAMP_CACHE.get(raw, _MISSING)
    if cached is not _MISSING:
        return cached  # type: ignore[return-value]
    # a stamp shape (digits as 0) that failed _SHAPE_GIVE_UP times, not parsing since, is not tried again;
    # shapes are computed only once some stamp failed, so logs whose stamps parse pay nothing for this
    shape = raw.translate(_DIGITS_TO_ZERO) if _SHAPE_FAILURES else None
    if shape is not None and _SHAPE_FAILURES.get(shape, 0) >= _SHAPE_GIVE_UP:
        parsed = None
    else:
        parsed = _parse_timestamp(raw)
        if parsed is None:
            shape = shape or raw.translate(_DIGITS_TO_ZERO)
            failures = _SHAPE_FAILURES.get(shape, 0)
            if failures >= 0:
                if len(_SHAPE_FAILURES) >= _STAMP_CACHE_MAX:
                    _SHAPE_FAILURES.clear()
                _SHAPE_FAILURES[shape] = failures + 1
        elif shape is not None and shape in _SHAPE_FAILURES:
            _SHAPE_FAILURES[shape] = -1  # this shape parses: never given up
    if len(_STAMP_CACHE) >= _STAMP_CACHE_MAX:
        _STAMP_CACHE.clear()
    _STAMP_CACHE[raw] = parsed
    return parsed


def _parse_timestamp(raw: str) -> datetime | None:
    text = raw.strip()
    if not text or len(text) > 64:
        return None
    parsed: datetime | None = None
    try:
        if text.replace(".", "", 1).isdigit():
            value = float(text)
            parsed = datetime.fromtimestamp(value / 1000 if value > 1e11 else value, tz=UTC)
        elif text[:4].isdigit():  # every ISO 8601 form starts with the year
            parsed = datetime.fromisoformat(text.replace(",", "."))
        else:
            parsed = _strptime_this_year(text)
    except (ValueError, OverflowError, OSError):
        parsed = _strptime_this_year(text)
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
