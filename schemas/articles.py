"""Articles as they enter the pipeline, and what deduplication makes of them."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

MAX_TEXT_CHARS = 200_000
"""Longest accepted article text; larger records are rejected, not truncated."""

FUTURE_SKEW = timedelta(minutes=15)
"""How far past its arrival an article's publication date may lie (clocks and time zones differ)."""
EARLIEST_PUBLICATION = datetime(1990, 1, 1, tzinfo=UTC)
"""A live article dated before this is taken for a wrong date, not for history."""

_Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[\w.:@/+-]+$")]


class Article(BaseModel):
    """One news article: the input contract of the ``articles`` stream.

    ``id`` is kept everywhere when given; otherwise it is derived from the URL, or from
    the text when there is no URL, so publishing the same record twice gives the same id.
    ``received_at`` is stamped by the producer; it stands in for ``published_at`` when
    the article carries no date (``date_from_arrival`` then says so).
    """

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    id: _Id | None = None
    url: Annotated[str, StringConstraints(max_length=4096)] | None = None
    source: Annotated[str, StringConstraints(max_length=200)] | None = None
    published_at: AwareDatetime | None = None
    language: Annotated[str, StringConstraints(max_length=16)] | None = None
    title: Annotated[str, StringConstraints(max_length=2000)] | None = None
    text: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS)]
    agency: Annotated[str, StringConstraints(max_length=100)] | None = None
    lead: Annotated[str, StringConstraints(max_length=2000)] | None = None
    received_at: AwareDatetime | None = None
    date_from_arrival: bool = False
    published_at_claimed: Annotated[str, StringConstraints(max_length=64)] | None = None
    """The date the record claimed when it was implausible (see ``plausible_publication``)
    and replaced by the arrival time; kept as text, as it may not even be a UTC instant."""

    @model_validator(mode="after")
    def _derive_id(self) -> Article:
        if not self.text.strip():
            raise ValueError("text is empty")
        if self.received_at is not None and not representable(self.received_at):
            raise ValueError(f"received_at {self.received_at.isoformat()} lies outside the years 1 to 9999 in UTC")
        if self.published_at is not None:
            published, problem = plausible_publication(self.published_at, self.received_at)
            if problem:
                self.published_at_claimed = self.published_at.isoformat()
                self.published_at = published
        if self.id is None:
            basis = f"url:{self.url}" if self.url else f"text:{self.text}"
            self.id = hashlib.sha1(basis.encode()).hexdigest()[:16]
        return self

    @property
    def event_time(self) -> datetime | None:
        """The time the article's claims are ordered by: publication, else arrival."""
        return self.published_at or self.received_at


def representable(value: datetime) -> bool:
    """True when the instant exists in UTC (``9999-12-31T23:59:59-12:00`` does not)."""
    try:
        value.astimezone(UTC)
    except OverflowError:
        return False
    return True


def plausible_publication(published_at: datetime, received_at: datetime | None) -> tuple[datetime | None, str | None]:
    """(the publication date to use, why the claimed one was replaced, or None) (pure).

    A date later than the arrival plus ``FUTURE_SKEW`` cannot be true, and one before
    ``EARLIEST_PUBLICATION`` is a placeholder or an error; either would reorder a story
    (a "9999-12-31" report outranks every real one), so the arrival time stands in
    (None before arrival is stamped: the producer then stamps it). A date with no UTC
    instant (``9999-12-31T23:59:59-12:00``) would crash whatever converts it: likewise.
    """
    if not representable(published_at):
        return received_at, "out_of_range"
    if published_at < EARLIEST_PUBLICATION:
        return received_at, "before_1990"
    if received_at is not None and published_at > received_at + FUTURE_SKEW:
        return received_at, "future"
    return published_at, None


def claim_reason(claimed: str, received_at: datetime | None) -> str:
    """Why a claimed date (``Article.published_at_claimed``) was replaced, for metrics (pure)."""
    try:
        value = datetime.fromisoformat(claimed)
    except ValueError:
        return "out_of_range"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return plausible_publication(value, received_at)[1] or "future"


class StreamArticle(Article):
    """An article as it stands on the ``articles`` stream: the whole Article contract plus
    a time to order its claims by (``received_at``, stamped by the publisher, or
    ``published_at``).

    The first stage checks all of it, so a record a later stage would refuse is rejected
    before it enters the dedup index (where a corrected resend would otherwise be taken
    for a copy of it).
    """

    @model_validator(mode="after")
    def _has_a_time(self) -> StreamArticle:
        if self.event_time is None:
            raise ValueError("article has neither published_at nor received_at")
        return self


class UniqueArticle(BaseModel):
    """An article that passed deduplication (``articles.unique``)."""

    article: StreamArticle
    text_hash: str = Field(description="hash of the normalised text, the exact-duplicate key")
    duplicate_of: str | None = Field(
        default=None,
        description="set on a copy in a partitioned layout: extracted only to find its story's partition, then tracked as a copy",
    )


class DuplicateKind(StrEnum):
    EXACT_TEXT = "exact_text"
    CANONICAL_URL = "canonical_url"
    NEAR = "near"
