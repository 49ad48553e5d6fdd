"""Words that look like names, places or event words in news and are none: a country's
adjective before its noun, "its final transfer", a cycling time trial, other games than
the ones named; and the Pope named in German."""

from __future__ import annotations

from tests.unit.extraction_text import extracted


def test_a_countrys_adjective_before_its_noun_is_no_place():
    text = "Iran and the United States have begun their fourth round of indirect negotiations in the Omani capital, Muscat."
    (found,) = extracted(text, "en")
    assert found.location != "Omani"


def test_final_after_a_possessive_or_article_is_an_adjective():
    assert not extracted("Starting at 3 am on Friday, the airline will make its final transfer to the new airport.", "en")


def test_a_time_trial_is_no_court_trial():
    assert not any(m.type == "trial" for m in extracted("Filippo Ganna won the individual time trial at the world championships on Sunday.", "en"))


def test_a_game_with_a_club_names_it_as_the_other_side():
    (found,) = extracted("Bayern Munich's game with Union Berlin on Saturday afternoon has been postponed due to heavy snowfall.", "en")
    assert "Bayern Munich" in found.actors and len(found.actors) == 2


def test_other_games_borrow_no_sides_from_the_game_named_before():
    text = "Bayern Munich's game with Union Berlin has been postponed due to heavy snowfall. Four other Bundesliga games are set to take place on Saturday."
    assert [m.status.value for m in extracted(text, "en") if m.type == "match"] == ["postponed"]


def test_the_pope_named_in_german_is_the_pope():
    (found,) = extracted("Papst Franziskus hat seine Reise in den Südsudan verschoben.", "de")
    assert found.actors == ["Pope Francis"]
