"""Which partition a stage's output goes to (with one partition, always partition 0).

Articles are spread by id (``ingest.publisher``) and stay in their partition through
dedup and extraction. Tracking must see every report of one story in one place, so an
article's events go to the partition of their *story key*: their event family. A story
only ever takes mentions of its own family (``story_tracking``), so this is exact: one
story is always tracked in one partition, by one consumer at a time, and track scales
without cross-worker conflicts.

An article whose events are of families kept in different partitions is sent to each of
them: every message carries all its events and names those its partition files
(``tracked``); the one with the article's first event gives the article its outcome, the
others record a ``filed`` outcome of their own. So a partitioned deployment files every
event where one server would (the stories come out the same). One decision reads across
families: a new story is not announced when the same article tells that turn as a claim
of another family (``story_tracking.told_alongside``); it reads that claim from the
message (every partition gets all the article's events), never from the other family's
stories, which live in another partition: the alerts come out the same too.

What it costs: a finer key (family x participant) would spread better, but mentions of
one story need not share any one participant word ("Biden meets Xi", "Xi's summit"), so
it would fork stories; the family key is the finest exact one, so track's parallelism is
bounded by the spread of families (meetings are the largest share of the news mix).
An article without events (most of the news) stays in its own partition (that of its
id): it only gets its outcome there; a copy without events goes to its original's. A
copy with ``P > 1`` goes through extraction like an original (its original's partition
is known only from the events), so it is routed and split by the same keys.
"""

from __future__ import annotations

from pydantic import BaseModel

from schemas import ArticleEvents
from schemas.partitions import Partitioning
from schemas.streams import EVENTS


def _family_key(event_type: str) -> str:
    from consumers.story_tracking import family  # loads the lexicons: only when routing

    return f"family:{family(event_type)}"


def route_output(stream: str, message: BaseModel, partitioning: Partitioning, own: int) -> list[tuple[int, BaseModel]]:
    """The partitions of one output, with the message each gets: events by story key
    (split by partition when their families are kept apart), everything else stays."""
    if partitioning.single or stream != EVENTS or not isinstance(message, ArticleEvents):
        return [(own, message)]
    if not message.events:
        return [(partitioning.of(message.duplicate_of or message.article_id), message)]
    by_partition: dict[int, list[int]] = {}
    for index, event in enumerate(message.events):
        by_partition.setdefault(partitioning.of(_family_key(event.type)), []).append(index)
    if len(by_partition) == 1:
        return [(next(iter(by_partition)), message)]
    return [
        (target, message.model_copy(update={"tracked": indexes, "part": part}))
        for part, (target, indexes) in enumerate(by_partition.items())  # first: the first event's
    ]
