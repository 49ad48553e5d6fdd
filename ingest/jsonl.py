"""Reader for JSONL files of Article records (one JSON object per line)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError

from ingest.normalise import normalise_article
from ingest.seed_files import RecordError
from schemas import Article
from schemas.errors import describe

MAX_LINE_BYTES = 2 * 1024 * 1024
"""A longer line is reported and skipped without parsing (the text limit is 200 000 chars)."""


def parse_record(record: object) -> Article:
    """One decoded JSON value as a normalised Article; ``ValueError`` saying why not."""
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    try:
        return normalise_article(Article.model_validate(record))
    except ValidationError as exc:
        raise ValueError(describe(exc)) from None


def _lines(fh: BinaryIO, limit: int) -> Iterator[tuple[bytes, int]]:
    """(line, its full length) without ever holding more than ``limit`` bytes of one line."""
    while raw := fh.readline(limit + 1):
        length = len(raw)
        tail = raw
        while length > limit and not tail.endswith(b"\n") and (tail := fh.readline(limit)):
            length += len(tail)
        yield (raw if length <= limit else b""), length


def read_jsonl(path: Path) -> Iterator[Article | RecordError]:
    """Yield an Article per line; a bad line becomes a RecordError naming file and line."""
    with path.open("rb") as fh:
        for lineno, (raw, length) in enumerate(_lines(fh, MAX_LINE_BYTES), start=1):
            where = f"{path}:{lineno}"
            if length > MAX_LINE_BYTES:
                yield RecordError(where, f"line is {length} bytes, larger than the limit of {MAX_LINE_BYTES}")
                continue
            if not raw.strip():
                continue
            try:
                yield parse_record(json.loads(raw))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield RecordError(where, f"malformed JSON ({exc})")
            except ValueError as exc:
                yield RecordError(where, str(exc))
