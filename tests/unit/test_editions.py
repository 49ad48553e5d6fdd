"""Rounds and editions: which one a report names, and that it is part of story identity.

"The fourth round of talks" and "the fifth round" between the same governments are two
events, as are "Glastonbury 2020" and "Glastonbury 2021"; a report naming no round joins
by the other rules. Sentences written for the rules, in both languages.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from consumers.story_store import decode_head, encode_head, head_view
from consumers.story_tracking import find_story, story_title
from consumers.extraction.extract import extract_events
from schemas import Article, ArticleEvents, EventMention, Status, Story, TimelineEntry
from tests.unit.tracking_text import reported, tracked

PUBLISHED = datetime(2021, 3, 1, 9, tzinfo=UTC)


def _editions(text: str, language: str, published: datetime = PUBLISHED) -> list[tuple[str, str | None]]:
    found = extract_events(Article(id="e", text=text, language=language, published_at=published))
    return [(m.type, m.edition) for m in found]


@pytest.mark.parametrize(
    ("text", "language", "kind", "edition"),
    [
        ("The fourth round of indirect Iran-US talks, which were scheduled for Saturday in Rome, has been postponed.", "en", "negotiation_round", "4"),
        ("The seventh round of Iran nuclear talks will start on November 29 in Vienna, the EU said.", "en", "negotiation_round", "7"),
        ("Die vierte Runde der Atomgespräche zwischen dem Iran und den USA wurde verschoben.", "de", "negotiation_round", "4"),
        ("Runde 7 der Wiener Gespräche über das Atomabkommen mit dem Iran soll am 29. November beginnen.", "de", "negotiation_round", "7"),
        ("Die dritte Verhandlungsrunde zwischen der EU und Großbritannien wurde abgesagt.", "de", "negotiation_round", "3"),
        ("Glastonbury 2021 has been cancelled, the organisers said.", "en", "festival", "2021"),
        ("Wimbledon 2021 will go ahead with fans, the All England Club said.", "en", "tournament", "2021"),
        ("The 2021 edition of Paris-Roubaix has been postponed to October.", "en", "race", "2021"),
        ("The 124th Boston Marathon has been postponed until September.", "en", "race", "124"),
        ("Die 71. Berlinale findet im März online statt.", "de", "festival", "71"),
        ("Die 118. Auflage von Paris-Roubaix wurde abgesagt.", "de", "race", "118"),
        ("Die Kieler Woche 2021 wird in den September verschoben.", "de", "festival", "2021"),
    ],
)
def test_a_report_names_the_round_or_edition(text, language, kind, edition):
    assert (kind, edition) in _editions(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The first Glastonbury since 2019 has been cancelled.", "en"),  # an ordinal word before a name ranks, it does not number
        ("Wimbledon has been cancelled, the All England Club said.", "en"),
        ("Das Oktoberfest wurde am 21. April abgesagt.", "de"),  # a date's day is no edition
        ("The next round of talks between Iran and the United States will be held in Oman.", "en"),
    ],
)
def test_a_report_naming_no_number_names_no_edition(text, language):
    found = _editions(text, language)
    assert found and all(edition is None for _, edition in found)


def test_a_date_without_its_year_lies_in_the_year_the_edition_names():
    """Read in May 2020, "April 19" alone is the past April; of "the 2021 edition" it is 2021's."""
    found = extract_events(Article(id="e", text="The 2021 edition of the Boston Marathon is scheduled for April 19.", language="en", published_at=datetime(2020, 5, 29, tzinfo=UTC)))
    assert [(m.edition, m.event_date) for m in found] == [("2021", date(2021, 4, 19))]


def test_a_year_the_sentence_writes_stands_beside_the_edition_of_another():
    """The Games of 2020, put off a year, are dated in 2021 where the sentence says so."""
    found = extract_events(Article(id="e", text="Die Olympischen Spiele 2020 sollen nun vom 23. Juli 2021 an stattfinden.", language="de", published_at=datetime(2020, 4, 1, tzinfo=UTC)))
    assert [(m.edition, m.event_date) for m in found] == [("2020", date(2021, 7, 23))]


def _said(text: str, language: str, published: datetime = PUBLISHED) -> list[EventMention]:
    return extract_events(Article(id="e", text=text, language=language, published_at=published))


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The fourth round of talks between Iran and the United States has concluded in Muscat. The next round of talks between Iran and the United States will be held in Oman.", "en"),
        ("Die vierte Runde der Atomgespräche zwischen dem Iran und den USA ist in Maskat zu Ende gegangen. Die nächste Runde der Gespräche zwischen dem Iran und den USA soll in Rom stattfinden.", "de"),
    ],
)
def test_the_next_round_after_the_one_held_is_the_one_after_it(text, language):
    found = [(m.status, m.edition) for m in _said(text, language, datetime(2025, 5, 11, tzinfo=UTC)) if m.type == "negotiation_round"]
    assert (Status.TOOK_PLACE, "4") in found and (Status.PLANNED, "5") in found


