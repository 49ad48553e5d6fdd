"""Reader for JSONL files of Article records (one JSON object per line)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from ingest.seed_files import RecordError, _first_error
from schemas import Article


def read_jsonl(path: Path) -> Iterator[Article | RecordError]:
    """Yield an Article per line; a bad line becomes a RecordError naming file and line."""
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            where = f"{path}:{lineno}"
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield RecordError(where, f"malformed JSON ({exc})")
                continue
            if not isinstance(record, dict):
                yield RecordError(where, f"expected a JSON object, got {type(record).__name__}")
                continue
            try:
                yield Article.model_validate(record)
            except ValidationError as exc:
                yield RecordError(where, _first_error(exc))
