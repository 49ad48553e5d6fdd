"""Extraction on prose as outlets write it: names no list holds, every kind of scheduled
event, claims that are no claims, and input built to be slow."""

from __future__ import annotations

import time

import pytest

from consumers.extraction import event_types, extract, extract_events
from consumers.extraction.text import MAX_SENTENCE, split_article
from schemas import Article, Status
from tests.unit.extraction_text import PUBLISHED, extracted


KINDS = {
    "summit", "meeting", "talks", "visit", "consultations", "call", "negotiation_round", "conference", "election", "referendum",
    "vote", "match", "race", "tournament", "strike", "launch", "concert", "tour", "festival", "trial", "hearing", "earnings_call",
    "shareholder_meeting", "ceremony", "opening", "preparatory_meeting",
}


def _events(text: str, language: str = "de"):
    return extracted(text, language)


def _one(text: str, language: str = "de"):
    found = [m for m in _events(text, language) if not m.background]
    assert len(found) == 1, found
    return found[0]


def test_every_kind_of_scheduled_event_is_shipped_with_words_in_both_languages():
    from consumers.extraction import lexicons

    assert KINDS <= set(event_types())
    for lex in lexicons().values():
        assert KINDS <= set(lex.type_words), lex.language
    assert all(t.window_days >= 1 and t.family for t in event_types().values())


@pytest.mark.parametrize(
    ("text", "language", "kind", "status", "actor"),
    [
        ("Sondergesandter Keith Kellogg wird am Donnerstag in Kiew erwartet, ein Treffen mit Andrij Jermak ist geplant.", "de", "meeting", Status.PLANNED, "Keith Kellogg"),
        ("The Pittsburgh Steelers game against the Baltimore Ravens was postponed.", "en", "match", Status.POSTPONED, "Pittsburgh Steelers"),
        ("Die Gewerkschaft EVG hat den Streik bei der Bahn ausgesetzt.", "de", "strike", Status.ON_HOLD, "EVG"),
        ("NASA's Artemis I launch attempt was scrubbed on Monday.", "en", "launch", Status.POSTPONED, "Artemis I"),
        ("Die Landtagswahl in Thüringen wurde verschoben.", "de", "election", Status.POSTPONED, "Thuringia"),
        ("Die Kommunalwahl in Gotha wurde verschoben.", "de", "election", Status.POSTPONED, "Gotha"),
        ("King Charles arrived in Berlin for the three-day state visit.", "en", "visit", Status.TOOK_PLACE, "Charles"),
        ("Sängerin Helene Fischer hat das Konzert in Hamburg abgesagt.", "de", "concert", Status.CANCELLED, "Helene Fischer"),
        ("The trial of Harvey Weinstein got under way in New York on Monday.", "en", "trial", Status.TOOK_PLACE, "Harvey Weinstein"),
    ],
)
def test_open_vocabulary_participants_and_new_kinds(text, language, kind, status, actor):
    mention = next(m for m in _events(text, language) if m.type == kind)
    assert mention.status == status
    assert any(actor in a for a in mention.actors), mention.actors


def test_coordination_gives_both_sides():
    mention = _one("Das Spiel zwischen Hertha BSC und Union Berlin wurde abgesagt.")
    assert mention.type == "match" and {"Hertha BSC", "Union Berlin"} <= set(mention.actors), mention.actors
    steelers = next(m for m in _events("The Steelers-Ravens game was called off.", "en") if m.type == "match")
    assert set(steelers.actors) == {"Steelers", "Ravens"} and steelers.status == Status.POSTPONED  # a game called off is replayed


def test_variants_of_one_name_resolve_within_the_article():
    found = _events("Sondergesandter Keith Kellogg reist nach Kiew. Ein Treffen von Kellogg mit Andrij Jermak ist für Donnerstag geplant.")
    meeting = next(m for m in found if m.type == "meeting")
    assert "Keith Kellogg" in meeting.actors and "Kellogg" not in meeting.actors


def test_demonyms_name_the_sides():
    mention = _one("Die deutsch-chinesischen Regierungskonsultationen wurden verschoben.")
    assert mention.type == "consultations" and mention.actors == ["China", "Germany"] and mention.status == Status.POSTPONED


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Trump threatened to cancel the meeting with Putin.", "en"),
        ("Trump drohte, das Treffen mit Putin abzusagen.", "de"),
        ("Selenskyj forderte, den Gipfel von Trump und Putin abzusagen.", "de"),
        ("If the talks between Merz and Macron fail, the summit will be called off.", "en"),
    ],
)
def test_threats_demands_and_conditions_are_no_claims(text, language):
    assert all(m.status != Status.CANCELLED for m in _events(text, language)), _events(text, language)


def test_not_invited_does_not_put_the_summit_on_hold():
    found = _events("Selenskyj wurde zu dem Gipfel von Trump und Putin in Budapest nicht eingeladen.")
    assert all(m.status != Status.ON_HOLD for m in found), found
    found = _events("Zelensky was not invited to the summit of Trump and Putin in Budapest.", "en")
    assert all(m.status != Status.ON_HOLD for m in found), found


def test_negation_stays_in_its_clause():
    mention = _one("Das Treffen von Merz und Macron in Paris wurde abgesagt, nicht verschoben.")
    assert mention.status == Status.CANCELLED


def test_a_past_meeting_with_its_own_year_is_background():
    found = _events("Trump and Putin will meet in Budapest. The two met in 2019 in Osaka.", "en")
    osaka = [m for m in found if m.location == "Osaka"]
    assert osaka and all(m.background for m in osaka)
    assert [m.status for m in found if not m.background] == [Status.PLANNED]


