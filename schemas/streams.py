"""Stream, consumer-group and key names: the only place they are spelled out.

The pipeline is a chain of Redis streams, each read by one consumer group::

    articles --dedup--> articles.unique --extract--> events --track--> alerts
        \\                                                   \\
         +--> outcomes (duplicate / rejected)                 +--> outcomes (processed)

Every article ends with exactly one entry in ``outcomes``; a message that fails
repeatedly goes to ``<stream>.dlq`` instead (and gets a ``dead_lettered`` outcome).
"""

from typing import Final

ARTICLES: Final = "articles"
UNIQUE: Final = "articles.unique"
EVENTS: Final = "events"
ALERTS: Final = "alerts"
OUTCOMES: Final = "outcomes"

DEDUP_GROUP: Final = "dedup"
EXTRACT_GROUP: Final = "extract"
TRACK_GROUP: Final = "track"

STAGE_INPUT: Final[dict[str, tuple[str, str]]] = {
    "dedup": (ARTICLES, DEDUP_GROUP),
    "extract": (UNIQUE, EXTRACT_GROUP),
    "track": (EVENTS, TRACK_GROUP),
}
"""stage name -> (stream it reads, its consumer group)."""

STAGES: Final = tuple(STAGE_INPUT)

DATA_FIELD: Final = "__data__"
"""The stream-entry field that holds the JSON body (FastStream's field name)."""

KEY_PREFIX: Final = "sw"
"""Prefix of every non-stream key storywatch writes (dedup index, stories, alert ids)."""


def dlq_stream(stream: str) -> str:
    """Dead-letter stream of an input stream."""
    return f"{stream}.dlq"


ALL_STREAMS: Final = (ARTICLES, UNIQUE, EVENTS, ALERTS, OUTCOMES, *(dlq_stream(s) for s, _ in STAGE_INPUT.values()))


# --- subscriptions and delivery ----------------------------------------------------

SUBSCRIPTIONS: Final = f"{KEY_PREFIX}:subscriptions"
"""Hash: subscription id -> the subscription as JSON."""


def delivery_group(subscription_id: str) -> str:
    """The subscription's own consumer group on ``alerts``: a slow target holds up nobody else."""
    return f"deliver:{subscription_id}"


def delivery_due_key(subscription_id: str) -> str:
    """Sorted set: alert id -> when its next delivery attempt is due (ms since the epoch)."""
    return f"{KEY_PREFIX}:deliver:{subscription_id}:due"


def delivery_payload_key(subscription_id: str) -> str:
    """Hash: alert id -> the delivery still to be made (alert, entry id, attempts so far)."""
    return f"{KEY_PREFIX}:deliver:{subscription_id}:outbox"


def delivery_dlq(subscription_id: str) -> str:
    """Stream: deliveries the subscription's target never accepted (``dlq replay --subscription``).
    Under the key prefix, so the worker's ACL (``~sw:*``) covers it."""
    return f"{KEY_PREFIX}:deliver:{subscription_id}:dlq"
