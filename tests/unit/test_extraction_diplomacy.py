"""Who and where of political and diplomatic events, as a news editor names them: a
visit's visitor and host and the host's place, the chamber that holds a vote, the city a
palace stands in; sentences written for each rule."""

from __future__ import annotations

import pytest

from tests.unit.extraction_text import extracted


def _of(text: str, language: str, kind: str) -> list:
    found = [m for m in extracted(text, language) if m.type == kind]
    assert found, text
    return found


@pytest.mark.parametrize(
    ("text", "language", "actor", "place"),
    [
        # a cause that opens a German sentence ends at its finite verb: the subject is a side
        ("Angesichts der anhaltenden Unruhen in seinem Land hat Frankreichs Präsident Emmanuel Macron seinen Staatsbesuch in Deutschland abgesagt.", "de", "Macron", "Germany"),
        ("Wegen der Unruhen in Frankreich will Präsident Emmanuel Macron den Staatsbesuch in Deutschland verschieben.", "de", "Macron", "Germany"),
        # "due to" before a gerund or a word of unrest is a cause, its place no venue
        ("The state visit of King Charles was postponed at the last minute due to rioting in France.", "en", "Charles", None),
        ("King Charles's state visit to Germany was postponed due to unrest in France.", "en", "Charles", "Germany"),
    ],
)
def test_a_cause_phrase_ends_where_its_clause_goes_on(text, language, actor, place):
    (visit,) = _of(text, language, "visit")
    assert actor in visit.actors and visit.location == place
    assert "France" not in visit.actors


@pytest.mark.parametrize(
    ("text", "language", "visitor", "place"),
    [
        ("President Emmanuel Macron on Sunday started the first state visit to Germany by a French head of state in 24 years.", "en", "Macron", "Germany"),
        ("Xi Jinping began a three-day state visit to Japan on Tuesday.", "en", "Xi Jinping", "Japan"),
    ],
)
def test_a_visit_the_visitor_started_took_place(text, language, visitor, place):
    (visit,) = _of(text, language, "visit")
    assert visit.status.value == "took_place" and visit.actors == [visitor] and visit.location == place
