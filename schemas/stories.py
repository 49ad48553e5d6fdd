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
    """The state of one story as the ``track`` stage keeps it in Redis.

    Identity is type + participants + place (+ time window), never the status: a status
    change updates the story, it does not fork it.
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
    announced: bool = Field(
        default=True, description="false while the story is known only from recounted background: filed, never alerted"
    )
