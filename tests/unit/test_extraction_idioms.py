"""Event and status words in idioms of their own: a mass is no fair, a goal no meeting,
an olive branch held out no event held, the favourite no result, a tournament's first
days no opening; the words' own senses around them stay events."""

from __future__ import annotations

import pytest

from schemas import Status
from tests.unit.extraction_text import extracted


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Am Sonntag wird der Papst in Lissabon eine Messe unter freiem Himmel feiern.", "de"),
        ("In Fatima will Papst Leo am Nachmittag die heilige Messe halten.", "de"),
        ("Kurz vor Ende der Partie (88.) traf Marco Reus zum 2:1-Endstand aus Sicht der Bayern.", "de"),
        ("Carsten Spohr on Thursday held out an olive branch to UFO, saying he was open to arbitration talks.", "en"),
        ("After his win in the opening time trial, Remco Evenepoel is the man to beat in the Giro.", "en"),
        ("Centre Court will be allowed to host 7,500 fans in the opening days, and Serena Williams is expected to play on Monday.", "en"),
    ],
)
def test_idioms_name_no_event(text, language):
    assert extracted(text, language) == [], [(m.type, m.status, m.actors) for m in extracted(text, language)]


@pytest.mark.parametrize(
    ("text", "language", "kind", "status"),
    [
        ("Die Hannover Messe ist wegen des Virus abgesagt worden.", "de", "conference", Status.CANCELLED),
        ("Friedrich Merz traf sich am Montag zum Gespräch mit Emmanuel Macron in Paris.", "de", "meeting", Status.TOOK_PLACE),
        ("Lufthansa chief Carsten Spohr held talks with the union UFO on Friday.", "en", "talks", Status.TOOK_PLACE),
    ],
)
def test_the_words_own_senses_stay_events(text, language, kind, status):
    assert (kind, status) in {(m.type, m.status) for m in extracted(text, language)}, extracted(text, language)
