"""The lexicons by language, not by story: each kind's event nouns with their plurals,
synonyms and compounds, and each status with the inflections and idioms news uses for
it, in English and German. Every sentence is written for the word it tests."""

from __future__ import annotations

import pytest

from schemas import Status
from tests.unit.extraction_text import found_claims


def _kinds_and_statuses(text: str, language: str) -> set[tuple[str, Status]]:
    return {(kind, status) for kind, _, status in found_claims(text, language)}


# English: the plural, the synonym or the compound a kind's event is named by
EN_EVENT_WORDS = [
    ("The semi-finals between Ajax and PSV were postponed because of snow.", "match", Status.POSTPONED),
    ("The quarterfinals between Ajax and PSV were rescheduled.", "match", Status.POSTPONED),
    ("The heavyweight bout between Joshua and Fury has been pushed back to December.", "match", Status.POSTPONED),
    ("The title fight between Joshua and Fury has been scrapped.", "match", Status.CANCELLED),
    ("The tournaments in Rotterdam and Doha have been postponed.", "tournament", Status.POSTPONED),
    ("The tourney in Rotterdam has been axed.", "tournament", Status.CANCELLED),
    ("The Asian Games in Hangzhou were cancelled.", "tournament", Status.CANCELLED),
    ("The Summer Games in Tokyo were postponed by a year.", "tournament", Status.POSTPONED),
    ("The triathlon in Hamburg has been cancelled.", "race", Status.CANCELLED),
    ("The ultramarathon in Cape Town has been postponed.", "race", Status.POSTPONED),
    ("The referenda in Scotland and Catalonia were postponed.", "referendum", Status.POSTPONED),
    ("The presidential poll in Nigeria has been pushed back by a week.", "election", Status.POSTPONED),
    ("The snap poll in Nigeria was postponed.", "election", Status.POSTPONED),
    ("Biden and Xi held a phone conversation on Monday.", "call", Status.TOOK_PLACE),
    ("Adele's recital in Vienna was postponed.", "concert", Status.POSTPONED),
    ("Coldplay's live shows in Dublin have been pushed back to June.", "concert", Status.POSTPONED),
    ("Coldplay's sold-out show in Dublin was cancelled.", "concert", Status.CANCELLED),
    ("The party congress in Beijing has been postponed.", "conference", Status.POSTPONED),
    ("The symposium in Berlin has been cancelled.", "conference", Status.CANCELLED),
    ("Wirecard postponed its half-year results.", "earnings_call", Status.POSTPONED),
    ("Wirecard delayed its full-year results.", "earnings_call", Status.POSTPONED),
    ("Daimler postponed its extraordinary general meeting.", "shareholder_meeting", Status.POSTPONED),
    ("The enthronement of Emperor Naruhito was postponed.", "ceremony", Status.POSTPONED),
]


@pytest.mark.parametrize(("text", "kind", "status"), EN_EVENT_WORDS)
def test_english_names_each_kinds_event_by_its_plurals_synonyms_and_compounds(text: str, kind: str, status: Status) -> None:
    assert (kind, status) in _kinds_and_statuses(text, "en"), found_claims(text, "en")


# English: the idioms and inflections of each status
EN_STATUS_WORDS = [
    ("Adele pulled the plug on her concert in Las Vegas.", "concert", Status.CANCELLED),
    ("Biden has ditched his meeting with Xi Jinping.", "meeting", Status.CANCELLED),
    ("Biden has nixed his meeting with Xi Jinping.", "meeting", Status.CANCELLED),
    ("Organisers decided to call off the Berlin Marathon.", "race", Status.CANCELLED),
    ("The Berlin Marathon will not be staged this year.", "race", Status.CANCELLED),
    ("Organisers decided to reschedule the Berlin Marathon.", "race", Status.POSTPONED),
    ("The Berlin Marathon is in limbo after the storm.", "race", Status.ON_HOLD),
    ("The Berlin Marathon hangs in the balance after the storm.", "race", Status.ON_HOLD),
    ("The G20 summit in Rome came to a close on Sunday.", "summit", Status.TOOK_PLACE),
    ("The Berlin Marathon was staged on Sunday despite the rain.", "race", Status.TOOK_PLACE),
    ("Biden phoned Xi Jinping on Monday.", "call", Status.TOOK_PLACE),
    ("The G20 summit in Rome is pencilled in for October.", "summit", Status.PLANNED),
    ("The G20 summit in Rome has been put back to December.", "summit", Status.POSTPONED),
    ("The G20 summit in Rome has been bumped to December.", "summit", Status.POSTPONED),
    ("Coldplay's Wembley concert is off.", "concert", Status.CANCELLED),
    ("The Berlin Marathon was run on Sunday in perfect conditions.", "race", Status.TOOK_PLACE),
    ("King Charles paid a state visit to France this week.", "visit", Status.TOOK_PLACE),
]


@pytest.mark.parametrize(("text", "kind", "status"), EN_STATUS_WORDS)
def test_english_says_each_status_in_its_idioms_and_inflections(text: str, kind: str, status: Status) -> None:
    assert (kind, status) in _kinds_and_statuses(text, "en"), found_claims(text, "en")


