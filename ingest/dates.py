"""Publication dates (pure): parse the forms news text and feeds use, find one in a header.

``published_at`` orders an article's claims, so a wrong date is worse than none: only a
date that *is* the article's date is taken (the seed ``date`` line, a date-only line in
the first lines of the text, a feed's or page's date field). A date inside the prose
("am 21. Oktober 2025 soll ...") is an event date, never a publication date. When
nothing is found the result is ``None`` and the producer stamps the arrival time.
Naive times are taken in ``default_tz`` (UTC unless the caller says otherwise).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import cache

from ingest.cleantext import collapse_blank_lines
from ingest.rules import load_rules

_HEADER_LINES = 8
"""A header date line is looked for among this many first non-empty lines."""

_ZONES = {"utc": 0, "gmt": 0, "z": 0, "mez": 1, "cet": 1, "mesz": 2, "cest": 2, "wez": 0, "wesz": 1, "bst": 1}
_TIME = r"(?:[,;\s-]*(?:um\s+|at\s+)?(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>am|pm)?\s*(?:uhr|h)?)?"
_ZONE = r"(?:\s*\(?(?P<tz>" + "|".join(_ZONES) + r")\)?)?"
_SEED_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)(?:\s+|$)")


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    months = "|".join(sorted(load_rules("dates")["months"], key=len, reverse=True))
    flags = re.IGNORECASE | re.UNICODE
    numeric = rf"(?P<d>\d{{1,2}})\.\s?(?P<mo>\d{{1,2}})\.\s?(?P<y>\d{{4}}|\d{{2}}){_TIME}{_ZONE}"
    written_de = rf"(?P<d>\d{{1,2}})\.?\s*(?P<mon>{months})\.?\s+(?P<y>\d{{4}}){_TIME}{_ZONE}"
    written_en = rf"(?P<mon>{months})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}){_TIME}{_ZONE}"
    return tuple(re.compile(rf"^(?:\w+,?\s+)?{p}$", flags) for p in (numeric, written_de, written_en))


@cache
def _header_prefix() -> re.Pattern[str]:
    words = sorted(load_rules("dates").get("header_prefixes", []), key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in words)
    return re.compile(rf"^(?:(?:{alt})\b\s*:?\s*(?:am\s+|on\s+)?)?", re.IGNORECASE)


def _from_match(m: re.Match[str], default_tz: tzinfo) -> datetime | None:
    g = m.groupdict()
    month = int(g["mo"]) if g.get("mo") else load_rules("dates")["months"].get(g["mon"].lower().rstrip("."))
    year = int(g["y"]) + (2000 if len(g["y"]) == 2 else 0)
    hour = int(g["h"] or 0)
    if g.get("ampm"):
        hour = hour % 12 + (12 if g["ampm"].lower() == "pm" else 0)
    tz = timezone(timedelta(hours=_ZONES[g["tz"].lower()])) if g.get("tz") else default_tz
    try:
        return datetime(year, month, int(g["d"]), hour, int(g["mi"] or 0), int(g["s"] or 0), tzinfo=tz)
    except (TypeError, ValueError):
        return None


def _aware(value: datetime, default_tz: tzinfo) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=default_tz)


def parse_date(value: str | None, default_tz: tzinfo = UTC) -> datetime | None:
    """One date string in any form we know (ISO 8601, RFC 2822, German and English), else None.

    The whole string must be a date (weekday names and a time zone are allowed);
    a sentence that merely contains one is not parsed.
    """
    if not value or not (text := value.strip()) or len(text) > 80:
        return None
    try:
        return _aware(datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00")), default_tz)
    except ValueError:
        pass
    if re.match(r"^(?:\w{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}", text):
        try:
            return _aware(parsedate_to_datetime(text), default_tz)
        except (TypeError, ValueError, IndexError):
            pass
    for pattern in _patterns():
        if m := pattern.match(text.rstrip(".")):
            return _from_match(m, default_tz)
    return None


def parse_header_line(line: str, default_tz: tzinfo = UTC) -> datetime | None:
    """A header line that is only a (possibly labelled) date: ``Stand: 21.10.2025, 17:28 Uhr``."""
    rest = _header_prefix().sub("", line.strip(), count=1)
    return parse_date(rest, default_tz)


def find_published_at(text: str, default_tz: tzinfo = UTC) -> tuple[datetime | None, str]:
    """(publication date or None, text without the line or prefix that carried it)."""
    if m := _SEED_LINE.match(text):
        found = parse_date(m.group(1), default_tz)
        if found is not None:
            return found, text[m.end():].lstrip()
    lines = text.split("\n")
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if (found := parse_header_line(line, default_tz)) is not None:
            return found, collapse_blank_lines("\n".join(lines[:i] + lines[i + 1:]))
        seen += 1
        if seen >= _HEADER_LINES:
            break
    return None, text
