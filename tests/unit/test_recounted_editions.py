"""Last year's edition told beside this year's news: a claim and a story of its own.

"The marathon will return on Sunday, one year after it was cancelled", "Das Oktoberfest
muss zum zweiten Mal in Folge ausfallen", "In 2020 Oktoberfest was cancelled": two
editions of one event in one sentence or one article. The earlier one gets its own
recounted claim, with its year, and its own story; it never changes this year's.
Sentences written for the rules, in both languages.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from consumers.story_store import encode_head, head_view
from consumers.story_tracking import find_story
from consumers.extraction.extract import extract_events
from schemas import Article, EventMention, Status, Story, TimelineEntry
from tests.unit.tracking_text import reported, tracked

PUBLISHED = datetime(2021, 5, 3, 9, tzinfo=UTC)


def _claims(text: str, language: str, published: datetime = PUBLISHED) -> set[tuple[str, str | None, bool]]:
    found = extract_events(Article(id="r", text=text, language=language, published_at=published))
    return {(m.status.value, m.edition, m.background) for m in found}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Das Oktoberfest muss auch heuer und damit zum zweiten Mal in Folge ausfallen.", "de"),
        ("The Glastonbury Festival has been cancelled for a second consecutive year.", "en"),
        ("For the second year in a row, the organisers of the Glastonbury Festival have cancelled the festival.", "en"),
    ],
)
def test_a_turn_said_to_befall_the_event_again_is_last_year_s_too(text, language):
    assert _claims(text, language) == {("cancelled", None, False), ("cancelled", "2020", True)}


def test_a_doubt_that_it_takes_place_for_the_second_year_running_says_last_year_s_did_not():
    found = _claims("Oktoberfest is looking increasingly unlikely to take place for the second year in a row.", "en")
    assert ("on_hold", None, False) in found and ("cancelled", "2020", True) in found


@pytest.mark.parametrize(
    ("text", "language", "published", "year"),
    [
        ("The New York City marathon will return on Sunday, one year after it was cancelled in the wake of Hurricane Sandy.", "en", datetime(2013, 11, 1, tzinfo=UTC), "2012"),
        ("New York City marathon returns one year after Hurricane Sandy cancellation", "en", datetime(2013, 11, 1, tzinfo=UTC), "2012"),
    ],
)
def test_a_call_off_right_after_words_of_last_year_is_last_year_s_beside_this_year_s_news(text, language, published, year):
    assert ("cancelled", year, True) in _claims(text, language, published)
    assert ("cancelled", None, False) not in _claims(text, language, published)  # this year's race is not called off


@pytest.mark.parametrize(
    ("text", "language", "year"),
    [
        ("In 2020 Oktoberfest was cancelled because of the coronavirus crisis.", "en", "2020"),
        ("Wimbledon will return in June. Last year's tournament was cancelled because of the pandemic.", "en", "2020"),
        ("Wimbledon will return in June, after the tournament was cancelled in 2020 because of the pandemic.", "en", "2020"),
        ("Das Glastonbury Festival ist abgesagt. Bereits das im vergangenen Jahr geplante Festival war wegen der Pandemie gestrichen worden.", "de", "2020"),
        ("Das Glastonbury Festival ist abgesagt. Das Festival war schon 2019 wegen eines Unwetters abgesagt worden.", "de", "2019"),
    ],
)
def test_a_recounted_turn_dated_to_an_earlier_year_names_that_year_s_edition(text, language, year):
    assert {(status, edition) for status, edition, background in _claims(text, language) if background} == {("cancelled", year)}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The first Glastonbury since 2019 has been cancelled.", "en"),  # since a year: no time of the turn
        ("Das Oktoberfest fällt auch in diesem Jahr aus.", "de"),  # this year's, not again in words of the last
        ("Organisers said the festival will be cancelled if the second wave comes.", "en"),
    ],
)
def test_no_year_of_its_time_and_no_word_of_again_names_no_earlier_edition(text, language):
    assert all(edition is None for _, edition, _ in _claims(text, language))


def test_a_day_named_without_its_year_in_a_clause_of_this_year_is_this_year_s():
    found = extract_events(Article(id="r", language="de", published_at=PUBLISHED, text="In diesem Jahr sollte das Oktoberfest vom 18. September bis zum 3. Oktober stattfinden."))
    assert [m.event_date for m in found] == [date(2021, 9, 18)]


# --- identity --------------------------------------------------------------------------

FEST = ("Oktoberfest",)


def _said(status: Status, edition: str | None = None, background: bool = False, **kw) -> EventMention:
    return EventMention(type="festival", actors=list(FEST), status=status, edition=edition, background=background, cue="x", evidence=f"{status} {edition} {background}", **kw)


def _story_of(stories: dict[str, Story], article_id: str, background: bool) -> set[str]:
    return {s.story_id for s in stories.values() if article_id in s.article_ids and any(t.article_id == article_id and t.background == background for t in s.timeline)}


def test_last_year_s_recounted_call_off_is_not_filed_under_this_year_s_story():
    """This year's news first, then, in the same article, last year's call-off told: two
    stories, and this year's keeps its own status."""
    stories = tracked(reported("a", PUBLISHED, _said(Status.PLANNED), _said(Status.CANCELLED, "2020", background=True)))
    assert len(stories) == 2
    news, = _story_of(stories, "a", False)
    assert stories[news].status == Status.PLANNED and stories[news].edition is None