def test_the_next_round_of_an_article_that_reports_none_held_names_none():
    """"The next round" ahead of a round put off is that round, not the one after it."""
    text = "The fourth round of talks between Iran and the United States was postponed on Thursday. The next round of talks between Iran and the United States has been moved to May 7."
    found = [m.edition for m in _said(text, "en", datetime(2025, 5, 1, tzinfo=UTC)) if m.type == "negotiation_round"]
    assert "5" not in found and "4" in found


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The fourth round of nuclear talks between Iran and the US ended on Sunday and trade talks will begin in June.", "en"),
        ("Die vierte Runde der Atomgespräche zwischen Iran und den USA ist beendet, Handelsgespräche sollen im Juni beginnen.", "de"),
    ],
)
def test_a_numbered_round_is_the_event_word_s_it_stands_by_not_another_s_in_the_clause(text, language):
    """The trade talks to begin are not the fourth round of nuclear talks that ended."""
    found = {(m.status, m.edition) for m in _said(text, language, datetime(2025, 5, 11, tzinfo=UTC)) if m.type == "negotiation_round"}
    assert found == {(Status.TOOK_PLACE, "4"), (Status.PLANNED, None)}


def test_the_call_off_of_one_edition_is_no_delay_because_the_article_puts_off_the_next():
    text = "Organisers have postponed MWC 2021 to June. MWC 2020 was cancelled."
    found = {(m.edition, m.status) for m in _said(text, "en", datetime(2020, 9, 23, tzinfo=UTC))}
    assert ("2021", Status.POSTPONED) in found and ("2020", Status.CANCELLED) in found


# --- identity --------------------------------------------------------------------------

T0 = datetime(2025, 4, 20, 9, tzinfo=UTC)
SIDES = ("Iran", "United States")


def said(status: Status, edition: str | None, location: str | None = "Muscat", background: bool = False, type_: str = "negotiation_round", actors: tuple[str, ...] = SIDES, **kw) -> EventMention:
    return EventMention(type=type_, actors=sorted(actors), location=location, status=status, edition=edition, background=background, cue="x", evidence=f"{status} {edition}", **kw)


def report(aid: str, days: float, *events: EventMention) -> ArticleEvents:
    return reported(aid, T0 + timedelta(days=days), *events)


run = tracked


def story_of(stories: dict[str, Story], article_id: str) -> str:
    (found,) = [s.story_id for s in stories.values() if article_id in s.article_ids]
    return found


def test_two_rounds_of_the_same_sides_at_the_same_place_are_two_stories():
    stories = run(report("r4", 0, said(Status.TOOK_PLACE, "4")), report("r5", 1, said(Status.PLANNED, "5")))
    assert story_of(stories, "r4") != story_of(stories, "r5")
    assert stories[story_of(stories, "r4")].status == Status.TOOK_PLACE  # the held round is not moved back to planned


def test_a_report_naming_no_round_joins_the_round_by_the_other_rules():
    stories = run(report("r4", 0, said(Status.PLANNED, "4")), report("plain", 1, said(Status.TOOK_PLACE, None)))
    assert story_of(stories, "r4") == story_of(stories, "plain")
    assert stories[story_of(stories, "r4")].edition == "4"


def test_a_story_learns_its_round_from_a_report_naming_it_but_not_from_a_recounted_one():
    stories = run(report("plain", 0, said(Status.PLANNED, None)), report("recalled", 1, said(Status.TOOK_PLACE, "3", background=True)))
    assert stories[story_of(stories, "plain")].edition is None
    stories = run(report("plain", 0, said(Status.PLANNED, None)), report("named", 1, said(Status.PLANNED, "4")), report("next", 2, said(Status.PLANNED, "5")))
    assert story_of(stories, "plain") == story_of(stories, "named") != story_of(stories, "next")
    assert stories[story_of(stories, "plain")].edition == "4"


def test_a_sentence_of_another_edition_does_not_join_the_article_s_story():
    """The report of the 2020 race's call-off that names next year's as scheduled files
    that one apart, not as a sentence of the article's own story."""
    race = ("Boston Marathon",)
    stories = run(report("called-off", 0, said(Status.CANCELLED, "2020", None, type_="race", actors=race, event_date=date(2025, 9, 14)),
                         said(Status.PLANNED, "2021", None, type_="race", actors=race, event_date=date(2026, 4, 19))))
    assert sorted(s.edition for s in stories.values()) == ["2020", "2021"]


