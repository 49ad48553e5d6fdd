"""Recall by how the language reports an event, not by any one story: a paragraph an
agency's credit closes, an election whose country the article names elsewhere or only
by its people, a round of talks counted as such, a result that says the event was held."""

from __future__ import annotations

from schemas import Status
from tests.unit.extraction_text import extracted


def _found(text: str, language: str = "de", kind: str | None = None, title: str | None = None):
    return [(m.type, m.actors, m.status) for m in extracted(text, language, title=title, background=False) if kind is None or m.type == kind]


def test_a_paragraph_an_agency_credit_closes_is_the_agencys_text():
    text = ("Lima. In Peru hat am Sonntag die Präsidentschaftswahl stattgefunden. "
            "Die amtlichen Ergebnisse werden am Freitag erwartet. (Reuters)")
    assert ("election", ["Peru"], Status.TOOK_PLACE) in _found(text, kind="election")
    text = "Quito. The presidential election in Ecuador was held on Sunday. Results are due on Friday. (AFP)"
    assert ("election", ["Ecuador"], Status.TOOK_PLACE) in _found(text, "en", kind="election")


def test_a_caption_an_agency_credit_closes_stays_junk():
    assert _found("Der Ministerrat der beiden Länder trifft sich am Sonntag in Paris. (imago)") == []
    assert _found("Fans vor dem Stadion am Samstag, als das Spiel abgesagt wurde. (dpa)") == []
