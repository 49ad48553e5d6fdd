"""Reader for JSONL files of Article records (one JSON object per line)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError

from ingest.normalise import normalise_article
from ingest.seed_files import RecordError
from schemas import Article
from schemas.errors import describe

MAX_LINE_BYTES = 2 * 1024 * 1024
"""A longer line is reported and skipped without parsing (the text limit is 200 000 chars)."""


def parse_record(record: object, default_tz: tzinfo | None = None) -> Article:
    """One decoded JSON value as a normalised Article; ``ValueError`` saying why not.

    With ``default_tz`` an ISO 8601 ``published_at`` without an offset
    (``2025-10-22T23:35``) or a bare date (``2025-10-23``) is taken in that zone;
    without it, the contract's rule holds: the date must carry its offset.
    """
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    try:
        return normalise_article(Article.model_validate(_zoned(record, default_tz)), default_tz or UTC)
    except ValidationError as exc:
        raise ValueError(describe(exc)) from None


def _zoned(record: dict, default_tz: tzinfo | None) -> dict:
    value = record.get("published_at")
    if default_tz is None or not isinstance(value, str) or len(value) > 64:
        return record
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return record
    return record if parsed.tzinfo is not None else record | {"published_at": parsed.replace(tzinfo=default_tz)}


def decode_line(raw: bytes) -> object:
    """A JSON value, or ``ValueError`` saying why not: malformed, not UTF-8, nested too deep."""
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"malformed JSON ({exc})") from None
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _lines(fh: BinaryIO, limit: int) -> Iterator[tuple[bytes, int]]:
    """(line, its full length) without ever holding more than ``limit`` bytes of one line."""
    while raw := fh.readline(limit + 1):
        length = len(raw)
        tail = raw
        while length > limit and not tail.endswith(b"\n") and (tail := fh.readline(limit)):
            length += len(tail)
        yield (raw if length <= limit else b""), length


def read_jsonl(path: Path, default_tz: tzinfo = UTC) -> Iterator[Article | RecordError]:
    """Yield an Article per line; a bad line becomes a RecordError naming file and line.

    Dates without an offset are taken in ``default_tz`` (files from backfills seldom
    carry one)."""
    with path.open("rb") as fh:
        for lineno, (raw, length) in enumerate(_lines(fh, MAX_LINE_BYTES), start=1):
            where = f"{path}:{lineno}"
            if length > MAX_LINE_BYTES:
                yield RecordError(where, f"line is {length} bytes, larger than the limit of {MAX_LINE_BYTES}")
                continue
            if not raw.strip():
                continue
            try:
                yield parse_record(decode_line(raw), default_tz)
            except RecursionError:
                yield RecordError(where, "record nested too deeply")
            except ValueError as exc:
                yield RecordError(where, str(exc))
