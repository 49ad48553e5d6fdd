"""``_fits_time`` asks whether a story is put off (``_put_off``) only where the answer
decides: it must answer exactly as the definition that asks it first, for every kind of
story (planned, put off, called off, held; with and without dates; sources still on the
delay) and every report (dated before, within, after the window and past the kind's
``open_days``; undated; forward-looking and recounting)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import consumers.story_tracking as tracking
from consumers.story_tracking import _Probe, _fits_time
from schemas import EventMention, Status, Story

T0 = datetime(2025, 5, 1, 9, tzinfo=UTC)
DAY0 = date(2025, 5, 1)


def _eager(probe: _Probe, story: Story) -> bool:
    """The definition as it read with ``_put_off`` asked first (dated reports)."""
    delayed = tracking._put_off(probe, story)
    if probe.event_date is not None and story.event_date is not None:
        days = (probe.event_date - story.event_date).days
        if abs(days) <= probe.window_days or (days > 0 and (tracking._still_awaited(probe, story, delayed) or (tracking._date_passed(probe, story) and days <= probe.open_days))):
            return True
        if days > 0 and tracking._called_off_for(probe, story, days):
            return True
        return bool(delayed and -probe.open_days <= days < 0 and probe.status != Status.TOOK_PLACE)
    return _fits_time(probe, story)  # undated: the same code path as before (``delayed`` asked first there too)


def _stories() -> list[Story]:
    out = []
    offsets = [None, -400, -40, 0, 20, 200, 500]
    sources = [{}, {"a": Status.POSTPONED}, {"a": Status.PLANNED, "b": Status.ON_HOLD}]
    for n, (status, offset, source, since) in enumerate(itertools.product(list(Status), offsets, sources, (30, 400))):
        out.append(Story(
            story_id=f"st-{n}", title="t", type="meeting", actors=["Macron", "Merz"], location="Paris",
            event_date=None if offset is None else DAY0 + timedelta(days=offset), status=status,
            status_since=T0 - timedelta(days=since), source_status=source,
        ))
    return out


def _probes() -> list[_Probe]:
    out = []
    for kind, status, offset, at in itertools.product(
        ("meeting", "race"), (Status.PLANNED, Status.POSTPONED, Status.TOOK_PLACE, Status.CANCELLED), (None, -500, -60, -2, 5, 45, 300, 700), (None, 0, 900),
    ):
        mention = EventMention(type=kind, actors=["Macron", "Merz"], location="Paris", status=status, cue="x", evidence="x",
                               event_date=None if offset is None else DAY0 + timedelta(days=offset))
        out.append(_Probe.of(mention, None if at is None else T0 + timedelta(days=at)))
    return out


def test_fits_time_answers_as_the_eager_definition():
    stories, probes = _stories(), _probes()
    answers = [(_fits_time(p, s), _eager(p, s)) for p in probes for s in stories]
    assert all(bool(lazy) == eager for lazy, eager in answers)
    assert len(answers) // 20 < sum(eager for _, eager in answers) < len(answers) - len(answers) // 20  # both answers, often
