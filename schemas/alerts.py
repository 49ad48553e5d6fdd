"""Alerts to subscribers (``alerts`` stream)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from schemas.status import Status


class AlertKind(StrEnum):
    STORY_NEW = "story_new"
    STATUS_CHANGED = "status_changed"


ALERT_SCHEMA_VERSION = 2
"""Raised when a field changes meaning or goes away; new optional fields keep the version."""


class Alert(BaseModel):
    """A new story, or a story whose status changed.

    Self-describing: what happened (event type, participants, place, date, story title),
    the transition, the evidence and its sources travel in the alert, so a subscriber can
    filter and render it without reading the service's internal keys. ``alert_id`` is
    derived from the story, the transition and the article that caused it, so a
    re-delivered message can never alert twice (use it as the idempotency key).
    """

    model_config = ConfigDict(json_schema_extra={"$id": "urn:storywatch:schema:alert"})

    schema_version: int = ALERT_SCHEMA_VERSION
    alert_id: str
    kind: AlertKind
    story_id: str
    story_title: str
    event_type: str | None = Field(default=None, description="the story's kind of event: summit, match, strike, launch, ...")
    actors: list[str] = Field(default_factory=list, description="the story's participants")
    location: str | None = Field(default=None, description="the story's place, when known")
    country: str | None = Field(default=None, description="the country of the story's place, when the gazetteer knows it")
    language: str | None = Field(default=None, description="language (ISO 639-1) of the article behind the alert")
    event_date: date | None = Field(default=None, description="the scheduled date, when known")
    parent_id: str | None = Field(default=None, description="the story this one prepares (a preparatory meeting's summit)")
    from_status: Status | None = None
    to_status: Status
    evidence: str
    article_id: str
    source: str | None = None
    url: str | None = None
    attributed_to: str | None = None
    sources_count: int = Field(default=1, description="independent sources behind the new status")
    sources: list[str] = Field(default_factory=list, description="outlets that reported the story so far")
    confidence: float = 1.0
    event_time: datetime
    published_at: datetime | None = None
    received_at: datetime | None = None
