"""Several events of one kind in one sentence: coordinated editions of events known by
their own names, and lists of places for an event held at one place."""

from __future__ import annotations

from schemas import Status
from tests.unit.extraction_text import extracted


def _claims(text: str, kind: str, language: str = "en") -> list[tuple[list[str], str | None, Status]]:
    return sorted((m.actors, m.location, m.status) for m in extracted(text, language) if m.type == kind)


def test_named_editions_coordinated_before_the_event_word_are_one_event_each():
    for text in (
        "The Sunfield and Moonridge music festivals have been cancelled.",
        "The county ordered the cancellation of the Sunfield and Moonridge Festival this year.",
        "The organisers cancelled the festivals Sunfield and Moonridge.",
    ):
        actors = sorted(a for a, _, _ in _claims(text, "festival"))
        assert [a[0].split()[0] for a in actors] == ["Moonridge", "Sunfield"] and all(len(a) == 1 for a in actors), (text, actors)
        assert {s for _, _, s in _claims(text, "festival")} == {Status.CANCELLED}, text


def test_one_name_with_and_inside_is_one_event():
    """"Music and Arts Festival" joins words of one name, not two editions."""
    found = _claims("The Riverside Music and Arts Festival has been postponed.", "festival")
    assert len(found) == 1 and found[0][2] == Status.POSTPONED, found


def test_names_away_from_the_event_word_are_not_editions():
    """Organisers coordinated elsewhere in the sentence share one event."""
    found = _claims("Promoters Goldenvoice and Livewire said the Sunfield festival has been postponed.", "festival")
    assert len(found) == 1 and "Sunfield" in found[0][0], found


def test_coordinated_sides_of_other_kinds_stay_one_event():
    """Only events known by their own name split: two artists of one bill are one concert."""
    found = _claims("The concert of Sting and Bryan Adams was cancelled.", "concert")
    assert found == [(["Bryan Adams", "Sting"], None, Status.CANCELLED)], found


def test_a_list_of_places_after_one_event_word_is_one_event_each():
    for text, language, places in (
        ("Die Konzerte von Sängerin Helene Fischer in Leipzig, Köln und Oberhausen wurden abgesagt.", "de", ["Cologne", "Leipzig", "Oberhausen"]),
        ("The concerts of singer Helene Fischer in Vienna, Munich, Zurich and Berlin were cancelled.", "en", ["Berlin", "Munich", "Vienna", "Zurich"]),
    ):
        found = _claims(text, "concert", language)
        assert sorted(p for _, p, _ in found) == places and {s for _, _, s in found} == {Status.CANCELLED}, (text, found)


def test_a_place_set_apart_by_commas_without_and_is_no_list():
    """"in Vienna, Austria," names one place more closely; a place in another clause
    ("..., Berlin said") is no member of the event's list."""
    for text in (
        "The concert of singer Helene Fischer in Vienna, Austria, was cancelled.",
        "The concert of singer Helene Fischer in Vienna was cancelled, Munich and Berlin said.",
    ):
        assert [p for _, p, _ in _claims(text, "concert")] == ["Vienna"], (text, _claims(text, "concert"))


def test_two_events_sharing_the_head_of_a_name_are_one_event_each():
    """"the Olympic and Paralympic Games": the first word with the shared head names an
    event of its own, in either language."""
    for text, language in (
        ("The Olympic and Paralympic Games in Tokyo have been postponed to next year.", "en"),
        ("Die Olympischen und Paralympischen Spiele in Tokio werden verschoben.", "de"),
    ):
        found = _claims(text, "tournament", language)
        assert found == [(["Olympic Games", "Tokyo"], "Tokyo", Status.POSTPONED), (["Paralympics", "Tokyo"], "Tokyo", Status.POSTPONED)], (text, found)
    assert len(_claims("The Paralympic Games in Tokyo have been postponed to next year.", "tournament")) == 1


def test_sowie_joins_a_list_as_und_does():
    for text, places in (
        ("Die Konzerte von Sängerin Helene Fischer in Hamburg sowie in Leipzig wurden abgesagt.", ["Hamburg", "Leipzig"]),
        ("Die Konzerte von Sängerin Helene Fischer in Hamburg, Köln sowie Leipzig wurden abgesagt.", ["Cologne", "Hamburg", "Leipzig"]),
    ):
        assert sorted(p for _, p, _ in _claims(text, "concert", "de")) == places, (text, _claims(text, "concert", "de"))
