"""``find_story`` tests each group of candidates (participants, place, kind) once per
mention: it must pick exactly the story the per-story definition picks.

The reference below is that definition, one story at a time: the participant fit
(``_nested_fit``, else the weak fits ``_or_weak_fits``), then ``_scored``, the best by
(score, last status change, reports, id). The candidates are a grid of the cases the
groups short-cut: the same participants and place on many dates and statuses, a host
named as a side (a visit), a kind named by its place (a festival, a race), a venue
beside its city, families that differ, stories the article already holds.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from consumers.story_tracking import _nested_fit, _or_weak_fits, _Probe, _scored, by_participants, find_story, track_article
from schemas import ArticleEvents, EventMention, Status, Story

T0 = datetime(2025, 5, 1, 9, tzinfo=UTC)

PEOPLE = [("Merz", "Macron"), ("Macron",), ("France", "Trump"), ("Trump", "United States"), ("Putin", "Trump"), ("Trump",), ("Japan", "Xi Jinping"), ("Xi Jinping",), ("Germany",), ()]
PLACES = [None, "Paris", "Berlin", "Tokyo", "Élysée-Palast", "Munich"]
KINDS = ["meeting", "summit", "visit", "festival", "race", "call"]
STATUSES = [Status.PLANNED, Status.POSTPONED, Status.TOOK_PLACE, Status.CANCELLED]


def _stories() -> dict[str, Story]:
    out: dict[str, Story] = {}
    for n, (actors, place, kind) in enumerate(itertools.product(PEOPLE[:-1], PLACES, KINDS)):
        for k in range(3):  # the same participants, place and kind on several dates and statuses
            sid = f"st-{n}-{k}"
            day = None if (n + k) % 4 == 0 else date(2025, 5, 1) + timedelta(days=(n * 7 + k * 11) % 90 - 30)
            out[sid] = Story(
                story_id=sid, title=sid, type=kind, actors=sorted(actors), location=place, event_date=day,
                status=STATUSES[(n + k) % len(STATUSES)], status_since=T0 - timedelta(days=(n + 3 * k) % 60),
                reports=1 + (n * k) % 5, article_ids=["held"] if (n + k) % 17 == 0 else [],
            )
    return out


def _reference(mention: EventMention, stories: dict[str, Story], article_id: str, at: datetime) -> Story | None:
    probe = _Probe.of(mention, at)
    scored = []
    for s in stories.values():
        fit = _or_weak_fits(probe, s, _nested_fit(probe.actors, probe.location, tuple(s.actors), s.location))
        if (score := _scored(probe, s, fit)) is not None:
            scored.append((score + (100 if article_id in s.article_ids else 0), s.status_since, s.reports, s.story_id, s))
    return max(scored, key=lambda t: t[:4])[4] if scored else None


def _mentions() -> list[EventMention]:
    out = []
    for n, (actors, place, kind) in enumerate(itertools.product(PEOPLE, PLACES, KINDS)):
        day = None if n % 3 == 0 else date(2025, 5, 1) + timedelta(days=n % 50 - 20)
        out.append(EventMention(type=kind, actors=sorted(actors), location=place, status=STATUSES[n % len(STATUSES)], event_date=day,
                                background=n % 7 == 0, cue="x", evidence="x"))
    return out


STORIES = _stories()
GROUPS = by_participants(STORIES)


def test_the_groups_are_fewer_than_the_stories_and_hold_every_one():
    assert sum(len(members) for members in GROUPS.values()) == len(STORIES)
    assert len(GROUPS) * 3 == len(STORIES)


@pytest.mark.parametrize("article_id", ["new", "held"])
def test_find_story_by_groups_picks_the_story_the_per_story_fit_picks(article_id):
    found = 0
    for mention in _mentions():
        for at in (T0, T0 + timedelta(days=200)):
            expected = _reference(mention, STORIES, article_id, at)
            assert find_story(mention, STORIES, article_id, at, GROUPS) is expected
            assert find_story(mention, STORIES, article_id, at) is expected  # groups made on the spot
            found += expected is not None
    assert found > 100  # the grid meets stories, not only misses


def test_an_article_files_each_mention_under_the_story_found_for_it_alone():
    mentions = [m for m in _mentions()[:60] if m.actors]
    article = ArticleEvents(article_id="a1", source="s", url="https://x/a1", published_at=T0, event_time=T0, events=mentions)
    result = track_article(article, STORIES)
    expected = [_reference(m, STORIES, "a1", T0) for m in mentions]
    assert sum(e is not None for e in expected) > 10
    for filed, story in zip(result.assignments, expected, strict=True):
        if story is not None:  # found: filed under it (the others start or join new stories)
            assert filed == story.story_id


@pytest.mark.parametrize("people", PEOPLE[:-1], ids=lambda p: "+".join(p))
def test_each_group_alone_is_judged_as_its_stories_one_by_one(people):
    # the best story of all can hide a fit gone wrong in another group: each set of
    # participants alone (every place and kind of it), so each weak fit decides somewhere
    alone = {sid: s for sid, s in STORIES.items() if tuple(s.actors) == tuple(sorted(people))}
    for mention in _mentions():
        for at in (T0, T0 + timedelta(days=200)):
            assert find_story(mention, alone, "new", at) is _reference(mention, alone, "new", at)
