"""Resolve command-line inputs (files and directories) to a stream of articles."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.jsonl import read_jsonl
from ingest.seed_files import RecordError, article_id_from_name, parse_seed_text, read_seed_dir
from schemas import Article


def read_inputs(inputs: Iterable[Path]) -> Iterator[Article | RecordError]:
    """Articles from directories (seed format), ``.jsonl`` files and single text files."""
    for path in inputs:
        if path.is_dir():
            yield from read_seed_dir(path)
        elif path.suffix in {".jsonl", ".ndjson"}:
            yield from read_jsonl(path)
        elif path.is_file():
            try:
                yield parse_seed_text(path.read_text(encoding="utf-8"), article_id_from_name(path), source=path.name)
            except (UnicodeDecodeError, ValueError) as exc:
                yield RecordError(str(path), str(exc))
        else:
            yield RecordError(str(path), "no such file or directory")


def by_publication(articles: Iterable[Article]) -> list[Article]:
    """Sort by published_at; undated articles go last, in input order (they arrive now)."""
    dated = [a for a in articles if a.published_at is not None]
    undated = [a for a in articles if a.published_at is None]
    return sorted(dated, key=lambda a: a.published_at) + undated  # type: ignore[arg-type, return-value]
