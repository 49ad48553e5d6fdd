"""Which partition a stage's output goes to (with one partition, always partition 0).

Articles are spread by id (``ingest.publisher``) and stay in their partition through
dedup and extraction. Tracking must see every report of one story in one place, so
an article's events go to the partition of their *story key*: the event family of its
first mention. A story only ever takes mentions of its own family (``story_tracking``),
so this is exact: one story is always tracked in one partition, by one consumer at a
time, and track scales without cross-worker conflicts.

What it costs: a finer key (family x participant) would spread better, but mentions of
one story need not share any one participant word ("Biden meets Xi", "Xi's summit"), so
it would fork stories; the family key is the finest exact one, so track's parallelism is
bounded by the spread of families (meetings are the largest share of the news mix). An
article whose mentions are of several families is tracked in its first family's
partition; its other mentions meet only the stories of their family kept there.
An article without events (most of the news) stays in its own partition (that of its
id): it only gets its outcome there; a copy without events goes to its original's. A copy with ``P > 1`` goes through extraction like an original (its
original's partition is known only from the events), so it is routed by the same key.
"""

from __future__ import annotations

from pydantic import BaseModel

from schemas import ArticleEvents
from schemas.partitions import Partitioning
from schemas.streams import EVENTS


def story_route(message: ArticleEvents) -> str | None:
    """The routing key of an article's events (None when it reports none)."""
    from consumers.story_tracking import family  # loads the lexicons: only when routing

    return f"family:{family(message.events[0].type)}" if message.events else None


def route_output(stream: str, message: BaseModel, partitioning: Partitioning, own: int) -> int:
    """The partition of one output: events by story key, everything else stays."""
    if partitioning.single or stream != EVENTS or not isinstance(message, ArticleEvents):
        return own
    key = story_route(message) or message.duplicate_of or message.article_id
    return partitioning.of(key)
