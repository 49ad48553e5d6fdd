"""Who a title names, as news prose writes it: a title alone ("der Papst", "the Pope",
"der Heilige Vater") is the one person the article names with it, else whoever the
gazetteer says held it on the article's date; a titled person's name ends before the land
of the title ("King Abdullah of Jordan"), who then stands for that land; a German country
named with its article ("in die Demokratische Republik Kongo", "in den Südsudan") is a
place like one named without."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from consumers.extraction import extract_events
from schemas import Article, EventMention


def _extracted(text: str, language: str, published: datetime, title: str | None = None) -> list[EventMention]:
    found = extract_events(Article(id="t", text=text, title=title, language=language, published_at=published))
    assert found, text
    return found


def _sides(text: str, language: str, published: datetime, title: str | None = None) -> set[tuple[str, ...]]:
    return {tuple(m.actors) for m in _extracted(text, language, published, title)}


JUNE_2022 = datetime(2022, 6, 10, 12, 0, tzinfo=UTC)
MARCH_2012 = datetime(2012, 3, 1, 12, 0, tzinfo=UTC)
JUNE_2025 = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "language", "published", "holder"),
    [
        ("Knieprobleme: Papst muss Reise nach Afrika absagen.", "de", JUNE_2022, "Pope Francis"),
        ("Der Heilige Vater sieht sich gezwungen, seine Reise nach Kanada zu verschieben.", "de", JUNE_2022, "Pope Francis"),
        ("The Pope's trip to Lebanon has been postponed.", "en", JUNE_2022, "Pope Francis"),
        ("The Pope's trip to Lebanon has been postponed.", "en", MARCH_2012, "Pope Benedict XVI"),
        ("Der Papst hat seine Reise in die Türkei abgesagt.", "de", JUNE_2025, "Pope Leo XIV"),
    ],
)
def test_a_title_alone_is_its_holder_on_the_articles_date(text, language, published, holder):
    assert _sides(text, language, published) == {(holder,)}


def test_a_holder_the_article_names_comes_before_the_gazetteers():
    text = "Papst Benedikt XVI. will im Mai in die Türkei reisen. Der Papst hat seine Reise nun aber verschoben."
    assert all("Pope Francis" not in m.actors for m in _extracted(text, "de", JUNE_2022))


def test_no_holder_outside_a_term():
    """Between two popes (sede vacante) the title alone names nobody."""
    assert all("Pope" not in " ".join(m.actors) for m in extract_events(Article(id="t", text="The Pope's trip to Lebanon has been postponed.", language="en", published_at=datetime(2025, 5, 1, tzinfo=UTC))))


@pytest.mark.parametrize(
    ("text", "sides"),
    [
        ("A state visit by King Abdullah of Jordan was postponed in 2000 because of the crisis in the Middle East.", {("Abdullah",)}),
        ("King Abdullah II of Jordan will visit the United States next week.", {("Abdullah II",)}),
        ("Emperor Naruhito of Japan will visit the United Kingdom in the spring.", {("Naruhito",)}),
    ],
)
def test_a_titled_persons_name_ends_before_the_land_of_the_title(text, sides):
    assert _sides(text, "en", JUNE_2022) == sides


@pytest.mark.parametrize(
    ("text", "language", "place"),
    [
        ("Papst Franziskus hat seine für Juli geplante Reise in die Demokratische Republik Kongo und in den Südsudan verschoben.", "de", "Democratic Republic of the Congo"),
        ("Bundespräsident Frank-Walter Steinmeier hat seine Reise in den Südsudan verschoben.", "de", "South Sudan"),
        ("Pope Francis' July 2-7 trip to the Democratic Republic of Congo has been postponed.", "en", "Democratic Republic of the Congo"),
    ],
)
def test_a_country_named_with_its_article_is_a_place(text, language, place):
    assert {m.location for m in _extracted(text, language, JUNE_2022)} == {place}


@pytest.mark.parametrize(
    ("text", "sides"),
    [
        ("Emperor Naruhito and Empress Masako were due to make a state visit to Britain in June. "
         "The Japanese royals' state visit to the UK has been postponed because of the pandemic.", {("Masako", "Naruhito")}),
        # nobody named: the countries are the sides
        ("The Japanese royals' state visit to the UK has been postponed because of the pandemic.", {("Japan", "United Kingdom")}),
    ],
)
def test_a_visitor_named_by_nationality_is_the_visitor_the_main_event_names(text, sides):
    """"The Japanese royals' state visit to the UK": the adjective stands for the guests the
    article's visit names, not for a visit of Japan's of its own."""
    assert {tuple(m.actors) for m in _extracted(text, "en", datetime(2020, 3, 19, tzinfo=UTC)) if "postponed" in m.evidence} == sides
