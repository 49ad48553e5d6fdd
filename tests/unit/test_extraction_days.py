"""Several shows of one kind on coordinated days: one event per day, kept apart as stories.

A concert is held on one day (``per_day`` in types.yaml): "die Konzerte am Dienstag und
Mittwoch", "the shows on 3 and 10 March" are two concerts, and a report of one day is
not the story of another.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from consumers.story_tracking import track_article
from schemas import ArticleEvents, EventMention, Status, Story
from tests.unit.extraction_text import extracted

# extraction_text.PUBLISHED is Tuesday 21 October 2025


def _days(text: str, language: str, kind: str = "concert") -> list[tuple[date | None, Status]]:
    return sorted(((m.event_date, m.status) for m in extracted(text, language) if m.type == kind), key=lambda d: (d[0] is None, d[0] or date.min))


def test_coordinated_weekdays_are_one_concert_each():
    for text, language, want in (
        ("Die Konzerte von Helene Fischer am Freitag, Samstag und Sonntag sollen wie geplant stattfinden.", "de", [date(2025, 10, d) for d in (24, 25, 26)]),
        ("Helene Fischer musste ihre Konzerte am Mittwoch und Donnerstag in Berlin absagen.", "de", [date(2025, 10, d) for d in (22, 23)]),
        ("Singer Helene Fischer's concerts on Friday and Saturday in Berlin have been cancelled.", "en", [date(2025, 10, d) for d in (24, 25)]),
    ):
        found = _days(text, language)
        assert [d for d, _ in found] == want, (text, found)
        assert len({s for _, s in found}) == 1, (text, found)


def test_coordinated_days_of_a_month_are_one_concert_each():
    for text, language, want in (
        ("Die beiden ausgefallenen Konzerte von Helene Fischer werden am 10. und 11. März wiederholt.", "de", [date(2026, 3, 10), date(2026, 3, 11)]),
        ("Helene Fischer werde nun am 4., 5. und 7. November in Berlin auftreten, die Konzerte wurden verschoben.", "de", [date(2025, 11, d) for d in (4, 5, 7)]),
        ("Singer Helene Fischer's concerts will now take place on 3 and 10 November.", "en", [date(2025, 11, 3), date(2025, 11, 10)]),
        ("Singer Helene Fischer's concerts will now take place on November 3 and 10.", "en", [date(2025, 11, 3), date(2025, 11, 10)]),
    ):
        assert [d for d, _ in _days(text, language)] == want, (text, _days(text, language))


def test_one_day_or_a_span_of_days_is_one_concert():
    """A single day names one show; "von Freitag bis Sonntag" is a span, not a list."""
    for text, language in (
        ("Das Konzert von Helene Fischer am Freitag in Berlin wurde abgesagt.", "de"),
        ("Die Konzerte von Helene Fischer von Freitag bis Sonntag sollen wie geplant stattfinden.", "de"),
    ):
        assert len(_days(text, language)) == 1, (text, _days(text, language))


def test_days_of_other_kinds_stay_one_event():
    """A summit over two days is one summit: only kinds held on one day split."""
    found = [m for m in extracted("Das Gipfeltreffen von Merkel und Macron am Montag und Dienstag wurde abgesagt.", "de") if m.type == "summit"]
    assert len(found) == 1, found


T0 = datetime(2025, 10, 21, 9, 0, tzinfo=UTC)


def _concert(status: Status, day: date | None, evidence: str) -> EventMention:
    return EventMention(type="concert", actors=["Helene Fischer"], location="Berlin", status=status, event_date=day, cue="x", evidence=evidence)


def _track(*articles: ArticleEvents) -> dict[str, Story]:
    stories: dict[str, Story] = {}
    for a in articles:
        stories.update(track_article(a, stories).stories)
    return stories


def _article(aid: str, hours: float, *events: EventMention) -> ArticleEvents:
    at = T0 + timedelta(hours=hours)
    return ArticleEvents(article_id=aid, source=f"src-{aid}", url=f"https://x/{aid}", published_at=at, event_time=at, events=list(events))


def test_shows_on_two_days_are_two_stories_within_the_window():
    """Stated days one apart are two concerts, though the kind's window spans two days."""
    stories = _track(
        _article("a", 0, _concert(Status.CANCELLED, date(2025, 10, 21), "Tuesday's show is off."), _concert(Status.PLANNED, date(2025, 10, 22), "Wednesday's is on.")),
        _article("b", 30, _concert(Status.PLANNED, date(2025, 10, 22), "The show on Wednesday goes ahead.")),
    )
    by_day = {s.event_date: s for s in stories.values()}
    assert set(by_day) == {date(2025, 10, 21), date(2025, 10, 22)}, stories
    assert by_day[date(2025, 10, 21)].status == Status.CANCELLED and by_day[date(2025, 10, 22)].reports == 2


def test_shows_still_on_are_not_the_ones_called_off_in_the_same_article():
    """"Helene Fischer sagt Konzerte ab. ... Die Konzerte am Freitag und Samstag sollen
    wie geplant stattfinden": the dated shows still on are others than the undated ones
    called off."""
    stories = _track(
        _article(
            "a", 0,
            _concert(Status.CANCELLED, None, "Helene Fischer sagt Konzerte ab"),
            _concert(Status.PLANNED, date(2025, 10, 24), "Die Konzerte am Freitag und Samstag sollen stattfinden."),
            _concert(Status.PLANNED, date(2025, 10, 25), "Die Konzerte am Freitag und Samstag sollen stattfinden."),
        ),
    )
    assert sorted((s.event_date or date.min, s.status) for s in stories.values()) == [
        (date.min, Status.CANCELLED), (date(2025, 10, 24), Status.PLANNED), (date(2025, 10, 25), Status.PLANNED),
    ], stories
