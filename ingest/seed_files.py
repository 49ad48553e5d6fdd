"""Reader for the seed format: one article per ``.txt`` file, dated in one of several ways.

Seen in the wild (and in ``seeds/``):

* a first line starting `` date YYYY-MM-DD`` followed by the text,
* a headline block with ``DD.MM.YYYY - HH:MM:SS`` on a line of its own,
* no date at all (``published_at`` then stays empty: never invented).

The article id is the part of the file name after the first underscore
(``000_c0c7c25cd1612e28.txt`` -> ``c0c7c25cd1612e28``), else the file stem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from schemas import Article

_ISO_DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*")
_GERMAN_STAMP = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*-\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$", re.M)


class RecordError(ValueError):
    """A record that cannot become an Article; ``where`` names it (file, line)."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


def article_id_from_name(path: Path) -> str:
    stem = path.stem
    return stem.split("_", 1)[1] if "_" in stem else stem


def parse_seed_text(raw: str, article_id: str, source: str | None = None) -> Article:
    """Turn one seed-format text into an Article (pure)."""
    published_at = None
    text = raw
    if m := _ISO_DATE_LINE.match(raw):
        published_at = datetime.fromisoformat(m.group(1)).replace(tzinfo=UTC)
        text = raw[m.end():]
    elif m := _GERMAN_STAMP.search(raw[:2000]):
        d, mo, y, h, mi, s = m.groups()
        published_at = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), tzinfo=UTC)
    title = next((line.strip() for line in text.splitlines() if line.strip()), None)
    return Article(
        id=article_id,
        source=source,
        published_at=published_at,
        language="de",
        title=title[:300] if title else None,
        text=text.strip(),
    )


def read_seed_dir(directory: Path) -> Iterator[Article | RecordError]:
    """Yield every ``*.txt`` article of a directory in name order; bad files as errors."""
    for path in sorted(directory.glob("*.txt")):
        try:
            raw = path.read_text(encoding="utf-8")
            yield parse_seed_text(raw, article_id_from_name(path), source=path.name)
        except UnicodeDecodeError as exc:
            yield RecordError(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})")
        except ValidationError as exc:
            yield RecordError(str(path), _first_error(exc))


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"]) or "record"
    return f"{loc}: {err['msg']}"
