"""Resolve command-line inputs (files and directories) to a stream of articles."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, tzinfo
from pathlib import Path

from ingest.files import read_path, source_kind
from ingest.metrics import count_record
from ingest.seed_files import RecordError
from schemas import Article


def read_inputs(inputs: Iterable[Path], default_tz: tzinfo = UTC) -> Iterator[Article | RecordError]:
    """Articles from directories, seed-format ``.txt``, ``.html``, ``.jsonl`` and feed files.

    Every record is counted in ``storywatch_ingest_records_total``; bad ones come out as
    RecordError naming file (and line or item) so the caller can report and go on.
    JSONL dates without an offset are taken in ``default_tz``.
    """
    for path in inputs:
        path = Path(path)
        kind = source_kind(path)
        for record in read_path(path, default_tz):
            count_record(kind, isinstance(record, Article))
            yield record


def by_publication(articles: Iterable[Article]) -> list[Article]:
    """Sort by event time (published_at, else a recorded received_at); articles with
    neither go last, in input order: they arrive now, so they are the newest."""
    articles = list(articles)
    timed = [a for a in articles if a.event_time is not None]
    untimed = [a for a in articles if a.event_time is None]
    return sorted(timed, key=lambda a: a.event_time) + untimed  # type: ignore[arg-type, return-value]
