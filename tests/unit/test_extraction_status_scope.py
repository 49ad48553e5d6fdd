"""How far a status word reaches in real prose: a hedge or negation qualifies only what
it stands with, a delay stated against the plan is a delay, a plan recounted is no plan.

Sentences written for these tests in the style of wire copy."""

from __future__ import annotations

import pytest

from schemas import Status
from tests.unit.extraction_text import extracted


def _claims(text: str, language: str, kind: str) -> list:
    return [m for m in extracted(text, language) if m.type == kind]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Zwei Männer stehen unter dem Verdacht, einen möglichen Anschlag auf die bevorstehenden Konzerte von Taylor Swift in Wien geplant zu haben.", "de"),
        ("Police arrested two men over a possible attack on the upcoming Taylor Swift concerts in Vienna.", "en"),
    ],
)
def test_a_hedge_adjective_qualifies_its_own_noun_not_the_event(text, language):
    (claim,) = _claims(text, language, "concert")
    assert claim.status == Status.PLANNED and claim.modality is None and claim.confidence >= 0.8


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ein mögliches Treffen zwischen Trump und Putin in Budapest ist geplant.", "de"),
        ("A possible summit between Trump and Putin in Budapest is planned.", "en"),
    ],
)
def test_a_hedge_adjective_before_the_event_word_hedges_the_event(text, language):
    claims = [m for m in extracted(text, language) if m.type in ("meeting", "summit")]
    assert claims and all(m.modality is not None and m.confidence < 0.4 for m in claims)


@pytest.mark.parametrize(
    "text",
    [
        "Eine Verschiebung des Gipfels von Trump und Putin in Budapest wird es nicht geben.",
        "Eine erneute Verschiebung des Gipfels von Trump und Putin solle es aber nicht geben, berichtete die BBC.",
        "Eine Absage des Gipfels von Trump und Putin in Budapest gibt es nicht.",
    ],
)
def test_a_delay_or_call_off_whose_existence_is_denied_leaves_the_event_planned(text):
    (claim,) = _claims(text, "de", "summit")
    assert claim.status == Status.PLANNED


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Auch der Gipfel von Trump und Putin in Budapest soll später als bisher geplant stattfinden.", "de"),
        ("The Trump-Putin summit in Budapest will take place later than planned.", "en"),
    ],
)
def test_a_plan_later_than_planned_is_a_delay(text, language):
    (claim,) = _claims(text, language, "summit")
    assert claim.status == Status.POSTPONED


def test_a_delay_of_a_date_weeks_past_is_an_earlier_turn_and_the_call_off_is_the_news():
    text = ("The Berlin Marathon has been canceled for the first time in its history, organizers said on Tuesday. "
            "Because of the pandemic, the marathon was postponed from September 28 to November 9.")
    news = [m for m in extracted(text, "en", background=False) if m.type == "race"]
    assert news and {m.status for m in news} == {Status.CANCELLED}
    recounted = [m for m in _claims(text, "en", "race") if m.background]
    assert [m.status for m in recounted] == [Status.POSTPONED]


def test_a_delay_of_a_date_to_come_is_the_news():
    (claim,) = _claims("The Berlin Marathon planned for November 9 has been postponed because of the pandemic.", "en", "race")
    assert claim.status == Status.POSTPONED and not claim.background


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Der Zahlungsdienstleister Wirecard hat seine für Donnerstag geplante Bilanzpressekonferenz abgesagt.", "de"),
        ("Wirecard sagte die für Donnerstag geplante Bilanzpressekonferenz überraschend ab.", "de"),
        ("The payments company Wirecard canceled its earnings call on Thursday.", "en"),
    ],
)
def test_a_results_presentation_called_off_is_put_off(text, language):
    (claim,) = _claims(text, language, "earnings_call")
    assert claim.status == Status.POSTPONED


def test_a_plan_in_the_past_tense_is_recounted():
    recounted = [m for m in extracted("Trump and Putin were scheduled to meet in Budapest on Thursday.", "en") if m.status == Status.PLANNED]
    assert recounted and all(m.background for m in recounted)
    news = [m for m in extracted("Trump and Putin are scheduled to meet in Budapest on Thursday.", "en") if m.status == Status.PLANNED]
    assert news and not any(m.background for m in news)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Die Auflösung des Landtags ist Voraussetzung dafür, dass wie geplant am 26. September die Landtagswahl in Thüringen stattfinden kann.", "de"),
        ("The dissolution of parliament is a prerequisite for the Thuringia state election to take place on September 26 as planned.", "en"),
    ],
)
def test_a_plan_stated_as_a_condition_is_no_claim(text, language):
    assert _claims(text, language, "election") == []
    plain = "Die Landtagswahl in Thüringen soll wie geplant am 26. September stattfinden." if language == "de" else "The Thuringia state election will take place on September 26 as planned."
    assert [m.status for m in _claims(plain, language, "election")] == [Status.PLANNED]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("British police said a planned attack on a Taylor Swift concert in Vienna would not affect her shows in London.", "en"),
        ("Der geplante Anschlag auf das Konzert von Taylor Swift in Wien wurde vereitelt.", "de"),
    ],
)
def test_a_plan_word_before_another_noun_is_not_the_events_plan(text, language):
    assert [m for m in _claims(text, language, "concert") if m.status == Status.PLANNED] == []


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("On Sunday, approximately 50,000 runners will compete in the New York City Marathon.", "en", "race"),
        ("Der geplante Besuch von Trump in Budapest findet statt.", "de", "visit"),
    ],
)
def test_a_plan_word_with_the_event_or_a_verb_before_a_preposition_stays_the_events(text, language, kind):
    assert [m.status for m in _claims(text, language, kind)] == [Status.PLANNED]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Theresa May has revealed the crunch Commons vote on Brexit will be held on Tuesday, December 11.", "en"),
        ("Die Abstimmung im Unterhaus über den Brexit-Vertrag findet am Dienstag, 11. Dezember, statt.", "de"),
    ],
)
def test_a_weekday_with_its_date_set_apart_is_dated_by_the_date(text, language):
    (claim,) = _claims(text, language, "vote")
    assert claim.event_date is not None and (claim.event_date.month, claim.event_date.day) == (12, 11)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Der Innenminister kündigte an, eine Verschiebung der Wahl in Österreich zu prüfen.", "de"),
        ("Der Innenminister kündigte an, eine Verschiebung der Wahl in Österreich zu beantragen.", "de"),
        ("FPÖ-Kandidat Hofer forderte hingegen, dass die Wahl in Österreich wie geplant am 2. Oktober stattfindet.", "de"),
        ("Putin demanded that the summit with Trump in Budapest be postponed.", "en"),
    ],
)
def test_a_delay_examined_requested_or_demanded_is_no_claim(text, language):
    assert [m for m in extracted(text, language) if m.type in ("election", "summit")] == []


@pytest.mark.parametrize(
    ("text", "language", "status"),
    [
        ("Die Regierung bestätigte, dass die Wahl in Österreich wie geplant am 2. Oktober stattfindet.", "de", Status.PLANNED),
        ("Die Wahl in Österreich wird verschoben, um die Wahlkarten zu prüfen.", "de", Status.POSTPONED),
        ("The Kremlin confirmed that the summit of Trump and Putin in Budapest was postponed.", "en", Status.POSTPONED),
    ],
)
def test_a_fact_confirmed_or_with_a_purpose_stays_a_claim(text, language, status):
    assert [m.status for m in extracted(text, language) if m.type in ("election", "summit")] == [status]
