"""Events that an article reports (``events`` stream)."""

from __future__ import annotations

from datetime import date

from pydantic import AwareDatetime, BaseModel, Field

from schemas.status import Status


class EventMention(BaseModel):
    """One scheduled event as one article reports it, with the status it claims.

    ``type`` is an open vocabulary from the extraction lexicons (``summit``, ``meeting``,
    ``talks``, ``visit``, ``call``, ``match``, ``strike``, ...). ``actors`` are canonical
    names, sorted. ``background`` marks a mention that recounts older events (pluperfect,
    "zuletzt", "damals") rather than the article's news.
    """

    type: str
    actors: list[str] = Field(default_factory=list)
    location: str | None = None
    event_date: date | None = None
    status: Status
    cue: str = Field(description="the words that carry the status")
    evidence: str = Field(description="the sentence the mention comes from")
    negated: bool = False
    modality: str | None = Field(default=None, description="hedge word when the claim is only possible")
    attributed_to: str | None = Field(default=None, description="who makes the claim, when reported speech")
    background: bool = False
    in_lead: bool = Field(default=False, description="from the headline or lead")
    parent_type: str | None = Field(default=None, description="type of the event this one prepares, for sub-events")
    edition: str | None = Field(
        default=None,
        description="which round or edition the report names: an ordinal (\"7\" of \"the seventh round\", \"die 70. Berlinale\") "
        "or a year (\"2021\" of \"Wimbledon 2021\"); None when it names none",
    )
    confidence: float = 1.0


class ArticleEvents(BaseModel):
    """The extraction result of one unique article: its metadata and event mentions."""

    article_id: str
    source: str | None = None
    url: str | None = None
    agency: str | None = Field(default=None, description="news agency behind the article; copies of one agency count as one source")
    title: str | None = None
    language: str | None = Field(default=None, description="the article's language (ISO 639-1), as extraction read it")
    published_at: AwareDatetime | None = None
    received_at: AwareDatetime | None = None
    event_time: AwareDatetime = Field(description="with its time zone: a time without one is rejected, it cannot be ordered against the others")
    events: list[EventMention] = Field(default_factory=list)
    duplicate_of: str | None = Field(
        default=None, description="set on a copy: it carries no events; its outlet corroborates the original's stories"
    )
    tracked: list[int] | None = Field(
        default=None,
        description="with several partitions, the indexes of the events this message's partition files (the others "
        "belong to stories of another event family, kept in another partition); None: every event",
    )
    part: int = Field(
        default=0, ge=0,
        description="0 on the message that gives the article its outcome; 1.. on the further messages of an article "
        "whose events are filed in several partitions",
    )

    def tracked_events(self) -> list[EventMention]:
        """The events this message's partition files."""
        return self.events if self.tracked is None else [self.events[i] for i in self.tracked if 0 <= i < len(self.events)]
