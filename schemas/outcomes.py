"""Accounting: what became of every article, and messages that could not be processed."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from schemas.articles import DuplicateKind


class OutcomeKind(StrEnum):
    PROCESSED = "processed"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    DEAD_LETTERED = "dead_lettered"
    FILED = "filed"
    """Not an article's outcome: the events of a processed article that belong to stories
    kept in another partition were filed there (``stories`` names theirs)."""


TERMINAL = tuple(k for k in OutcomeKind if k is not OutcomeKind.FILED)
"""The kinds of which every article gets exactly one."""


class Outcome(BaseModel):
    """The one terminal outcome of an article (``outcomes`` stream), or a ``filed`` record
    for the part of its events filed in another partition.

    ``stories`` maps the article's event index to the story it was filed under (None for
    events not filed by this message).
    """

    article_id: str
    kind: OutcomeKind
    stage: str
    duplicate_of: str | None = None
    similarity: float | None = None
    duplicate_kind: DuplicateKind | None = None
    error: str | None = None
    stories: list[str | None] = Field(default_factory=list, exclude_if=lambda stories: not stories)
    """Not written when empty (most articles report no event; outcomes are kept for days)."""
    entry_id: str | None = Field(default=None, description="the input stream entry, for duplicates, rejected and dead-lettered")


class DeadLetter(BaseModel):
    """A message a stage gave up on (``<stream>.dlq``): the original entry and why."""

    stage: str
    stream: str
    entry_id: str
    error: str
    deliveries: int
    fields: dict[str, Any]
    outcome: bool = Field(default=True, description="whether this letter gave its article the dead_lettered outcome (a copy record's article has its outcome already)")
