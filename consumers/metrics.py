"""Prometheus metrics of every stage, on the default registry (names ``storywatch_*``).

Defined below the service shell so that the stages record their own work without
importing it; the shell only serves them (``/metrics``)."""

from __future__ import annotations

from prometheus_client import REGISTRY, Counter, Gauge, Histogram

MESSAGES_IN = Counter("storywatch_stage_messages_total", "Stream entries a stage received", ["stage"], registry=REGISTRY)
PROCESSED = Counter("storywatch_stage_processed_total", "Entries a stage finished and acknowledged", ["stage"], registry=REGISTRY)
ERRORS = Counter("storywatch_stage_errors_total", "Entries that failed in a stage (retried, then dead-lettered)", ["stage", "reason"], registry=REGISTRY)
REJECTED = Counter("storywatch_rejected_total", "Entries not in the wire contract", ["stage"], registry=REGISTRY)
DEAD_LETTERS = Counter("storywatch_dead_letters_total", "Entries moved to a dead-letter stream", ["stage"], registry=REGISTRY)
RECLAIMED = Counter("storywatch_reclaimed_total", "Pending entries taken over from an idle consumer", ["stage"], registry=REGISTRY)
RELAYED = Counter("storywatch_relayed_total", "Output messages relayed to another partition after the commit", ["stage"], registry=REGISTRY)
DEDUP_DECISIONS = Counter("storywatch_dedup_decisions_total", "Dedup verdicts", ["kind"], registry=REGISTRY)
DUPLICATES = Counter("storywatch_duplicates_total", "Articles dropped as copies", ["kind"], registry=REGISTRY)
SIMILARITY = Histogram(
    "storywatch_dedup_similarity_ratio", "Similarity (0..1) of near-duplicate matches", registry=REGISTRY,
    buckets=(0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99, 1.0),
)
DEDUP_INDEX_SIZE = Gauge("storywatch_dedup_index_articles", "Articles in the dedup index", registry=REGISTRY)
EXTRACT_OVER_BUDGET = Counter(
    "storywatch_extract_over_budget_total", "Articles whose extraction ran past its time budget and went on with the events found by then", registry=REGISTRY
)
EVENTS = Counter("storywatch_events_extracted_total", "Event mentions extracted", ["type", "status"], registry=REGISTRY)
ALERTS = Counter("storywatch_alerts_total", "Alerts published", ["kind", "transition"], registry=REGISTRY)
STAGE_SECONDS = Histogram(
    "storywatch_stage_batch_seconds", "Time a stage spends on one batch", ["stage"], registry=REGISTRY,
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
ALERT_LATENCY = Histogram(
    "storywatch_arrival_to_alert_seconds",
    "From an article's arrival (received_at, stamped as it is published onto the articles stream) to its alert",
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5),
)
DELIVERIES = Counter(
    "storywatch_deliveries_total", "Webhook delivery attempts by result: delivered, retry, dead_lettered, not_an_alert",
    ["subscription", "result"], registry=REGISTRY,
)
DELIVERY_LATENCY = Histogram(
    "storywatch_alert_to_delivery_seconds", "From an alert's publication to its target's 2xx answer (retries included)",
    registry=REGISTRY, buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300, 3600),
)
SSE_CLIENTS = Gauge("storywatch_sse_clients", "Open Server-Sent Events connections on /alerts/stream", registry=REGISTRY)
# Stream lengths, group pending/lag/oldest age, Redis memory and the last trim describe
# the shared server: storywatch.ops exports them from one process only (see there).

OPS_LEADER = Gauge("storywatch_ops_leader", "1 in the one process that exports the server-wide gauges and trims streams", registry=REGISTRY)
STORIES_RETIRED = Counter("storywatch_stories_retired_total", "Archived stories compacted or deleted by story retention", ["action"], registry=REGISTRY)
for _action in ("compacted", "deleted"):
    STORIES_RETIRED.labels(_action)
TRIMMED = Counter("storywatch_stream_trimmed_entries_total", "Entries removed from a stream by retention", ["stream"], registry=REGISTRY)
BUILD_INFO = Gauge("storywatch_build_info", "Always 1; the version and Python running", ["version", "python"], registry=REGISTRY)


def set_build_info(version: str) -> None:
    import platform

    BUILD_INFO.labels(version, platform.python_version()).set(1)


def start_stage_counters(stages: tuple[str, ...]) -> None:
    """Create every per-stage counter at 0, so that ``increase()`` sees its first event."""
    for stage in stages:
        for counter in (MESSAGES_IN, PROCESSED, REJECTED, DEAD_LETTERS, RECLAIMED):
            counter.labels(stage)
        for reason in ("processing", "infrastructure", "effect"):
            ERRORS.labels(stage, reason)
    ERRORS.labels("workers", "subscriber_stopped")
