"""Alerts to subscribers (``alerts`` stream)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel

from schemas.status import Status


class AlertKind(StrEnum):
    STORY_NEW = "story_new"
    STATUS_CHANGED = "status_changed"


class Alert(BaseModel):
    """A new story, or a story whose status changed.

    ``alert_id`` is derived from the story, the transition and the article that caused it,
    so a re-delivered message can never alert twice.
    """

    alert_id: str
    kind: AlertKind
    story_id: str
    story_title: str
    from_status: Status | None = None
    to_status: Status
    evidence: str
    article_id: str
    source: str | None = None
    url: str | None = None
    attributed_to: str | None = None
    sources_count: int = 1
    confidence: float = 1.0
    event_time: datetime
    published_at: datetime | None = None
    received_at: datetime | None = None