def test_rescheduled_in_the_report_of_the_delay_is_postponed():
    mention = _one("The vote in the Bundestag was postponed and rescheduled for 16 November.", "en")
    assert mention.status == Status.POSTPONED


def test_under_way_kicked_off_and_arrived_are_held():
    assert _one("The strike by the RMT union at Network Rail is under way.", "en").status == Status.TOOK_PLACE
    assert _one("The Bayern Munich match against Arsenal kicked off at 8pm.", "en").status == Status.TOOK_PLACE


def test_not_this_year_cancels_an_edition_but_postpones_a_one_off_event():
    marathon = next(m for m in _events("Der New-York-Marathon findet in diesem Jahr nicht statt.") if m.type == "race")
    assert marathon.status == Status.CANCELLED
    opening = next(m for m in _events("Die Eröffnung des Flughafens BER wird nicht im Jahr 2017 stattfinden.") if m.type == "opening")
    assert opening.status == Status.POSTPONED


def test_kind_specific_cues_win_over_general_ones():
    match = next(m for m in _events("Das Derby zwischen Borussia Mönchengladbach und dem 1. FC Köln ist abgesagt.") if m.type == "match")
    assert match.status == Status.POSTPONED
    launch = next(m for m in _events('Die Nasa teilte mit: "Der Start von Artemis I wird heute nicht mehr stattfinden."') if m.type == "launch")
    assert launch.status == Status.POSTPONED


def test_press_conference_is_no_conference():
    assert _events("Merz gave a press conference in Berlin on Monday, which was postponed.", "en") == []


def test_hostile_text_without_punctuation_is_linear():
    """60 KB of cue and event words without a full stop: quadratic before (minutes)."""
    words = "Treffen abgesagt verschoben Putin Trump Gipfel nicht sagte ab will Gespräche "
    text = (words * 1000)[:60_000]
    sents, _ = split_article(None, text, [])
    assert max(len(s.text) for s in sents) <= MAX_SENTENCE
    started = time.process_time()
    extract_events(Article(id="h", text=text, language="de", published_at=PUBLISHED))
    assert time.process_time() - started < 10, "extraction must stay linear in the article's length"


def test_time_budget_stops_extraction_and_says_so():
    text = "Das Treffen von Merz und Macron in Paris wurde abgesagt. " * 50
    article = Article(id="b", text=text, language="de", published_at=PUBLISHED)
    cut = extract(article, budget_seconds=0.0)
    assert cut.over_budget and cut.events == []
    full = extract(article, budget_seconds=60.0)
    assert not full.over_budget and full.events


def test_storms_and_untitled_bystanders_are_no_participants():
    race = next(m for m in _events("The New York City Marathon was canceled after Hurricane Sandy hit the city.", "en") if m.type == "race")
    assert race.actors == ["New York City Marathon"] and race.status == Status.CANCELLED
    match = next(m for m in _events("Das Derby zwischen Borussia Mönchengladbach und dem 1. FC Köln wurde wegen Sturmtief Sabine abgesagt.") if m.type == "match")
    assert "Sabine" not in " ".join(match.actors)


def test_the_source_of_a_claim_is_not_its_whole_clause():
    visit = next(m for m in _events("Buckingham Palace announced on Friday that King Charles III will make a state visit to France.", "en") if m.type == "visit")
    assert "Charles III" in visit.actors and visit.status == Status.PLANNED
    shareholders = next(m for m in _events("Zum ersten Mal hat Daimler-Chef Ola Källenius an einer Hauptversammlung teilgenommen.") if m.type == "shareholder_meeting")
    assert "Daimler" in shareholders.actors and shareholders.status == Status.TOOK_PLACE


def test_a_cue_named_as_a_circumstance_is_no_claim():
    launch = next(m for m in _events("After two delays, the launch of NASA's Artemis I rocket finally lifted off.", "en") if m.type == "launch")
    assert launch.status == Status.TOOK_PLACE
    flight = next(m for m in _events('Nach mehreren Verschiebungen ist der Testflug der Nasa-Mission "Artemis I" gestartet.') if m.type == "launch")
    assert flight.status == Status.TOOK_PLACE
    assert _one("Das Spiel zwischen dem FC Bayern und Borussia Dortmund wurde wegen eines Unwetters verschoben.").status == Status.POSTPONED


def test_the_host_names_the_edition_of_a_hosted_event():
    games = next(m for m in _events("Die Olympischen Spiele in Tokio werden auf das Jahr 2021 verschoben.") if m.type == "tournament")
    assert set(games.actors) == {"Olympic Games", "Tokyo"} and games.location == "Tokyo" and games.status == Status.POSTPONED


def test_a_decision_taken_is_no_meeting():
    assert all(m.type != "meeting" for m in _events("Die Entscheidung über das Oktoberfest wurde von Söder und Reiter getroffen."))
    assert all(m.type != "meeting" for m in _events("The Met Police said the concerts by Taylor Swift will go ahead.", "en"))


def test_ticker_lines_and_credited_captions_are_junk():
    assert _events("+++ Eröffnungstermin des Berliner Flughafens BER geplatzt +++") == []
    assert _events("Das Derby zwischen Borussia Mönchengladbach und dem 1. FC Köln ist abgesagt. Foto: Jörg Schüler") == []
    assert _events("Der deutsch-französische Ministerrat trifft sich am Sonntag in Paris. (imago)") == []
    assert _events("More videos on Monday's scheduled launch of NASA's Artemis I:", "en") == []
