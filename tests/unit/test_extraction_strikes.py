"""How labour news tells a strike's turns: a suspension is a strike on hold, a company
that is struck ("bestreikt") names a strike, and a day ahead after "wird" is its plan."""

from __future__ import annotations

import pytest

from schemas import Status
from tests.unit.extraction_text import extracted


def _strike(text: str, language: str):
    (found,) = [m for m in extracted(text, language) if m.type == "strike"]
    return found


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The union announced the suspension of the strike at Lufthansa.", "en"),
        ("Verdi kündigte die Aussetzung des Streiks bei der Lufthansa an.", "de"),
    ],
)
def test_a_suspension_puts_a_strike_on_hold(text, language):
    assert _strike(text, language).status == Status.ON_HOLD


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Bestreikt wurden am Montag die Regionalverkehrstochter der Deutschen Bahn sowie mehrere Privatbahnen.", Status.TOOK_PLACE),
        ("Die Lufthansa wird am Freitag erneut bestreikt.", Status.PLANNED),
    ],
)
def test_a_company_struck_names_its_strike(text, status):
    found = _strike(text, "de")
    assert found.status == status and found.actors[-1] in ("Deutsche Bahn", "Lufthansa")
