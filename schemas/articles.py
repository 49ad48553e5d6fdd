"""Articles as they enter the pipeline, and what deduplication makes of them."""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

MAX_TEXT_CHARS = 200_000
"""Longest accepted article text; larger records are rejected, not truncated."""

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

    @model_validator(mode="after")
    def _derive_id(self) -> Article:
        if not self.text.strip():
            raise ValueError("text is empty")
        if self.id is None:
            basis = f"url:{self.url}" if self.url else f"text:{self.text}"
            self.id = hashlib.sha1(basis.encode()).hexdigest()[:16]
        return self

    @property
    def event_time(self) -> datetime | None:
        """The time the article's claims are ordered by: publication, else arrival."""
        return self.published_at or self.received_at


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


class DuplicateKind(StrEnum):
    EXACT_TEXT = "exact_text"
    CANONICAL_URL = "canonical_url"
    NEAR = "near"
