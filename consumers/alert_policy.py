"""The alert policy: when one report is enough to tell a subscriber, and what waits (pure).

A subscriber acts on an alert, so a wrong one costs more than a late one: the policy says
which evidence alerts at once and which waits for a second independent source. Its
thresholds are data (``alert_policy.yaml``); the decisions here are pure functions of a
claim, its story and the number of sources behind it.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from schemas import EventMention, Status

POLICY_FILE = Path(__file__).with_name("alert_policy.yaml")


class AlertPolicy(BaseModel):
    """The thresholds of the policy (defaults as shipped in ``alert_policy.yaml``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    confirm_sources: int = Field(default=2, ge=1)
    move_at_once: Literal["named", "lead"] = "named"
    named_claim_confidence: float = Field(default=0.8, ge=0.0, le=1.0)
    announce_at_once: Literal["lead", "firm", "never"] = "lead"
    announce_from_lead_confidence: float = Field(default=0.8, ge=0.0, le=1.0)
    announce_after_reports: int = Field(default=2, ge=1)
    early_took_place_waits: bool = False
    announce_held_after_sources: int = Field(default=2, ge=1)
    undated_return_waits: bool = True
    repeated_turn_waits: bool = True


@cache
def alert_policy(path: Path = POLICY_FILE) -> AlertPolicy:
    """The policy in ``path``; a bad file is an error naming the file and the field."""
    try:
        return AlertPolicy.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(map(str, err['loc'])) or 'the file'}: {err['msg']}" for err in e.errors())
        raise ValueError(f"alert policy {path}: {problems}") from None
    except (ValueError, yaml.YAMLError) as e:
        raise ValueError(f"alert policy {path}: {e}") from e


def named_claim(m: EventMention, policy: AlertPolicy) -> bool:
    """Whether a claim names its event in its own clause (not borrowed from the article)."""
    return m.confidence >= policy.named_claim_confidence


def firm_move(m: EventMention, policy: AlertPolicy) -> bool:
    """Whether one report of a move is enough: a named claim, in the headline or lead
    when the policy asks for it. A turn told in passing deep in a report ("the vote,
    postponed last week, ...") is as often another event's or a misreading."""
    return named_claim(m, policy) and (m.in_lead or policy.move_at_once == "named")


def early_took_place(new: Status, event_date: object, at: datetime, policy: AlertPolicy) -> bool:
    """Whether a move to took_place comes before the story's own date: the event cannot
    have been held yet, so one report of it is a misreading until confirmed."""
    return policy.early_took_place_waits and new == Status.TOOK_PLACE and event_date is not None and at.date() < event_date


def undated_return(backward: bool, weak: bool, m: EventMention, policy: AlertPolicy) -> bool:
    """Whether a move back to planned (from a delay or call-off) rests on a weak cue
    without a date: "the two negotiators will meet for their next round", "the visit will
    celebrate the shared history", weeks after the call-off, tell of the event (or of the
    next round, another leg of the tour) as often as that it is on again. A decision to
    hold it after all gives its new date ("sets March 24 as the new date") or says so
    ("is on for", "findet statt"); without either, one report waits for a second source."""
    return policy.undated_return_waits and backward and weak and m.event_date is None


def repeated_turn(backward: bool, new: Status, left: set[Status], m: EventMention, policy: AlertPolicy) -> bool:
    """Whether a move on (a delay, hold or call-off), told only in the body of a report,
    takes the story again to a status it has left (``left``: the statuses reports gave
    it before its current one).

    A report on the new date of a delayed vote recalls "his last-minute postponement"; a
    report on the rescheduled visit recalls why it was put off. Told in passing, a turn
    the story already took is as often that turn recalled as a new one; a second delay
    that is news is told in the headline or lead, or by a second source. A return to
    planned is the usual end of a delay, not a repeat (``undated_return`` weighs it)."""
    return policy.repeated_turn_waits and not backward and not m.in_lead and new in left


def move_waits(m: EventMention, sources: int, doubtful: bool, policy: AlertPolicy) -> bool:
    """Whether a move the status rule accepts waits for confirmation before it alerts:
    it is not a firm report (``firm_move``) or it is doubtful on its own terms (an
    ``early_took_place``, an ``undated_return``, a ``repeated_turn``), and fewer than
    ``confirm_sources`` independent sources carry it."""
    return (doubtful or not firm_move(m, policy)) and sources < policy.confirm_sources


def firm_announcement(m: EventMention) -> bool:
    """A claim firm enough to announce a story from one headline: one that gives the
    event's date (a plan, a delay or a call-off of the event on that day), or a first
    report that it was held. "X will visit Y" or "the festival is unlikely" without a
    date is a passing prospect as often as news, and waits for a second article."""
    return m.event_date is not None or m.status == Status.TOOK_PLACE


def announces_at_once(m: EventMention, well_known: bool, policy: AlertPolicy) -> bool:
    """Whether one report announces a new story: a headline or lead claim this sure on
    well-known participants, and firm (``firm_announcement``) when the policy asks."""
    if policy.announce_at_once == "never" or not (m.in_lead and not m.background and well_known):
        return False
    if m.confidence < policy.announce_from_lead_confidence:
        return False
    return policy.announce_at_once == "lead" or firm_announcement(m)


def held_news_waits(first: Status, status: Status, held_sources: int, named_event: bool, policy: AlertPolicy) -> bool:
    """Whether a story first heard of as already held waits before it is announced.

    A subscriber follows a scheduled event to act on its turns; one heard of first when
    it is over gives nothing to act on, and one report of it is as often a recap (last
    week's race in a preview of the next), a side meeting told in passing ("earlier, the
    minister met his counterpart") or the wrong edition or round of a known event as
    news. Such a story (its ``first`` counted claim and its ``status`` both took_place)
    is announced once ``announce_held_after_sources`` independent sources say it was
    held; a story first reported planned, delayed or called off is announced as usual,
    and so is a recurring event known by name (``named_event``: "the Oktoberfest has
    opened"), which is on the calendar whether or not a report announced it.
    """
    return not named_event and first == status == Status.TOOK_PLACE and held_sources < policy.announce_held_after_sources
