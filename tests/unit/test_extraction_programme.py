"""What a visitor will do on a visit is its programme, not stories of its own; an event
placed before or after the visit, a turn of an item, and the headline's own claims stay."""

from __future__ import annotations

from schemas import Status
from tests.unit.extraction_text import extracted


def _kinds(text: str, language: str = "en", title: str | None = None) -> list[tuple[str, Status]]:
    return sorted((m.type, m.status) for m in extracted(text, language, title=title, background=False))


EN_VISIT = "King Frederik of Denmark will pay a state visit to Italy next week, the palace said."
DE_VISIT = "Der niederländische König Willem-Alexander wird kommende Woche zu einem Staatsbesuch in Polen erwartet."


def test_items_of_a_visit_programme_told_in_the_body_are_not_stories():
    for body in (
        "In Rome the king will also meet President Sergio Mattarella and Prime Minister Giorgia Meloni.",
        "He is expected to attend a wreath-laying ceremony with Sergio Mattarella at the Altare della Patria on Tuesday.",
        "After the Rome leg, Frederik will meet Prime Minister Giorgia Meloni in Milan.",
    ):
        kinds = _kinds(f"{EN_VISIT}\n\nThe programme is packed. Security will be tight. Crowds are expected.\n\n{body}")
        assert ("visit", Status.PLANNED) in kinds, (body, kinds)
        assert not [k for k in kinds if k[0] in ("meeting", "ceremony")], (body, kinds)


def test_items_of_a_visit_programme_in_german():
    body = "In Warschau ist unter anderem ein Treffen von Willem-Alexander mit Präsident Andrzej Duda geplant."
    kinds = _kinds(f"{DE_VISIT}\n\nDas Programm ist dicht. Die Polizei ist vorbereitet. Viele Schaulustige werden kommen.\n\n{body}", "de")
    assert ("visit", Status.PLANNED) in kinds and not [k for k in kinds if k[0] == "meeting"], kinds


def test_an_event_placed_after_the_visit_is_not_on_its_programme():
    body = "The state visit will be followed on Friday by a meeting between Meloni and French President Emmanuel Macron."
    kinds = _kinds(f"{EN_VISIT}\n\nThe programme is packed. Security will be tight. Crowds are expected.\n\n{body}")
    assert ("meeting", Status.PLANNED) in kinds, kinds


def test_a_turn_of_an_item_stays_its_news():
    body = "The meeting between Frederik and Sergio Mattarella has been cancelled."
    kinds = _kinds(f"{EN_VISIT}\n\nThe programme is packed. Security will be tight. Crowds are expected.\n\n{body}")
    assert ("meeting", Status.CANCELLED) in kinds, kinds


def test_without_a_visit_in_the_lead_a_planned_meeting_is_a_story():
    text = "Giorgia Meloni will meet Emmanuel Macron in Rome on Tuesday, the government said.\n\nThe two will also attend a ceremony with Sergio Mattarella."
    assert ("meeting", Status.PLANNED) in _kinds(text), _kinds(text)