# German: plurals, synonyms and compounds of the event nouns ("die Turniere", "der
# Chinabesuch", "der Israel-Besuch", "die Kirmes")
DE_EVENT_WORDS = [
    ("Die Turniere in Rotterdam und Doha wurden abgesagt.", "tournament", Status.CANCELLED),
    ("Die WM in Katar wurde verschoben.", "tournament", Status.POSTPONED),
    ("Die Halbfinals zwischen Bayern und Dortmund wurden verschoben.", "match", Status.POSTPONED),
    ("Der Boxkampf zwischen Klitschko und Fury wurde verschoben.", "match", Status.POSTPONED),
    ("Der Triathlon in Hamburg wurde abgesagt.", "race", Status.CANCELLED),
    ("Die Volksbefragung in Kärnten wurde abgesagt.", "referendum", Status.CANCELLED),
    ("Die Antrittsvisite von Kanzler Merz in Paris wurde verschoben.", "visit", Status.POSTPONED),
    ("Kanzler Merz hat seinen Chinabesuch abgesagt.", "visit", Status.CANCELLED),
    ("Kanzler Merz hat seine Japanreise abgesagt.", "visit", Status.CANCELLED),
    ("Kanzler Merz hat seine Deutschlandreise abgesagt.", "visit", Status.CANCELLED),
    ("Die Kirmes in Köln fällt aus.", "festival", Status.CANCELLED),
    ("Der Weihnachtsmarkt in Köln fällt aus.", "festival", Status.CANCELLED),
    ("Die Neunmonatszahlen von Wirecard wurden verschoben.", "earnings_call", Status.POSTPONED),
    ("Die Beisetzung von Königin Elisabeth wurde verschoben.", "ceremony", Status.POSTPONED),
]


@pytest.mark.parametrize(("text", "kind", "status"), DE_EVENT_WORDS)
def test_german_names_each_kinds_event_by_its_plurals_synonyms_and_compounds(text: str, kind: str, status: Status) -> None:
    assert (kind, status) in _kinds_and_statuses(text, "de"), found_claims(text, "de")


# German: the status in a compound's head ("Konzertabsage", "Wahlverschiebung"), the
# idioms ("ließ ... platzen", "ging über die Bühne") and the missing inflections
DE_STATUS_WORDS = [
    ("Die Konzertabsage von Coldplay in Berlin sorgt für Ärger.", "concert", Status.CANCELLED),
    ("Die Wahlverschiebung in Nigeria sorgt für Ärger.", "election", Status.POSTPONED),
    ("Nach der Olympia-Absage in Tokio herrscht Ratlosigkeit.", "tournament", Status.CANCELLED),
    ("Scholz ließ das Treffen mit Macron platzen.", "meeting", Status.CANCELLED),
    ("Coldplay verlegte das Konzert in Berlin auf Juni.", "concert", Status.POSTPONED),
    ("Das Konzert von Coldplay in Berlin ging am Samstag über die Bühne.", "concert", Status.TOOK_PLACE),
    ("Das Konzert von Coldplay in Berlin hängt in der Schwebe.", "concert", Status.ON_HOLD),
    ("Die Piloten der Lufthansa haben am Freitag gestreikt.", "strike", Status.TOOK_PLACE),
    ("Die Lokführer der GDL traten am Freitag in den Ausstand.", "strike", Status.TOOK_PLACE),
    ("Der neue Flughafen BER geht erst mit zweimonatiger Verspätung in Betrieb.", "opening", Status.POSTPONED),
    ("Die Gewerkschaft Verdi setzt den Streik bei der Lufthansa aus.", "strike", Status.ON_HOLD),
    ("Der Schiedsrichter brach das Spiel zwischen Bayern und Dortmund ab.", "match", Status.CANCELLED),
    ("Wegen des Streiks bei der Lufthansa sind 1500 Flüge annulliert worden.", "strike", Status.TOOK_PLACE),
    ("Die Piloten der Lufthansa haben am Freitag die Arbeit niedergelegt.", "strike", Status.TOOK_PLACE),
    ("Der EU-Gipfel in Brüssel steht im Dezember an.", "summit", Status.PLANNED),
    ("Der EU-Gipfel in Brüssel tagte am Freitag.", "summit", Status.TOOK_PLACE),
    ("Der EU-Gipfel in Brüssel wurde um eine Woche nach hinten geschoben.", "summit", Status.POSTPONED),
    ("Scholz und Macron sind am Dienstag in Paris zu einem Treffen zusammengekommen.", "meeting", Status.TOOK_PLACE),
    ("König Charles weilte am Dienstag in Paris zu einem Staatsbesuch.", "visit", Status.TOOK_PLACE),
    ("Coldplay gab am Samstag im Olympiastadion ein Konzert.", "concert", Status.TOOK_PLACE),
    ("Die Rakete von SpaceX ist am Samstag in Florida gestartet.", "launch", Status.TOOK_PLACE),
    ("Die Oscars wurden am Sonntag in Los Angeles verliehen.", "ceremony", Status.TOOK_PLACE),
]


@pytest.mark.parametrize(("text", "kind", "status"), DE_STATUS_WORDS)
def test_german_says_each_status_in_compounds_idioms_and_inflections(text: str, kind: str, status: Status) -> None:
    assert (kind, status) in _kinds_and_statuses(text, "de"), found_claims(text, "de")


def test_a_bout_of_illness_names_no_fight():
    found = found_claims("A bout of flu forced Djokovic to cancel training with Murray.", "en")
    assert [kind for kind, _, _ in found if kind == "match"] == [], found
