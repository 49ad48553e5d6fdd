"""The status vocabulary of a scheduled event: the top level of the wire contract.

Finer detail (announced vs. in preparation, certainty, who claims it) lives in the
attributes of an :class:`schemas.events.EventMention`, never in new statuses, so that
subscribers can rely on these five values.
"""

from enum import StrEnum


class Status(StrEnum):
    PLANNED = "planned"
    POSTPONED = "postponed"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"
    TOOK_PLACE = "took_place"
