"""The status cues by language, not by story: each status with the inflections and
idioms news uses for it, in English and German. Every sentence is written for the word
it tests."""

from __future__ import annotations

import pytest

from schemas import Status
from tests.unit.extraction_text import found_claims


def _kinds_and_statuses(text: str, language: str) -> set[tuple[str, Status]]:
    return {(kind, status) for kind, _, status in found_claims(text, language)}


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
    ("The G20 summit in Rome is pencilled in for October.", "summit", Status.PLANNED),
    ("The G20 summit in Rome has been put back to December.", "summit", Status.POSTPONED),
    ("The G20 summit in Rome has been bumped to December.", "summit", Status.POSTPONED),
    ("Coldplay's Wembley concert is off.", "concert", Status.CANCELLED),
    ("King Charles paid a state visit to France this week.", "visit", Status.TOOK_PLACE),
]


@pytest.mark.parametrize(("text", "kind", "status"), EN_STATUS_WORDS)
def test_english_says_each_status_in_its_idioms_and_inflections(text: str, kind: str, status: Status) -> None:
    assert (kind, status) in _kinds_and_statuses(text, "en"), found_claims(text, "en")


# German: the status in a compound's head ("Olympia-Absage"), the idioms ("ließ ...
# platzen", "ging über die Bühne") and the missing inflections
DE_STATUS_WORDS = [
    ("Nach der Olympia-Absage in Tokio herrscht Ratlosigkeit.", "tournament", Status.CANCELLED),
    ("Scholz ließ das Treffen mit Macron platzen.", "meeting", Status.CANCELLED),
    ("Coldplay verlegte das Konzert in Berlin auf Juni.", "concert", Status.POSTPONED),
    ("Das Konzert von Coldplay in Berlin ging am Samstag über die Bühne.", "concert", Status.TOOK_PLACE),
    ("Das Konzert von Coldplay in Berlin hängt in der Schwebe.", "concert", Status.ON_HOLD),
    ("Die Lokführer der GDL traten am Freitag in den Ausstand.", "strike", Status.TOOK_PLACE),
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
]


@pytest.mark.parametrize(("text", "kind", "status"), DE_STATUS_WORDS)
def test_german_says_each_status_in_compounds_idioms_and_inflections(text: str, kind: str, status: Status) -> None:
    assert (kind, status) in _kinds_and_statuses(text, "de"), found_claims(text, "de")