def _festival(edition: str | None, day: date, status: Status = Status.CANCELLED) -> Story:
    return Story(
        story_id="st-glasto", title="Glastonbury festival", type="festival", actors=["Glastonbury"], event_date=day, status=status,
        status_since=T0, edition=edition, timeline=[TimelineEntry(status=status, at=T0, article_id="a0", source="s0")], sources=["s0"],
        source_status={"s0": status}, article_ids=["a0"], reports=1,
    )


def test_an_edition_of_another_year_is_another_story():
    stories = {"st-glasto": _festival("2020", date(2020, 6, 24))}
    assert find_story(said(Status.CANCELLED, None, None, type_="festival", actors=("Glastonbury",)), stories, "b", T0 + timedelta(days=5)) is not None
    assert find_story(said(Status.CANCELLED, "2021", None, type_="festival", actors=("Glastonbury",)), stories, "b", T0 + timedelta(days=5)) is None


def test_a_year_edition_is_no_story_dated_in_an_earlier_year_but_may_be_one_put_off_into_its_year():
    """"Glastonbury 2021" is not the festival of June 2020 (its dates misread or not);
    "the 2020 Games" are the Games of 2020 held in 2021, named by either year."""
    mention = said(Status.PLANNED, "2021", None, type_="festival", actors=("Glastonbury",))
    assert find_story(mention, {"st-glasto": _festival(None, date(2020, 6, 24), Status.PLANNED)}, "b", datetime(2020, 6, 1, tzinfo=UTC)) is None
    games = {"st-glasto": _festival("2020", date(2021, 7, 23), Status.POSTPONED)}
    assert find_story(said(Status.PLANNED, "2021", None, type_="festival", actors=("Glastonbury",)), games, "b", datetime(2021, 3, 1, tzinfo=UTC)) is not None


def test_an_ordinal_and_a_year_number_one_edition_two_ways_and_never_tell_it_apart():
    stories = {"st-glasto": _festival("50", date(2020, 6, 24))}
    assert find_story(said(Status.CANCELLED, "2020", None, type_="festival", actors=("Glastonbury",)), stories, "b", T0 + timedelta(days=5)) is not None


def test_the_title_names_the_edition():
    assert story_title("negotiation_round", ["Iran", "United States"], "Muscat", "4").startswith("4th ")
    assert story_title("festival", ["Glastonbury"], None, "2021") == "2021 Glastonbury festival"
    assert [story_title("race", ["Boston Marathon"], None, n).split()[0] for n in ("1", "2", "3", "11", "112", "124")] == ["1st", "2nd", "3rd", "11th", "112th", "124th"]


# --- the stored head -------------------------------------------------------------------


def _head(edition: str | None, article_ids: list[str]) -> Story:
    at = datetime(2025, 5, 1, tzinfo=UTC)
    return Story(
        story_id="st-1", title="Iran–United States negotiation round in Rome", type="negotiation_round", actors=["Iran", "United States"],
        location="Rome", event_date=date(2025, 5, 3), status=Status.POSTPONED, status_since=at,
        timeline=[TimelineEntry(status=Status.POSTPONED, at=at, article_id="a1", source="s1")], sources=["s1"], article_ids=article_ids, reports=2, stamp=5, edition=edition,
    )


HEAD_BEFORE_EDITIONS = '["Iran–United States negotiation round in Rome","negotiation_round",["Iran","United States"],"Rome","2025-05-03","d",1746057600,[["d",1746057600,"a1",0]],["s1"],0,2,{},5]'
HEAD_BEFORE_EDITIONS_WITH_IDS = HEAD_BEFORE_EDITIONS[:-1] + ',[],null,true,["a0","a1"]]'


def test_a_head_written_before_editions_reads_as_one_without_and_one_without_is_written_as_before():
    assert decode_head(HEAD_BEFORE_EDITIONS, "st-1") == _head(None, ["a1"])
    assert decode_head(HEAD_BEFORE_EDITIONS_WITH_IDS, "st-1") == _head(None, ["a0", "a1"])
    assert encode_head(_head(None, ["a1"])) == HEAD_BEFORE_EDITIONS
    assert encode_head(_head(None, ["a0", "a1"])) == HEAD_BEFORE_EDITIONS_WITH_IDS


@pytest.mark.parametrize("article_ids", [["a1"], ["a0", "a1"]])
def test_a_head_keeps_its_edition_and_its_view_reads_it(article_ids):
    story = _head("4", article_ids)
    stored = encode_head(story)
    assert stored.endswith(',"4"]') and decode_head(stored, "st-1") == story
    assert head_view(stored.encode(), "st-1").edition == "4"
    assert head_view(HEAD_BEFORE_EDITIONS.encode(), "st-1").edition is None
