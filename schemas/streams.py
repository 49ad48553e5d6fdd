"""Every Redis key storywatch reads or writes: the only place their names are built.

The pipeline is a chain of Redis streams, each read by one consumer group named after
its stage (the stages themselves are declared in ``consumers.stages``)::

    articles --dedup--> articles.unique --extract--> events --track--> alerts
        \\                                                   \\
         +--> outcomes (duplicate / rejected)                 +--> outcomes (processed)

Every article ends with exactly one entry in ``outcomes``; a message that fails
repeatedly goes to ``<stream>.dlq`` instead (and gets a ``dead_lettered`` outcome).
Every other key starts with ``KEY_PREFIX``; the functions below build them.
"""

import base64
import hashlib
from functools import lru_cache
from typing import Final

import xxhash

ARTICLES: Final = "articles"
UNIQUE: Final = "articles.unique"
EVENTS: Final = "events"
ALERTS: Final = "alerts"
OUTCOMES: Final = "outcomes"

DATA_FIELD: Final = "__data__"
"""The stream-entry field that holds the JSON body (FastStream's field name)."""

KEY_PREFIX: Final = "sw"
"""Prefix of every non-stream key storywatch writes (dedup index, stories, alert ids)."""


def dlq_stream(stream: str) -> str:
    """Dead-letter stream of an input stream."""
    return f"{stream}.dlq"


# --- accounting ------------------------------------------------------------------

OUTCOME_COUNTS: Final = f"{KEY_PREFIX}:stats:outcomes"
"""Hash: outcome kind -> number of articles, kept in the same transactions as the outcomes."""

REPLAYS: Final = f"{KEY_PREFIX}:stats:replays"
"""Hash: input stream -> entries re-injected from its dead letters (for the in-flight count)."""


def replay_marks_key(stream: str) -> str:
    """Hash: entry id of a dead letter replayed onto ``stream`` -> the original entry id.
    Written only by ``dlq replay``, so a producer cannot pass its entry off as a replay."""
    return f"{KEY_PREFIX}:replayed:{stream}"


def failures_key(stage: str) -> str:
    """Hash: entry id -> the last error a stage recorded for it (for its dead letter)."""
    return f"{KEY_PREFIX}:failures:{stage}"


def suspects_key(stage: str) -> str:
    """Hash: entry id -> set while the entry, past its deliveries, is tried alone in its
    process; an entry found here again killed its process on its own."""
    return f"{KEY_PREFIX}:suspects:{stage}"


def relay_marker_key(relay: str) -> str:
    """String: set when a message bound for another partition was relayed (so never twice)."""
    return f"{KEY_PREFIX}:relayed:{relay}"


def outbox_key(stage: str) -> str:
    """Hash: effect key -> the after-commit effect a stage still has to carry out."""
    return f"{KEY_PREFIX}:outbox:{stage}"


# --- dedup -----------------------------------------------------------------------

def dedup_tag(version: str) -> str:
    """Hash-tagged prefix of every dedup index key of one fingerprint version and layout
    (one Cluster slot)."""
    return "{" + f"{KEY_PREFIX}:dd:{version}" + "}"


# --- stories ---------------------------------------------------------------------

def story_key(story_id: str) -> str:
    """String: one story's head, a JSON array (``consumers.story_store.encode_head``),
    packed once the story is archived (``pack_head``)."""
    return f"{KEY_PREFIX}:story:{story_id}"


STORY_INDEX_MARK: Final = ":ix:"
"""Part of every story index key, so that a scan for stories can skip the index."""
OLD_STORY_INDEX: Final = f"{KEY_PREFIX}:story{STORY_INDEX_MARK}"
"""Prefix of the index keys of releases that named them by their term in full
(``consumers.story_store.ensure_index`` rebuilds them under ``story_index_key``)."""
STORY_INDEX_FORM: Final = f"{KEY_PREFIX}:story-index"
"""String: set once the index is in ``story_index_key``'s form (``INDEX_FORM``)."""


@lru_cache(maxsize=1 << 16)
def story_index_key(term: str, date_bucket: int | None = None) -> str:
    """Sorted set: the stories of one index term (and scheduled-date bucket), scored by
    their last report. Named by the term's 64-bit xxh3 hash (11 characters), not the
    term (~30): a story is filed under ~30 keys, and a key of one or two stories costs
    about as much for its name as for them. Remembered: terms recur across stories. Two
    terms sharing a name (a pair is expected only past ~4·10^9 keys) would only add
    stories that matching rejects (and that take places among the key's latest)."""
    bucket = "" if date_bucket is None else f":d{date_bucket}"
    digest = xxhash.xxh3_64_digest(f"{term}{bucket}".encode())
    return f"{KEY_PREFIX}{STORY_INDEX_MARK}{base64.urlsafe_b64encode(digest)[:11].decode()}"


LAYOUT: Final = f"{KEY_PREFIX}:layout"
"""String: the partition count the deployment's data is laid out in (``partitions=6``),
written once by the first worker; a worker given another count refuses to start."""


OPS_LEADER_KEY: Final = f"{KEY_PREFIX}:ops:leader"
"""String: the process that exports server-wide gauges and trims streams (a short lease)."""


def timeline_key(story_id: str) -> str:
    """List: every claim of one story, appended in arrival order (the head keeps a window)."""
    return f"{KEY_PREFIX}:timeline:{story_id}"


STORIES_HOT: Final = f"{KEY_PREFIX}:stories:hot"
"""Sorted set: live stories by the time they go cold (what archiving walks): the
story's silence (``cold_from``: the later of its last change and its scheduled date)
plus the silence allowed."""
STORIES_ARCHIVED: Final = f"{KEY_PREFIX}:stories:archived"
"""Sorted set: archived stories (head and timeline kept) by when their silence began (``cold_from``)."""
STORIES_COMPACTED: Final = f"{KEY_PREFIX}:stories:compacted"
"""Sorted set: compacted stories (a reduced head only) by when their silence began (``cold_from``)."""
STORIES_CLOCK: Final = f"{KEY_PREFIX}:stories:clock"
"""Sorted set of one member: the newest story change (``stamp``, ms) tracked, the
stories' own clock that retention runs on (``storywatch.retention.story_clock``)."""


def filed_key(article_id: str) -> str:
    """String: the stories an article was filed under (what its copies corroborate)."""
    return f"{KEY_PREFIX}:filed:{article_id}"


def copies_key(article_id: str) -> str:
    """Hash: outlets of copies that arrived before their original was tracked."""
    return f"{KEY_PREFIX}:copies:{article_id}"


# --- ingest ----------------------------------------------------------------------

def _source_hash(source: str) -> str:
    return hashlib.sha1(source.encode()).hexdigest()[:16]


def feed_state_key(source: str) -> str:
    """Hash: a feed's ETag, Last-Modified, error count and last poll."""
    return f"{KEY_PREFIX}:ingest:feed:{_source_hash(source)}"


def feed_seen_key(source: str) -> str:
    """Set: the item keys of a feed already published."""
    return f"{KEY_PREFIX}:ingest:seen:{_source_hash(source)}"


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
