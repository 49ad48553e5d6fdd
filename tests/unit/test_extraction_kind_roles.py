"""Participants per kind of event, as the news names them: the two sides of a game, the
event's own name for races and festivals, the chamber that holds a vote."""

from __future__ import annotations

import pytest

from tests.unit.extraction_text import extracted


def _actors(text: str, language: str, kind: str) -> set[str]:
    found = [m for m in extracted(text, language, background=False) if m.type == kind]
    assert found, text
    return {a for m in found for a in m.actors}


@pytest.mark.parametrize(
    ("text", "language", "sides"),
    [
        ("The match between Arsenal and Tottenham Hotspur was postponed.", "en", {"Arsenal", "Tottenham Hotspur"}),
        ("Das Spiel zwischen dem FC Bayern und dem VfL Wolfsburg wurde abgesagt.", "de", {"Bayern Munich", "VfL Wolfsburg"}),
        ("Das Spiel des FC Bayern gegen Union Berlin wurde verschoben.", "de", {"Bayern Munich", "Union Berlin"}),
        ("The Chelsea vs. Aston Villa game was called off on Sunday.", "en", {"Chelsea", "Aston Villa"}),
        ("Chelsea's game against Aston Villa was called off.", "en", {"Chelsea", "Aston Villa"}),
    ],
)
def test_an_unknown_club_joined_to_a_known_one_is_the_other_side(text, language, sides):
    assert _actors(text, language, "match") == sides
