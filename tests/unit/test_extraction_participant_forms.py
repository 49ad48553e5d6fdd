"""One side however an article writes it, and no side where a name only says where or
what: an acronym the article spells out in brackets is the name it spells ("the Rapid
Support Forces (RSF)"); a gazetteer name at the head of a one-letter compound ("U-Bahn")
is not that entity; a country after a word for a cup ("Copa America") names the cup; a
country's adjective before a word for a town ("the Saudi city of Jeddah") says where the
town is."""

from __future__ import annotations

import pytest

from consumers.extraction.names import Aliases
from tests.unit.extraction_text import extracted


def _sides(text: str, language: str = "en", title: str | None = None) -> list[list[str]]:
    found = extracted(text, language, title=title)
    assert found, text
    return [m.actors for m in found]


SPELT = [
    ("Talks between the Sudanese Armed Forces (SAF) and the Rapid Support Forces (RSF) were suspended. The SAF and the RSF had met in Jeddah.", "SAF", "Sudanese Armed Forces"),
    ("Clashes between the army and the paramilitary Rapid Support Forces (RSF) went on.", "RSF", "Rapid Support Forces"),
    ("Die Gewerkschaft Deutscher Lokomotivführer (GDL) hat den Streik abgesagt.", "GDL", "Gewerkschaft Deutscher Lokomotivführer"),
    # brackets whose letters are not the initials of the name before them define nothing
    ("Der Flughafen Berlin Brandenburg (BER) wurde eröffnet.", "BER", None),
    # nor does an acronym the article never writes in brackets
    ("The RSF said the Rapid Support Forces would attend.", "RSF", None),
    # two names spelt the same way: neither is singled out
    ("The Rapid Support Forces (RSF) and Reporters Sans Frontières (RSF) both spoke.", "RSF", None),
]


@pytest.mark.parametrize(("text", "acronym", "name"), SPELT)
def test_an_acronym_is_the_name_the_article_spells_it_out_as(text, acronym, name):
    assert Aliases(text=text).spelt_out(acronym) == name


def test_a_report_naming_sides_by_acronym_names_them_in_full():
    text = (
        "The Sudanese Armed Forces (SAF) and the Rapid Support Forces (RSF) have been fighting since April. "
        "Saudi and US mediators said the talks between the SAF and the RSF were suspended on Thursday."
    )
    assert _sides(text) == [["Rapid Support Forces", "Sudanese Armed Forces"]]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Die Gewerkschaft kündigte an, den Streik bei der Londoner U-Bahn auszusetzen.", "Streiks bei der Londoner U-Bahn ausgesetzt, sagt die Gewerkschaft"),
        ("Die Gewerkschaft RMT hat den Streik der Londoner U-Bahn verschoben.", None),
        ("Der Streik bei der Berliner S-Bahn wurde von der Gewerkschaft EVG abgesagt.", None),
    ],
)
def test_a_one_letter_compound_is_not_the_entity_of_its_head(text, title):
    assert all("Deutsche Bahn" not in sides for sides in (m.actors for m in extracted(text, "de", title=title)))


def test_the_head_alone_or_first_in_a_compound_still_names_the_entity():
    assert _sides("Der Bahn-Streik wurde abgesagt.", "de") == [["Deutsche Bahn"]]


@pytest.mark.parametrize(
    ("text", "language", "sides"),
    [
        ("Südamerika-Turnier Copa America auf 2021 verlegt", "de", ["Copa America"]),
        ("The Copa America tournament was postponed to 2021.", "en", ["Copa America"]),
        ("The Coupe de France final was postponed.", "en", ["Coupe de France"]),
    ],
)
def test_a_country_after_a_word_for_a_cup_names_the_cup(text, language, sides):
    assert _sides(text, language) == [sides]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The resumption of negotiations between the army and the Rapid Support Forces in the Saudi city of Jeddah was postponed.", "en"),
        ("Die Verhandlungen zwischen der Armee und der Miliz RSF in der saudischen Hafenstadt Dschidda wurden verschoben.", "de"),
    ],
)
def test_a_countrys_adjective_before_a_word_for_a_town_is_no_side(text, language):
    assert all("Saudi Arabia" not in sides for sides in _sides(text, language))


@pytest.mark.parametrize(
    ("text", "kind", "sides", "place"),
    [
        ("Montreal will now play host to the first concert of Katy Perry's world tour on Sept. 19.", "concert", ["Katy Perry"], "Montreal"),
        # the host of a competition names its edition, as its place does ("the Tokyo Olympics")
        ("South Africa will host the Champions League T20 tournament in September.", "tournament", ["Champions League", "South Africa"], "South Africa"),
    ],
)
def test_the_place_that_hosts_a_show_or_a_competition_is_where_it_is_held(text, kind, sides, place):
    found = [(m.actors, m.location) for m in extracted(text, "en") if m.type == kind]
    assert found == [(sides, place)]


@pytest.mark.parametrize(
    ("text", "kind", "side"),
    [
        # a person who hosts a ceremony presents it
        ("Taylor Swift will host the Grammy Awards ceremony in April.", "ceremony", "Taylor Swift"),
        # a meeting's host is one of its sides
        ("Donald Trump will host Vladimir Putin for a meeting at the White House on Friday.", "meeting", "Trump"),
    ],
)
def test_a_host_who_takes_part_stays_a_side(text, kind, side):
    assert any(side in m.actors for m in extracted(text, "en") if m.type == kind)


@pytest.mark.parametrize(
    ("text", "language", "sides"),
    [
        ("The next round of talks between Israel and Hamas, mediated by Qatar, Egypt and the United States, was postponed.", "en", ["Hamas", "Israel"]),
        (
            "The army delegation is ready to begin a new round of talks that had been suspended due to the failure of the warring parties "
            "to abide by ceasefires mediated by Saudi Arabia and the US.",
            "en",
            None,
        ),
        ("Die nächste Gesprächsrunde zwischen Israel und der Hamas unter Vermittlung des Golfstaats Katar wurde verschoben.", "de", ["Hamas", "Israel"]),
    ],
)
def test_a_mediator_is_no_side(text, language, sides):
    found = [m.actors for m in extracted(text, language)]
    assert all(not {"Qatar", "Egypt", "United States", "Saudi Arabia"} & set(actors) for actors in found)
    if sides is not None:
        assert found == [sides]
