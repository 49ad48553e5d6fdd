"""Story identity on reports that name one event differently: rules a news editor states.

Each test is a small story written for its rule; the near misses beside them (another
event of the same people) must stay apart.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from consumers.story_tracking import find_story, track_article
from schemas import ArticleEvents, EventMention, Status, Story
from tests.unit.tracking_text import reported, tracked

T0 = datetime(2024, 3, 4, 9, tzinfo=UTC)


def said(type_: str, status: Status, actors: tuple[str, ...], location: str | None = None, **kw) -> EventMention:
    return EventMention(type=type_, actors=sorted(actors), location=location, status=status, **({"cue": "x", "evidence": f"{type_} {status}"} | kw))


def report(aid: str, days: float, *events: EventMention) -> ArticleEvents:
    return reported(aid, T0 + timedelta(days=days), *events)


run = tracked


def story_of(stories: dict[str, Story], article_id: str) -> set[str]:
    return {s.story_id for s in stories.values() if article_id in s.article_ids}


# --- ties: the story the news follows, not an aside ---------------------------------------


def _story(story_id: str, location: str, status: Status, reports: int) -> Story:
    return Story(
        story_id=story_id, title=story_id, type="trial", actors=["Harvey Weinstein"], location=location,
        status=status, status_since=T0, reports=reports, article_ids=[f"{story_id}-{i}" for i in range(reports)],
    )


def test_a_report_naming_no_place_goes_to_the_story_the_news_follows_not_to_an_aside():
    # one article started both: the trial it reports (then four more reports), the other
    # one it mentions in passing; the id of the aside happens to sort last
    stories = {s.story_id: s for s in (_story("st-1", "New York", Status.TOOK_PLACE, 5), _story("st-2", "Los Angeles", Status.PLANNED, 1))}
    m = said("trial", Status.TOOK_PLACE, ("Harvey Weinstein",))
    assert find_story(m, stories, "later", T0 + timedelta(days=10)).story_id == "st-1"


def test_the_story_whose_status_changed_last_still_comes_before_the_one_more_reported():
    older = _story("st-2", "New York", Status.TOOK_PLACE, 5).model_copy(update={"status_since": T0 - timedelta(days=3)})
    stories = {s.story_id: s for s in (older, _story("st-1", "Los Angeles", Status.TOOK_PLACE, 1))}
    m = said("trial", Status.TOOK_PLACE, ("Harvey Weinstein",))
    assert find_story(m, stories, "later", T0 + timedelta(days=10)).story_id == "st-1"


def test_a_report_naming_a_place_still_goes_to_that_place_whatever_the_news_follows():
    stories = {s.story_id: s for s in (_story("st-1", "New York", Status.TOOK_PLACE, 5), _story("st-2", "Los Angeles", Status.PLANNED, 1))}
    m = said("trial", Status.PLANNED, ("Harvey Weinstein",), "Los Angeles")
    assert find_story(m, stories, "later", T0 + timedelta(days=10)).story_id == "st-2"


# --- a story planned for a date is awaited until that date ----------------------------------


def test_a_report_on_the_day_of_an_opening_announced_long_before_is_that_opening():
    opening_day = (T0 + timedelta(days=700)).date()
    stories = run(
        report("a", 0, said("opening", Status.PLANNED, ("Elbphilharmonie",), "Hamburg", event_date=opening_day)),
        report("b", 700, said("opening", Status.TOOK_PLACE, ("Elbphilharmonie",))),
    )
    assert len(stories) == 1 and next(iter(stories.values())).status == Status.TOOK_PLACE


def test_a_report_long_after_a_dated_plan_went_silent_past_its_date_is_another_event():
    # planned for day 10, not reported since: on day 300 a concert of the same artist is the next one
    stories = run(
        report("a", 0, said("concert", Status.PLANNED, ("Sting",), event_date=(T0 + timedelta(days=10)).date())),
        report("b", 300, said("concert", Status.PLANNED, ("Sting",))),
    )
    assert len(stories) == 2


def test_a_silent_undated_plan_is_not_awaited_forever():
    stories = run(
        report("a", 0, said("opening", Status.PLANNED, ("Elbphilharmonie",), "Hamburg")),
        report("b", 700, said("opening", Status.TOOK_PLACE, ("Elbphilharmonie",))),
    )
    assert len(stories) == 2


def test_a_dated_plan_is_awaited_only_until_its_date_not_the_years_after():
    day = (T0 + timedelta(days=200)).date()
    stories = run(
        report("a", 0, said("festival", Status.PLANNED, ("Oktoberfest",), "Munich", event_date=day)),
        report("b", 200 + 365, said("festival", Status.TOOK_PLACE, ("Oktoberfest",), "Munich")),
    )
    assert len(stories) == 2


def test_a_delay_reported_on_the_eve_of_a_plan_silent_for_months_is_its_delay():
    day = date(2025, 5, 1)
    stories = run(
        report("a", 0, said("launch", Status.PLANNED, ("Artemis II", "NASA"), "Cape Canaveral", event_date=day)),
        report("b", (datetime(2025, 4, 30, 9, tzinfo=UTC) - T0).days, said("launch", Status.POSTPONED, ("Artemis II",))),
    )
    assert len(stories) == 1


def test_a_concert_put_off_to_a_date_a_year_ahead_is_awaited_until_that_date():
    first, moved_to = (T0 + timedelta(days=30)).date(), (T0 + timedelta(days=400)).date()
    stories = run(
        report("a", 0, said("concert", Status.PLANNED, ("Sting",), "Leipzig", event_date=first)),
        report("b", 20, said("concert", Status.POSTPONED, ("Sting",), "Leipzig")),
        report("c", 25, said("concert", Status.POSTPONED, ("Sting",), "Leipzig", event_date=moved_to)),
        report("d", 400, said("concert", Status.TOOK_PLACE, ("Sting",))),
    )
    assert len(stories) == 1 and next(iter(stories.values())).event_date == moved_to


def test_a_concert_put_off_without_a_new_date_is_not_awaited_past_its_kind_horizon():
    stories = run(
        report("a", 0, said("concert", Status.PLANNED, ("Sting",), "Leipzig", event_date=(T0 + timedelta(days=30)).date())),
        report("b", 20, said("concert", Status.POSTPONED, ("Sting",), "Leipzig")),
        report("d", 400, said("concert", Status.TOOK_PLACE, ("Sting",))),
    )
    assert len(stories) == 2


# --- a venue lies in its city, a city in its country -------------------------------------


def test_a_venue_is_held_by_its_city_and_its_country():
    from consumers.story_tracking import around

    assert around("Wembley") == {"Wembley", "London", "United Kingdom"}
    assert around("London") == {"London", "United Kingdom"}


def test_a_report_of_the_concert_at_the_stadium_is_the_concert_in_its_city_and_names_its_place():
    day = (T0 + timedelta(days=5)).date()
    stories = run(
        report("a", 0, said("concert", Status.PLANNED, ("Taylor Swift",), "London", event_date=day)),
        report("b", 1, said("concert", Status.PLANNED, ("Taylor Swift",), "Wembley", event_date=day)),
        report("c", 2, said("concert", Status.CANCELLED, ("Taylor Swift",), "London")),
    )
    assert len(stories) == 1
    story = next(iter(stories.values()))
    assert story.location == "Wembley" and story.status == Status.CANCELLED


def test_a_concert_at_the_stadium_is_not_the_same_artist_s_concert_in_another_city():
    day = (T0 + timedelta(days=5)).date()
    stories = run(
        report("a", 0, said("concert", Status.PLANNED, ("Taylor Swift",), "Wembley", event_date=day)),
        report("b", 1, said("concert", Status.CANCELLED, ("Taylor Swift",), "Manchester", event_date=day)),
    )
    assert {s.location for s in stories.values()} == {"Wembley", "Manchester"}


def test_a_plan_dated_at_the_end_of_the_calendar_is_judged_without_overflow():
    stories = run(
        report("a", 0, said("opening", Status.PLANNED, ("Elbphilharmonie",), "Hamburg", event_date=date.max)),
        report("b", 700, said("opening", Status.TOOK_PLACE, ("Elbphilharmonie",))),
    )
    assert len(stories) == 1


# --- a German and an English report name one participant by its place's own name ----------


def _reachable(mention: EventMention, story: Story) -> bool:
    """The story's index terms meet the mention's lookup terms (what the store reads)."""
    from consumers.story_tracking import candidate_terms, story_terms

    return bool(set(candidate_terms(mention)) & set(story_terms(story)))


def test_a_club_named_by_its_german_city_is_the_club_named_by_the_english_one():
    stories = run(
        report("a", 0, said("match", Status.POSTPONED, ("Bayern München", "Borussia Dortmund"))),
        report("b", 1, said("match", Status.PLANNED, ("Bayern Munich", "Borussia Dortmund"))),
        report("c", 2, said("match", Status.POSTPONED, ("AC Mailand",))),
        report("d", 3, said("match", Status.TOOK_PLACE, ("AC Milan",))),
    )
    assert story_of(stories, "a") == story_of(stories, "b") and story_of(stories, "c") == story_of(stories, "d")
    assert _reachable(said("match", Status.PLANNED, ("Bayern Munich", "Borussia Dortmund")), stories[next(iter(story_of(stories, "a")))])


def test_an_event_named_by_its_german_city_is_the_event_named_by_the_english_one():
    stories = run(
        report("a", 0, said("tournament", Status.POSTPONED, ("Tokio 2020",))),
        report("b", 1, said("tournament", Status.PLANNED, ("Tokyo 2020",))),
    )
    assert len(stories) == 1


def test_a_club_of_another_city_stays_another_participant():
    stories = run(
        report("a", 0, said("match", Status.POSTPONED, ("Bayern München", "Borussia Dortmund"))),
        report("b", 1, said("match", Status.PLANNED, ("Bayern München", "Borussia Mönchengladbach"))),
    )
    assert len(stories) == 2


# --- an event its place names: by its name in one report, by its place in the next -------


def test_the_festival_in_a_city_is_the_festival_named_there_and_is_found_by_its_place():
    day = (T0 + timedelta(days=40)).date()
    stories = run(
        report("a", 0, said("festival", Status.PLANNED, ("Oktoberfest",), "Munich", event_date=day)),
        report("b", 3, said("festival", Status.CANCELLED, ("Munich",), "Munich")),
    )
    assert len(stories) == 1 and next(iter(stories.values())).status == Status.CANCELLED
    assert _reachable(said("festival", Status.CANCELLED, ("Munich",), "Munich"), next(iter(stories.values())))


def test_the_festival_told_by_its_city_first_is_the_one_named_next():
    stories = run(
        report("a", 0, said("festival", Status.ON_HOLD, ("Munich",), "Munich")),
        report("b", 2, said("festival", Status.CANCELLED, ("Oktoberfest",), "Munich")),
    )
    assert len(stories) == 1


def test_the_race_told_by_its_winner_at_its_place_and_date_is_the_race_told_by_its_name():
    day = (T0 + timedelta(days=6)).date()
    planned = said("race", Status.PLANNED, ("Berlin Marathon",), "Berlin", event_date=day)
    won = said("race", Status.TOOK_PLACE, ("Eliud Kipchoge",), "Berlin", event_date=day)
    stories = run(report("a", 0, planned), report("b", 6, won))
    assert len(stories) == 1 and next(iter(stories.values())).status == Status.TOOK_PLACE
    assert _reachable(won, next(iter(stories.values())))


def test_next_year_s_festival_in_the_city_is_another_edition():
    stories = run(
        report("a", 0, said("festival", Status.PLANNED, ("Oktoberfest",), "Munich", event_date=(T0 + timedelta(days=40)).date())),
        report("b", 365, said("festival", Status.CANCELLED, ("Munich",), "Munich", event_date=(T0 + timedelta(days=405)).date())),
        report("c", 420, said("festival", Status.CANCELLED, ("Munich",), "Munich")),
    )
    assert len(stories) == 3


def test_a_race_in_another_city_or_on_another_weekend_is_another_race():
    day = (T0 + timedelta(days=6)).date()
    stories = run(
        report("a", 0, said("race", Status.PLANNED, ("Berlin Marathon",), "Berlin", event_date=day)),
        report("b", 6, said("race", Status.TOOK_PLACE, ("Eliud Kipchoge",), "London", event_date=day)),
        report("c", 20, said("race", Status.TOOK_PLACE, ("Tigst Assefa",), "Berlin", event_date=day + timedelta(days=14))),
    )
    assert len(stories) == 3


def test_two_games_each_named_by_its_own_name_in_one_city_stay_apart():
    stories = run(
        report("a", 0, said("tournament", Status.POSTPONED, ("Olympic Games",), "Tokyo")),
        report("b", 1, said("tournament", Status.POSTPONED, ("Paralympics",), "Tokyo")),
    )
    assert len(stories) == 2


# --- a name with or without its accents and hyphens is one name ---------------------------


def test_a_name_spelt_with_or_without_its_accents_is_one_participant():
    stories = run(
        report("a", 0, said("shareholder_meeting", Status.POSTPONED, ("Daimler", "Ola Källenius"))),
        report("b", 1, said("shareholder_meeting", Status.PLANNED, ("Ola Kallenius", "Daimler"), "Berlin")),
    )
    assert len(stories) == 1


def test_a_name_spelt_with_or_without_its_hyphen_is_one_participant_and_is_found_by_it():
    stories = run(
        report("a", 0, said("summit", Status.PLANNED, ("Moon Jae-in", "Kim Jong-un"), "Panmunjom")),
        report("b", 1, said("summit", Status.TOOK_PLACE, ("Moon Jae In", "Kim Jong Un"), "Panmunjom")),
    )
    assert len(stories) == 1
    assert _reachable(said("summit", Status.TOOK_PLACE, ("Moon Jae In", "Kim Jong Un"), "Panmunjom"), next(iter(stories.values())))


def test_two_places_the_gazetteer_knows_as_two_stay_two_whatever_their_words():
    stories = run(
        report("a", 0, said("election", Status.POSTPONED, ("Saxony",))),
        report("b", 1, said("election", Status.PLANNED, ("Saxony-Anhalt",))),
        report("c", 2, said("election", Status.PLANNED, ("Lower Saxony",))),
    )
    assert len(stories) == 3


# --- a plan whose date passed unreported: its new date, not next year's edition -------------


@pytest.mark.parametrize(("later", "stories_expected"), [(31, 1), (363, 2)], ids=["replayed-weeks-later", "next-season"])
def test_a_match_whose_date_passed_unreported_takes_a_new_date_weeks_later_not_a_year_later(later, stories_expected):
    first = (T0 + timedelta(days=5)).date()
    pairing = ("Borussia Mönchengladbach", "1. FC Köln")
    stories = run(
        report("a", 0, said("match", Status.PLANNED, pairing, event_date=first)),
        report("b", later + 5, said("match", Status.TOOK_PLACE, pairing, event_date=first + timedelta(days=later))),
    )
    assert len(stories) == stories_expected


# --- a story put off is awaited about a year, not for ever ---------------------------------


@pytest.mark.parametrize(("silence", "stories_expected"), [(240, 1), (575, 2)], ids=["made-up-within-the-year", "years-later"])
def test_a_delayed_story_unreported_for_years_is_not_what_a_new_plan_of_the_pair_speaks_of(silence, stories_expected):
    """Consultations put off in October and unreported since: a meeting of the same pair
    planned for a date a year and a half on is a new event (and no alert tells that the
    old one is planned again); a new date eight months on is the one it was put off to."""
    pair = ("Emmanuel Macron", "Olaf Scholz")
    first = (T0 + timedelta(days=6)).date()
    a = report("a", 0, said("meeting", Status.PLANNED, pair, "Paris", event_date=first))
    b = report("b", 1, said("meeting", Status.POSTPONED, pair, "Paris", event_date=first))
    stories = run(a, b)
    later = report("c", silence, said("meeting", Status.PLANNED, pair, event_date=(T0 + timedelta(days=silence + 2)).date()))
    result = track_article(later, stories)
    stories.update(result.stories)
    assert len(stories) == stories_expected
    if stories_expected == 2:
        assert not [x for x in result.alerts if x.from_status == Status.POSTPONED and x.to_status == Status.PLANNED]


# --- a time window per kind: an edition that runs for weeks is one story --------------------


@pytest.mark.parametrize(("kind", "name", "place", "days"), [
    ("festival", "Oktoberfest", "Munich", 15),
    ("conference", "COP26", "Glasgow", 12),
])
def test_the_first_and_the_last_day_of_an_event_that_runs_for_weeks_are_one_story(kind, name, place, days):
    # told before it begins: one report dates it by its opening day, the next by its closing day
    opening = (T0 + timedelta(days=30)).date()
    stories = run(
        report("a", 0, said(kind, Status.PLANNED, (name,), place, event_date=opening)),
        report("b", 5, said(kind, Status.PLANNED, (name,), place, event_date=opening + timedelta(days=days))),
    )
    assert len(stories) == 1


def test_the_next_edition_of_a_festival_a_year_on_stays_another_story_whatever_its_window():
    opening = (T0 + timedelta(days=30)).date()
    stories = run(
        report("a", 0, said("festival", Status.PLANNED, ("Oktoberfest",), "Munich", event_date=opening)),
        report("b", 380, said("festival", Status.PLANNED, ("Oktoberfest",), "Munich", event_date=opening + timedelta(days=364))),
    )
    assert len(stories) == 2


# --- a city in one report, a venue the gazetteer does not place in the next ---------------


def test_the_same_people_at_a_venue_and_in_a_city_near_in_time_are_one_event():
    summit = said("summit", Status.TOOK_PLACE, ("Donald Trump", "Kim Jong Un"), "Capella Hotel")
    stories = run(
        report("a", 0, said("summit", Status.PLANNED, ("Donald Trump", "Kim Jong Un"), "Singapore")),
        report("b", 6, summit),
        report("c", 7, said("visit", Status.PLANNED, ("Charles III", "Camilla"), "Paris")),
        report("d", 9, said("visit", Status.TOOK_PLACE, ("Charles III", "Camilla"), "Château de Versailles")),
    )
    assert story_of(stories, "a") == story_of(stories, "b") and story_of(stories, "c") == story_of(stories, "d")
    assert len(stories) == 2 and _reachable(summit, stories[next(iter(story_of(stories, "a")))])


def test_a_venue_keeps_apart_a_tour_s_concert_a_place_that_is_no_venue_and_a_later_meeting():
    stories = run(
        report("a", 0, said("concert", Status.PLANNED, ("Taylor Swift",), "London")),
        report("b", 1, said("concert", Status.CANCELLED, ("Taylor Swift",), "Ernst-Happel-Stadion")),
        report("c", 2, said("summit", Status.PLANNED, ("Donald Trump", "Kim Jong Un"), "Singapore")),
        report("d", 3, said("summit", Status.PLANNED, ("Donald Trump", "Kim Jong Un"), "Korean Peninsula")),
        report("e", 90, said("summit", Status.PLANNED, ("Donald Trump", "Kim Jong Un"), "Metropole Hotel")),
    )
    assert len(stories) == 5


# --- a report naming no place but the host as a side names the host's place ----------------


def test_a_visit_told_by_its_guest_and_the_host_country_is_the_visit_told_by_guest_and_host():
    postponed = said("visit", Status.POSTPONED, ("Xi Jinping", "Japan"))
    stories = run(report("a", 0, said("visit", Status.PLANNED, ("Xi Jinping", "Yoshihide Suga"), "Japan")), report("b", 3, postponed))
    assert len(stories) == 1 and next(iter(stories.values())).status == Status.POSTPONED
    assert _reachable(postponed, next(iter(stories.values())))


def test_another_guest_s_visit_to_the_host_country_stays_another_visit():
    stories = run(
        report("a", 0, said("visit", Status.PLANNED, ("Xi Jinping", "Yoshihide Suga"), "Japan")),
        report("b", 2, said("visit", Status.PLANNED, ("Modi", "Japan"))),
        report("c", 3, said("meeting", Status.PLANNED, ("Merz", "Trump"), "Paris")),
        report("d", 4, said("meeting", Status.PLANNED, ("Merz", "France"))),
    )
    assert len(stories) == 4


# --- a call-off's reports state the date that was called off --------------------------------


@pytest.mark.parametrize(
    ("later_days", "date_days", "stories_expected"),
    [
        (1, 150, 1),  # "the election planned for 26 September cannot take place", the day after the call-off
        (60, 150, 2),  # two months on, a plan of a later date is another event (the next one)
        (1, 360, 2),  # next year's edition, named in the days of this one's call-off
    ],
)
def test_a_later_date_in_the_days_of_a_call_off_is_the_date_called_off(later_days, date_days, stories_expected):
    # the election was set for a date, put off to one the reports did not state, then called off
    first = (T0 + timedelta(days=40)).date()
    called_off_for = first + timedelta(days=date_days)
    stories = run(
        report("a", 0, said("election", Status.PLANNED, ("Thuringia",), event_date=first)),
        report("b", 10, said("election", Status.CANCELLED, ("Thuringia",), event_date=first)),
        report("c", 10 + later_days, said("election", Status.CANCELLED, ("Thuringia",), event_date=called_off_for)),
    )
    assert len(stories) == stories_expected
    assert story_of(stories, "c") != story_of(stories, "a") or stories_expected == 1


# --- a story put off still awaits its new date when a plan without one follows --------------


@pytest.mark.parametrize(("put_off", "stories_expected"), [(True, 1), (False, 2)], ids=["put-off-then-planned-undated", "never-put-off"])
def test_a_visit_put_off_then_planned_without_a_date_is_what_its_made_up_date_speaks_of(put_off, stories_expected):
    """A state visit set for July, put off the day before; weeks later a report that the
    visit "will celebrate shared history", without a date, plans it again. The visit held
    the next May (over 300 days on, past the kind's open days) is the one put off. A visit
    that was never put off, whose date passed unreported, is not awaited that long."""
    first = (T0 + timedelta(days=2)).date()
    guest = ("Emmanuel Macron",)
    articles = [report("a", 0, said("visit", Status.PLANNED, guest, "Germany", event_date=first))]
    if put_off:
        articles.append(report("b", 1, said("visit", Status.POSTPONED, guest, "Germany", event_date=first)))
    articles.append(report("c", 50, said("visit", Status.PLANNED, guest)))
    articles.append(report("d", 330, said("visit", Status.TOOK_PLACE, guest, "Berlin", event_date=(T0 + timedelta(days=330)).date())))
    stories = run(*articles)
    assert len(stories) == stories_expected


# --- a report stating a date, of a story open without one, is judged by that date -----------


@pytest.mark.parametrize(
    ("recalled_day", "status", "stories_expected"),
    [(10, Status.POSTPONED, 1), (400, Status.POSTPONED, 2), (10, Status.PLANNED, 2)],
    ids=["the-date-put-off", "next-years-date", "a-plan-that-would-undo-the-delay"],
)
def test_a_dated_report_of_an_undated_delay_is_judged_by_its_date_not_by_when_it_speaks(recalled_day, status, stories_expected):
    """A race postponed "from April until October" (no day stated), silent for six months;
    the report of the race recalls that it "had been scheduled for April 11 but was
    postponed": the delay it speaks of is the story's, however long after. A date a year
    on is another edition's; a plan told that long after, which would move the story
    back, is judged by when it speaks as before."""
    race = ("Paris-Roubaix",)
    stories = run(
        report("a", 0, said("race", Status.POSTPONED, race)),
        report("b", 185, said("race", status, race, background=True, event_date=(T0 + timedelta(days=recalled_day)).date())),
    )
    assert len(stories) == stories_expected


# --- one report moves a delayed story's date once: to the start it plans --------------------


def test_a_report_of_a_new_start_and_end_dates_a_delayed_race_from_its_start():
    """"Postponed after the ban on gatherings until July 15 ... will begin on August 29
    ... and finish on September 20": the race is dated from the start the report plans,
    so the report of its first stage on August 29 is that race."""
    race = ("Tour de France",)
    first, ban, start, finish = (date(2024, 6, 27), date(2024, 7, 15), date(2024, 8, 29), date(2024, 9, 20))
    stories = run(
        report("a", 0, said("race", Status.POSTPONED, race, "Nice", event_date=first)),
        report(
            "b", 1,
            said("race", Status.POSTPONED, race, "Nice", event_date=ban),
            said("race", Status.PLANNED, race, "Nice", event_date=start),
            said("race", Status.PLANNED, race, "Nice", event_date=finish),
        ),
    )
    assert [s.event_date for s in stories.values()] == [start]
    stories.update(track_article(report("c", 177, said("race", Status.TOOK_PLACE, ("Alexander Kristoff", *race), event_date=start)), stories).stories)
    assert len(stories) == 1


# --- an event of one subject: reports sharing it are one event whatever else each names -----


@pytest.mark.parametrize(
    ("kind", "first", "second", "stories_expected"),
    [
        ("shareholder_meeting", ("Daimler", "Livestream"), ("Daimler", "Ola Källenius"), 1),  # a stream, the chief executive
        ("launch", ("Artemis I", "NASA", "Orion"), ("Artemis 1", "Florida"), 1),  # the launch site's state
        ("launch", ("Crew-5", "NASA"), ("Crew-6", "NASA"), 2),  # the agency's next mission
        ("race", ("Tour de France", "Tadej Pogacar"), ("Giro d'Italia", "Tadej Pogacar"), 2),  # one rider, two races: no subject in common
        ("shareholder_meeting", ("Daimler", "Scholz"), ("Daimler", "Ola Källenius"), 2),  # a person of the gazetteer is a party of its own
        ("meeting", ("Witkoff", "Dmitriev"), ("Witkoff", "Umerov"), 2),  # a meeting of people has no one subject
    ],
    ids=["company-meeting", "mission", "next-mission", "same-rider", "known-person", "envoys"],
)
def test_reports_of_an_event_of_one_subject_sharing_it_are_one_story(kind, first, second, stories_expected):
    stories = run(report("a", 0, said(kind, Status.POSTPONED, first)), report("b", 20, said(kind, Status.PLANNED, second)))
    assert len(stories) == stories_expected


def test_a_report_sharing_the_subject_finds_the_story_through_the_index():
    from consumers.story_tracking import candidate_terms, story_terms

    story = Story(story_id="st-1", title="t", type="shareholder_meeting", actors=["Daimler", "Livestream"], status=Status.POSTPONED, status_since=T0)
    mention = said("shareholder_meeting", Status.TOOK_PLACE, ("Daimler", "Ola Källenius"))
    assert set(candidate_terms(mention)) & set(story_terms(story))


# --- a match is of two sides: reports naming both are one match whatever else they name -----


@pytest.mark.parametrize(
    ("first", "first_place", "second", "second_place", "stories_expected"),
    [
        (("Bayern Munich", "Union Berlin", "Werder Bremen"), "Munich", ("Bayern Munich", "Union Berlin", "Bayer Leverkusen"), None, 1),  # a club named in passing on each side
        (("Bayern Munich", "Union Berlin"), "Munich", ("Bayern Munich", "Union Berlin", "Bayer Leverkusen"), "Munich", 1),
        (("Bayern Munich", "Union Berlin", "Werder Bremen"), "Munich", ("Bayern Munich", "Bayer Leverkusen", "Hertha"), None, 2),  # one side in common
        (("Bayern Munich", "Union Berlin", "Werder Bremen"), "Munich", ("Bayern Munich", "Union Berlin", "Hertha"), "Berlin", 2),  # the return leg
    ],
    ids=["third-club-each", "third-club-one", "one-side-shared", "return-leg"],
)
def test_two_reports_naming_the_same_two_sides_of_a_match_are_one_match(first, first_place, second, second_place, stories_expected):
    stories = run(
        report("a", 0, said("match", Status.POSTPONED, first, first_place)),
        report("b", 2, said("match", Status.TOOK_PLACE, second, second_place)),
    )
    assert len(stories) == stories_expected


def test_a_match_report_naming_a_third_club_finds_the_match_through_the_index():
    from consumers.story_tracking import candidate_terms, story_terms

    story = Story(story_id="st-1", title="t", type="match", actors=["Bayern Munich", "Union Berlin", "Werder Bremen"], status=Status.POSTPONED, status_since=T0)
    mention = said("match", Status.TOOK_PLACE, ("Bayern Munich", "Union Berlin", "Bayer Leverkusen"))
    assert set(candidate_terms(mention)) & set(story_terms(story))
