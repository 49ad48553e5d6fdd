"""The status decision of a story, from its timeline of claims (pure).

The rule, in one paragraph: a story's claims are ordered by event time (the article's
publication, else its arrival). Claims asked as questions (confidence below
``MIN_CONFIDENCE``) never count. The first claim sets the status; each later claim that
differs may replace it. A claim that moves the story forward in its life
(planned -> postponed/on hold -> cancelled/took place, or sideways) replaces it unless
more independent sources reaffirmed the current status since the new one was first
reported; a claim that moves it back (e.g. cancelled -> planned) needs more independent
sources than the current status has within ``WINDOW``; ties keep the current status, so
conflicting sources cannot make the story flap. Background claims (recounted older
events) only ever move a story forward. Sources are independent when their agency (else
outlet) differs; a source counts with its latest claim only. An article older than the
newest claim only fills in the timeline: it never changes the status (see
``story_tracking``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from schemas import Status, TimelineEntry

WINDOW = timedelta(hours=48)
"""How far back conflicting claims are weighed against each other."""
MIN_CONFIDENCE = 0.4
"""Claims below this (questions) are kept in the timeline but never decide."""

STAGE = {Status.PLANNED: 0, Status.POSTPONED: 1, Status.ON_HOLD: 1, Status.CANCELLED: 2, Status.TOOK_PLACE: 2}
"""How far along its life a status puts an event: moving to a lower stage is going back."""


@dataclass(frozen=True)
class Decision:
    """The status a timeline supports, since when, and the claim that set it."""

    status: Status
    since: datetime
    basis: TimelineEntry
    sources: int


def source_key(entry: TimelineEntry) -> str:
    """What makes two claims independent: agency, else outlet, else the article."""
    return entry.agency or entry.source or entry.article_id


def counted(timeline: list[TimelineEntry]) -> list[TimelineEntry]:
    """The claims that take part in the decision, in event-time order."""
    return sorted((e for e in timeline if e.confidence >= MIN_CONFIDENCE), key=lambda e: (e.at, e.article_id, e.status.value))


def is_backward(current: Status, new: Status) -> bool:
    return STAGE[new] < STAGE[current]


def _latest_by_source(entries: list[TimelineEntry]) -> dict[str, TimelineEntry]:
    latest: dict[str, TimelineEntry] = {}
    for entry in entries:
        latest[source_key(entry)] = entry
    return latest


def _wins(claim: TimelineEntry, current: Status, window: list[TimelineEntry]) -> bool:
    """Does ``claim`` take over from ``current`` given the claims in the window?"""
    latest = _latest_by_source(window)
    challengers = sum(1 for e in latest.values() if e.status == claim.status)
    if is_backward(current, claim.status):
        defenders = sum(1 for e in latest.values() if e.status == current)
    else:
        first = min(e.at for e in window if e.status == claim.status)
        defenders = sum(1 for e in latest.values() if e.status == current and e.at >= first)
    return challengers > defenders


def decide(timeline: list[TimelineEntry]) -> Decision | None:
    """Fold the timeline in event-time order into one status (None if nothing counts)."""
    claims = counted(timeline)
    if not claims:
        return None
    basis = claims[0]
    for i, claim in enumerate(claims[1:], start=1):
        if claim.status == basis.status or (claim.background and is_backward(basis.status, claim.status)):
            continue
        window = [e for e in claims[: i + 1] if claim.at - e.at <= WINDOW]
        if _wins(claim, basis.status, window):
            basis = claim
    return Decision(basis.status, basis.at, basis, sources_for(claims, basis.status))


def sources_for(claims: list[TimelineEntry], status: Status) -> int:
    """Independent sources whose latest claim is ``status``."""
    return max(1, sum(1 for e in _latest_by_source(claims).values() if e.status == status))


def newest_claim(timeline: list[TimelineEntry]) -> datetime | None:
    """Event time of the newest counted claim: what a late article is compared with."""
    claims = counted(timeline)
    return claims[-1].at if claims else None
