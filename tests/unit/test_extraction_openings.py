"""Openings as news tells them: who inaugurates a thing opens it (the thing is the verb's
object, the person who opens it no participant), a thing that takes up service opened,
and a facility named by its city's adjective is the city's."""

from __future__ import annotations

import pytest

from schemas import Status
from tests.unit.extraction_text import extracted


def _opening(text: str, language: str):
    (found,) = [m for m in extracted(text, language) if m.type == "opening"]
    return found


@pytest.mark.parametrize(
    ("text", "language", "thing", "status"),
    [
        ("President Erdogan inaugurated the new Istanbul Airport on Monday.", "en", "Istanbul Airport", Status.TOOK_PLACE),
        ("Kanzlerin Merkel eröffnete am Montag den neuen Flughafen BER.", "de", "BER", Status.TOOK_PLACE),
        ("Der türkische Präsident Recep Tayyip Erdogan hat den neuen Istanbuler Flughafen eingeweiht.", "de", "Istanbul", Status.TOOK_PLACE),
        ("Die Elbphilharmonie wird am 11. Januar eingeweiht.", "de", "Elbphilharmonie", Status.PLANNED),
        ("Der neue Flughafen Istanbul hat am Samstag seinen Betrieb offiziell aufgenommen.", "de", "Flughafen Istanbul", Status.TOOK_PLACE),
        # a facility named by its kind after a city's adjective is the city's after the opening's word too
        ("Die Eröffnung des neuen Istanbuler Flughafens wurde verschoben.", "de", "Istanbul", Status.POSTPONED),
        ("Die Eröffnung des Münchner Flughafens ist für Mai geplant.", "de", "Munich", Status.PLANNED),
    ],
)
def test_what_is_inaugurated_or_taken_into_service_opens(text, language, thing, status):
    found = _opening(text, language)
    assert found.actors == [thing] and found.status == status


@pytest.mark.parametrize(
    "text",
    [
        "Biden was inaugurated as president on Wednesday.",
        "The new airport was opened in October 2018.",
    ],
)
def test_no_person_or_date_is_the_thing_opened(text):
    assert not any(m.type == "opening" and (m.actors[0][:1].isdigit() or "Biden" in m.actors) for m in extracted(text, "en"))


@pytest.mark.parametrize(
    ("text", "thing"),
    [
        ("Die im Januar geplante Betriebsaufnahme des neuen Flughafens Istanbul wird verschoben.", "Flughafens Istanbul"),
        ("Die vollständige Inbetriebnahme der Elbphilharmonie verspätet sich zum dritten Mal in Folge.", "Elbphilharmonie"),
        ("Die Elbphilharmonie öffnet erst mit zweimonatiger Verspätung ihre Türen.", "Elbphilharmonie"),
    ],
)
def test_a_thing_that_goes_into_service_late_is_a_delayed_opening(text, thing):
    """German tells an opening's delay as lateness ("verspätet sich", "mit ... Verspätung")
    and the opening as the taking up of service ("Betriebsaufnahme") as often as by
    "Eröffnung ... verschoben"."""
    found = _opening(text, "de")
    assert (found.actors, found.status) == ([thing], Status.POSTPONED)
