"""Kinds of scheduled event: the words that name them and the status cues that belong to
one kind (negotiation rounds, parliamentary votes, elections, concerts, festivals, races,
visits, openings). Sentences written for these tests."""

from __future__ import annotations

import pytest

from consumers.extraction import extract_events
from schemas import Article, Status
from tests.unit.extraction_text import PUBLISHED, extracted


def _kinds(text: str, language: str) -> list[tuple[str, Status]]:
    return [(m.type, m.status) for m in extracted(text, language)]


@pytest.mark.parametrize(
    ("text", "language", "kind", "status"),
    [
        # negotiation rounds: peace talks and negotiations are rounds, not a meeting of two people
        ("The peace talks on Yemen in Geneva have been postponed until next month.", "en", "negotiation_round", Status.POSTPONED),
        ("Negotiations between Kenya and the IMF resumed in Nairobi on Monday.", "en", "negotiation_round", Status.TOOK_PLACE),
        ("Negotiations between Russia and Ukraine are due to resume in Geneva next week.", "en", "negotiation_round", Status.PLANNED),
        ("Die Friedensgespräche für den Jemen sollen am 3. November in Genf fortgesetzt werden.", "de", "negotiation_round", Status.PLANNED),
        ("Die Friedensverhandlungen zwischen Armenien und Aserbaidschan wurden in Genf fortgesetzt.", "de", "negotiation_round", Status.TOOK_PLACE),
        # parliamentary votes: ratification, adjournment, agenda
        ("The Hungarian parliament ratified the treaty with Finland on Monday.", "en", "vote", Status.TOOK_PLACE),
        ("The ratification vote in the Polish parliament was adjourned on Tuesday.", "en", "vote", Status.POSTPONED),
        ("Das Parlament in Ankara hat die Ratifizierung des Abkommens mit Schweden vertagt.", "de", "vote", Status.POSTPONED),
        ("Die Abstimmung im Parlament in Budapest wurde für Dienstag auf die Tagesordnung gesetzt.", "de", "vote", Status.PLANNED),
        ("Der Bundestag hat die Verabschiedung des Gesetzes auf den Herbst verschoben.", "de", "vote", Status.POSTPONED),
        ("Der Bundestag hat die Verabschiedung des Klimaschutzgesetzes auf September verschoben.", "de", "vote", Status.POSTPONED),
        # elections: re-runs and run-offs, the signs that the vote was held
        ("Die Wahlwiederholung in Österreich wurde auf den 4. Dezember verschoben.", "de", "election", Status.POSTPONED),
        ("Nach der Präsidentenwahl in Österreich liegt das vorläufige Endergebnis vor.", "de", "election", Status.TOOK_PLACE),
        ("In Austria the far-right candidate conceded defeat in the presidential run-off late on Sunday.", "en", "election", Status.TOOK_PLACE),
        # concerts: appearances and shows
        ("Der Auftritt der Sängerin Helene Brandt in Leipzig wird im Frühjahr nachgeholt.", "de", "concert", Status.POSTPONED),
        ("The singer Anna Berg has cancelled her upcoming shows in Vienna.", "en", "concert", Status.CANCELLED),
        ("The opening night of the singer Anna Berg's residency in Las Vegas was postponed.", "en", "concert", Status.POSTPONED),
        # festivals: suspended is in doubt, not over
        ("Das Festival in München wurde wegen eines Gewitters unterbrochen.", "de", "festival", Status.ON_HOLD),
        ("The Green Hill festival in Leeds was halted after lightning struck the site.", "en", "festival", Status.ON_HOLD),
        ("The festival in Indio will not be taking place this year, the county said.", "en", "festival", Status.CANCELLED),
        ("Das Stadtfest in Ulm fällt in diesem Jahr ersatzlos aus.", "de", "festival", Status.CANCELLED),
        # races: ski races and marathons by name
        ("The downhill in Kitzbühel was called off because of fog.", "en", "race", Status.CANCELLED),
        ("Der Halbmarathon in Köln wurde wegen der Hitze abgesagt.", "de", "race", Status.CANCELLED),
        ("Der Große Preis von Spanien in Barcelona ist abgesagt worden.", "de", "race", Status.CANCELLED),
        ("The Monaco GP in Monte Carlo was called off.", "en", "race", Status.CANCELLED),
        # visits: arrangements, arrivals, a state guest's welcome
        ("Tokyo and Beijing are arranging a state visit by Xi Jinping to Japan next spring.", "en", "visit", Status.PLANNED),
        ("Der türkische Präsident Erdogan wurde bei seinem Arbeitsbesuch in Berlin mit militärischen Ehren empfangen.", "de", "visit", Status.TOOK_PLACE),
        # openings
        ("The opening date of the terminal at Vienna airport stands: it is on track to open in June.", "en", "opening", Status.PLANNED),
        ("Die Eröffnung der Konzerthalle in Hamburg wurde mit einem Festakt gefeiert.", "de", "opening", Status.TOOK_PLACE),
        ("Die neue Brücke in Dresden ist am Montag in Betrieb genommen worden.", "de", "opening", Status.TOOK_PLACE),
        ("The new tram line in Leeds opened to passengers on Tuesday.", "en", "opening", Status.TOOK_PLACE),
    ],
)
def test_kind_words_and_cues(text: str, language: str, kind: str, status: Status):
    assert (kind, status) in _kinds(text, language)


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("The peace talks between Russia and Ukraine in Geneva have been postponed until next month.", "en", "talks"),
        ("Die Friedensgespräche zwischen Russland und der Ukraine in Genf wurden verschoben.", "de", "talks"),
    ],
)
def test_a_round_of_negotiations_is_not_a_meeting(text: str, language: str, kind: str):
    assert all(k != kind for k, _ in _kinds(text, language))


def test_a_season_opening_race_is_no_opening():
    kinds = _kinds("Formula One's season-opening race in Bahrain will go ahead without spectators, organisers said.", "en")
    assert ("race", Status.PLANNED) in kinds and all(k != "opening" for k, _ in kinds)


@pytest.mark.parametrize(
    ("text", "language", "participant"),
    [
        ("The Sejm postponed the vote on the budget.", "en", "Sejm"),
        ("Die Abstimmung in der Großen Nationalversammlung wurde vertagt.", "de", "Grand National Assembly"),
        ("Das Hahnenkamm-Rennen in Kitzbühel wurde wegen Nebels abgesagt.", "de", "Hahnenkamm Race"),
    ],
)
def test_parliaments_and_recurring_events_are_known_participants(text: str, language: str, participant: str):
    found = extract_events(Article(id="k", text=text, language=language, published_at=PUBLISHED))
    assert any(participant in m.actors for m in found), found
