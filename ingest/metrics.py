"""Prometheus counters of ingest, on the default registry served at ``/metrics``.

``result`` is ``ok`` or ``error`` for records; every record a reader yields is
counted once, so errors are never silent.
"""

from __future__ import annotations

from prometheus_client import Counter

RECORDS = Counter(
    "storywatch_ingest_records_total",
    "Records read by ingest, by kind of source (file, jsonl, seed, html, feed, http) and result (ok, error).",
    ["source_kind", "result"],
)
FEED_POLLS = Counter(
    "storywatch_ingest_feed_polls_total",
    "Feed polls by result: ok, not_modified (304), error.",
    ["result"],
)
PAGE_FETCHES = Counter(
    "storywatch_ingest_page_fetches_total",
    "Article pages fetched for feed items that carry only a summary, by result.",
    ["result"],
)
SOURCE_ERRORS = Counter(
    "storywatch_ingest_source_errors_total",
    "Errors per configured source (feed URL or path): failed polls, bad items, failed page fetches.",
    ["source"],
)
INTAKE_REQUESTS = Counter(
    "storywatch_ingest_http_requests_total",
    "Requests to POST /articles by response status.",
    ["status"],
)

DATES_REPLACED = Counter(
    "storywatch_ingest_dates_replaced_total",
    "Publication dates replaced by the arrival time: future (beyond arrival + 15 min), before_1990, out_of_range (no UTC instant).",
    ["reason"],
)
for _reason in ("future", "before_1990", "out_of_range"):
    DATES_REPLACED.labels(_reason)


def count_record(source_kind: str, ok: bool) -> None:
    """Count one record read from a source of ``source_kind``."""
    RECORDS.labels(source_kind, "ok" if ok else "error").inc()
