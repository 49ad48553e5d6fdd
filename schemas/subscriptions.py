"""Subscriptions: which alerts someone wants (a filter) and where they go (a target).

Managed with ``storywatch subscribe`` and ``/subscriptions``; stored in Redis. The same
filter, given as query parameters, selects the alerts of ``GET /alerts/stream``.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from schemas.alerts import AlertKind
from schemas.status import Status

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

_TRANSITION = re.compile(r"^(\*|new|[a-z_]+)->(\*|[a-z_]+)$")
_STATUSES = {s.value for s in Status}


class AlertFilter(BaseModel):
    """Which alerts match: every condition given must hold; within one list any value will do.

    An empty filter matches every alert.
    """

    model_config = ConfigDict(extra="forbid")

    actors: list[Name] = Field(default_factory=list, description="a participant's name, or words of it (Putin matches Vladimir Putin); case-insensitive")
    event_types: list[Name] = Field(default_factory=list, description="summit, match, strike, ...")
    kinds: list[AlertKind] = Field(default_factory=list, description="story_new or status_changed")
    statuses: list[Status] = Field(default_factory=list, description="the status the story changed to")
    transitions: list[str] = Field(default_factory=list, description="from->to, e.g. planned->cancelled, *->cancelled, new->planned")
    countries: list[Name] = Field(default_factory=list)
    places: list[Name] = Field(default_factory=list)
    languages: list[Name] = Field(default_factory=list, description="ISO 639-1 of the article behind the alert: en, de, ...")
    story_ids: list[Name] = Field(default_factory=list)
    min_sources: int = Field(default=0, ge=0, description="at least this many independent sources behind the new status")
    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0)

    @field_validator("transitions")
    @classmethod
    def _transitions(cls, values: list[str]) -> list[str]:
        out = []
        for value in values:
            text = value.strip().lower().replace(" ", "")
            match = _TRANSITION.match(text)
            if not match or not all(p in _STATUSES | {"*", "new"} for p in match.groups()) or match.group(2) == "new":
                raise ValueError(f"transition {value!r} is not FROM->TO with statuses {', '.join(sorted(_STATUSES))}, new (as FROM) or *")
            out.append(text)
        return out


class TargetFormat(StrEnum):
    JSON = "json"
    """The alert as JSON, signed (the default)."""
    SLACK = "slack"
    """``{"text": ...}``: a Slack (or Mattermost, Rocket.Chat) incoming webhook."""
    NTFY = "ntfy"
    """A plain-text message with Title/Tags/Click headers, POSTed to an ntfy topic URL."""


class SubscriptionRequest(BaseModel):
    """What a client sends to create a subscription."""

    model_config = ConfigDict(extra="forbid")

    url: AnyHttpUrl = Field(description="where alerts are POSTed")
    format: TargetFormat = TargetFormat.JSON
    filter: AlertFilter = Field(default_factory=AlertFilter)
    secret: Annotated[str, StringConstraints(min_length=16, max_length=200)] | None = Field(
        default=None, description="HMAC key of the signature header; generated when not given"
    )
    description: Annotated[str, StringConstraints(max_length=500)] = ""
    from_start: bool = Field(default=False, description="also deliver the alerts already on the stream")


class Subscription(BaseModel):
    """A stored subscription. ``secret`` signs every delivery; listings leave it out."""

    id: str
    url: str
    format: TargetFormat = TargetFormat.JSON
    filter: AlertFilter = Field(default_factory=AlertFilter)
    secret: str
    description: str = ""
    created_at: datetime

    def public(self) -> dict[str, object]:
        """The subscription as shown to clients: without its secret."""
        return self.model_dump(mode="json", exclude={"secret"})
