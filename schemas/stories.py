"""A story: one scheduled event followed over time, with its status timeline."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from schemas.status import Status


class TimelineEntry(BaseModel):
    """One report of the story's status, ordered by ``at`` (the article's event time)."""

    status: Status
    at: datetime
    article_id: str
    source: str | None = None
    agency: str | None = None
    url: str | None = None
    evidence: str = ""
    attributed_to: str | None = None
    background: bool = False
    confidence: float = 1.0


class Story(BaseModel):
    """One story: its identity, status and claims.

    Identity is type + participants + place (+ time window) + edition where reports name
    one, never the status: a status change updates the story, it does not fork it.

    A story read for display holds its whole ``timeline`` and ``article_ids``. The
    ``track`` stage keeps a small *head* in Redis instead, whose ``timeline`` (and
    ``article_ids``) are only the recent claims the next status decision reads; the full
    timeline is an append-only list beside it (``consumers.story_store``).
    """

    story_id: str
    title: str
    type: str
    actors: list[str] = Field(default_factory=list)
    location: str | None = None
    event_date: date | None = None
    parent_id: str | None = None
    status: Status
    status_since: datetime
    timeline: list[TimelineEntry] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list, description="distinct sources that reported it")
    corroborated_by: list[str] = Field(
        default_factory=list, description="outlets that carried copies of its articles: corroboration, not independent claims"
    )
    article_ids: list[str] = Field(default_factory=list)
    version: int = 0
    reports: int = Field(default=0, description="claims ever filed (the timeline's full length)")
    source_status: dict[str, Status] = Field(
        default_factory=dict, description="each independent source's latest counted claim: what the status decision counts"
    )
    stamp: int = Field(default=0, description="last change, ms: the last report's event time, bumped on every change")
    announced: bool = Field(
        default=True, description="false while the story is known only from recounted background: filed, never alerted"
    )
    edition: str | None = Field(
        default=None,
        description="the round or edition its reports name (an ordinal \"7\" or a year \"2021\"); None until one does. "
        "A report naming another edition of the same kind is another story",
    )