def test_this_year_s_news_does_not_join_last_year_s_story_started_by_a_recount():
    """The recount first (a headline: "returns one year after the cancellation"), then the
    news, in one article and in the next: this year's story stays apart from last year's."""
    stories = tracked(
        reported("a", PUBLISHED, _said(Status.CANCELLED, "2020", background=True), _said(Status.PLANNED)),
        reported("b", PUBLISHED + timedelta(days=1), _said(Status.CANCELLED)),
    )
    recounted = {s.story_id for s in stories.values() if s.edition == "2020"}
    assert len(recounted) == 1 and _story_of(stories, "a", False) == _story_of(stories, "b", False)
    assert not recounted & _story_of(stories, "b", False)


def _story(edition: str | None, day: date | None, since: datetime, announced: bool = True) -> Story:
    return Story(
        story_id="st-okt", title="Oktoberfest festival", type="festival", actors=list(FEST), event_date=day, status=Status.CANCELLED,
        status_since=since, edition=edition, timeline=[TimelineEntry(status=Status.CANCELLED, at=since, article_id="a0", source="s0", background=not announced)],
        sources=["s0"], source_status={"s0": Status.CANCELLED}, article_ids=["a0"], reports=1, announced=announced,
    )


def test_a_recounted_edition_of_a_year_is_a_story_of_that_year_only():
    """Undated, a story is of the year its status was decided in; dated, of its date's."""
    recount = _said(Status.CANCELLED, "2020", background=True)
    assert find_story(recount, {"st-okt": _story(None, None, datetime(2020, 4, 21, tzinfo=UTC))}, "b", datetime(2020, 5, 1, tzinfo=UTC)) is not None
    assert find_story(recount, {"st-okt": _story(None, None, datetime(2021, 4, 27, tzinfo=UTC))}, "b", PUBLISHED) is None
    assert find_story(recount, {"st-okt": _story(None, date(2021, 9, 18), datetime(2021, 4, 27, tzinfo=UTC))}, "b", PUBLISHED) is None


def test_a_story_known_only_from_a_recount_of_last_year_takes_no_news_of_this_year_nor_a_plan_dated_in_it():
    known = {"st-okt": _story("2020", None, datetime(2021, 4, 27, tzinfo=UTC), announced=False)}
    assert find_story(_said(Status.CANCELLED), known, "b", PUBLISHED) is None
    assert find_story(_said(Status.PLANNED, background=True, event_date=date(2021, 9, 18)), known, "b", PUBLISHED) is None
    assert find_story(_said(Status.CANCELLED, background=True), known, "b", PUBLISHED) is not None  # last year's call-off told again
    announced = {"st-okt": _story("2020", None, datetime(2021, 4, 27, tzinfo=UTC))}
    assert find_story(_said(Status.CANCELLED), announced, "b", PUBLISHED) is not None  # the 2020 Games held in 2021: news of that edition


def test_a_head_s_view_reads_whether_the_story_was_announced():
    story = _story("2020", None, datetime(2021, 4, 27, tzinfo=UTC), announced=False)
    assert head_view(encode_head(story).encode(), "st-okt").announced is False
    assert head_view(encode_head(_story("2020", None, datetime(2021, 4, 27, tzinfo=UTC))).encode(), "st-okt").announced is True
