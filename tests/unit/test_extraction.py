"""Extraction: cues, separable verbs, negation, modality, attribution, background, junk."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consumers.extraction import language_of
from consumers.extraction.lexicon import Gate, lower, pattern
from consumers.extraction.text import split_clauses, split_sentences
from schemas import Article, Status
from tests.unit.extraction_text import extracted


def _events(text: str, language: str = "de", title: str | None = None):
    return extracted(text, language, title)


def _one(text: str, language: str = "de"):
    found = _events(text, language)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Merz sagte das Treffen mit Macron in Paris kurzfristig ab.", Status.CANCELLED),
        ("Das Treffen von Merz und Macron fand am Montag in Paris statt.", Status.TOOK_PLACE),
        ("Das Treffen von Merz und Macron in Paris wurde verschoben.", Status.POSTPONED),
        ("Das Treffen von Merz und Macron in Paris wurde auf Eis gelegt.", Status.ON_HOLD),
        ("Merz und Macron wollen sich in Paris treffen.", Status.PLANNED),
        ("Merz and Macron will meet in Paris on Friday.", Status.PLANNED),
        ("The meeting of Merz and Macron in Paris was called off.", Status.CANCELLED),
        ("The meeting of Merz and Macron in Paris has been put on hold.", Status.ON_HOLD),
    ],
)
def test_status_cues_german_and_english(text: str, status: Status):
    language = "en" if text.startswith("The") or " will " in text else "de"
    mention = _one(text, language)
    assert mention.status == status
    assert mention.actors == ["Macron", "Merz"] and mention.location == "Paris"


def test_separable_verb_particle_must_end_the_clause():
    assert pattern("sagt* ... ab$")
    mention = _one("Merz sagte das für Freitag in Paris angesetzte Treffen mit Macron ab.")
    assert mention.status == Status.CANCELLED and mention.cue.startswith("sagte")


def test_negation_turns_a_cancellation_into_planned():
    mention = _one("Das Treffen von Merz und Macron in Paris ist nicht abgesagt.")
    assert mention.status == Status.PLANNED and mention.negated


def test_hedge_and_question_lower_confidence():
    hedged = _one("Das Treffen von Merz und Macron in Paris könnte abgesagt werden.")
    assert hedged.modality == "könnte" and hedged.confidence < 0.4
    question = _one("Wird das Treffen von Merz und Macron in Paris abgesagt?")
    assert question.modality == "question" and question.confidence < hedged.confidence + 0.01


def test_reported_speech_is_attributed():
    mention = _one("Das Treffen von Merz und Macron in Paris sei abgesagt, sagt Kreml-Sprecher Peskow.")
    assert mention.attributed_to == "Peskov" and mention.status == Status.CANCELLED
    assert "Peskov" not in mention.actors
    assert _one("Laut CNN wurde das Treffen von Merz und Macron in Paris abgesagt.").attributed_to == "CNN"


def test_background_pluperfect_is_flagged_and_keeps_its_place():
    found = _events("Merz und Macron wollen sich in Berlin treffen. Die beiden hatten sich zuletzt am 15. August in Paris getroffen.")
    by_place = {m.location: m for m in found}
    assert by_place["Berlin"].status == Status.PLANNED and not by_place["Berlin"].background
    assert by_place["Paris"].status == Status.TOOK_PLACE and by_place["Paris"].background
    assert by_place["Paris"].event_date == date(2025, 8, 15)
    assert by_place["Paris"].actors == ["Macron", "Merz"]


def test_anaphora_attaches_a_status_to_the_event_just_named():
    found = _events("Trump will Putin in Budapest treffen. Doch die Pläne liegen laut US-Medien auf Eis.")
    assert [(m.status, m.location, m.actors) for m in found] == [(Status.PLANNED, "Budapest", ["Putin", "Trump"]), (Status.ON_HOLD, "Budapest", ["Putin", "Trump"])]


def test_role_words_resolve_to_one_canonical_name():
    mention = _one("US-Außenminister Rubio und der russische Außenminister Lawrow trafen sich in Genf.")
    assert mention.actors == ["Lavrov", "Rubio"] and mention.location == "Geneva"
    assert _one("Kremlchef Wladimir Putin empfing Präsident Erdogan am Montag in Moskau.").actors == ["Erdoğan", "Putin"]


def test_weekday_resolved_against_the_article_date():
    assert _one("Merz und Macron wollen sich am Donnerstag in Paris treffen.").event_date == date(2025, 10, 23)
    assert _one("Merz and Macron met in Paris on Monday.", "en").event_date == date(2025, 10, 20)


def test_floated_idea_is_no_event():
    assert _events("Trump hat ein Dreier-Treffen mit Putin und Selenskyj ins Spiel gebracht.") == []
    assert _events("Aides floated a meeting between Trump and Kim Jong Un.", "en") == []


def test_teaser_block_and_captions_give_nothing():
    text = (
        "Die Stadt plant neue Radwege.\n"
        "Foto: Merz und Macron trafen sich in Paris\n"
        "Weitere Meldungen\n"
        "Gipfel von Xi und Modi abgesagt. (Ausland, 01.02.2026) weiterlesen...\n"
    )
    assert _events(text) == []
    assert _events("Markets rallied.\nRead more: Xi and Modi met in New Delhi read more...", "en") == []


def test_headline_and_lead_weigh_more():
    found = _events("Die Börse schloss fester. Anleger kauften Aktien. Die Zinsen fielen. Der Ölpreis stieg. Merz und Macron wollen sich in Paris treffen.", title="Merz und Macron wollen sich in Berlin treffen")
    lead = [m for m in found if m.in_lead]
    body = [m for m in found if not m.in_lead]
    assert lead and body and max(m.confidence for m in lead) > max(m.confidence for m in body)


def test_non_political_types():
    match = _one("Das Spiel zwischen Bayern München und Borussia Dortmund wurde verschoben.")
    assert (match.type, match.status, match.location) == ("match", Status.POSTPONED, None)
    strike = _one("The RMT union announced a strike at Network Rail for next Monday.", "en")
    assert strike.type == "strike" and strike.actors == ["Network Rail", "RMT"] and strike.status == Status.PLANNED


def test_sentences_keep_dates_and_clauses_split_at_commas():
    assert split_sentences("Sie trafen sich am 15. August in Alaska. Danach nicht mehr.") == ["Sie trafen sich am 15. August in Alaska.", "Danach nicht mehr."]
    assert split_clauses("Dies sei geplant, sagt er.") == ("Dies sei geplant", "sagt er.")


def test_gate_is_over_inclusive_not_lossy():
    gate = Gate.of(["*gipfel", "Gipfeltreffen*", "Treffen"])
    assert gate.admits(lower("Der EU-Gipfel beginnt")) and gate.admits("gipfeltreffens") and gate.admits("das treffen")
    assert not gate.admits("der regen fällt")


_GATE = language_of(Article(text="Das Treffen findet statt.")).gate
_PIECES = st.sampled_from([*_GATE.literals, "gip", "fel", "-", " ", "\n", "\t", "\u2028", "\x1c", "\u00a0", "ü"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_gate_finds_the_literals_a_text_holds_word_by_word_as_in_the_whole_text(text: str):
    assert len(_GATE.literals) >= 16  # the word-by-word path
    assert _GATE.found(text) == tuple(lit for lit in _GATE.literals if lit in text)
    assert _GATE.found(text) == _GATE.found(text)  # remembered words give the same answer
    assert Gate.of(["*gipfel", "Treffen"]).found("gipfeltreffen") == ("gipfel", "treffen")


def test_no_event_words_no_events_and_language_guess():
    assert _events("Der Regen fällt heute in der ganzen Stadt und die Bürger bleiben zu Hause.") == []
    assert language_of(Article(text="The meeting will take place in Paris and the leaders will talk.")).language == "en"


def test_deterministic():
    text = "Merz und Macron wollen sich in Paris treffen. Doch die Pläne liegen auf Eis."
    assert _events(text) == _events(text)


def test_a_raw_pattern_written_with_sharp_s_meets_the_text_spelt_with_ss():
    """Texts are matched with ss for ß; a ``re:`` pattern written as German spells it must
    still match (it silently never did)."""
    import re

    assert re.search(pattern(r"re:\bgroßveranstaltung\b"), lower("Die Großveranstaltung wurde abgesagt."))
    assert Gate.of([r"re:\bgroßveranstaltung\b"]).admits(lower("Die Großveranstaltung fällt aus."))


def test_an_unknown_source_cut_to_five_words_leaves_no_dangling_preposition():
    mentions = _events("Das Gipfeltreffen von Trump und Putin in Budapest sei abgesagt, sagt ein ranghoher Vertreter des Präsidialamtes in Washington.")
    sources = {m.attributed_to for m in mentions}
    assert sources == {"ranghoher Vertreter des Präsidialamtes"}
