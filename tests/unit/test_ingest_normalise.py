"""Normalisation rules on real-looking German and English news text."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from ingest.agency import detect_agency
from ingest.boilerplate import compile_rules, strip_boilerplate
from ingest.cleantext import clean_text, decode_text
from ingest.dates import find_published_at, parse_date
from ingest.headline import detect_title_and_lead
from ingest.language import detect_language
from ingest.normalise import clean_url, normalise_article
from ingest.seed_files import read_seed_dir
from schemas import Article

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PROSE = (
    "Die Außenminister Russlands und der USA haben zur Vorbereitung eines möglichen "
    "Präsidententreffens miteinander telefoniert. Das teilten die Ministerien mit."
)


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    return {a.id: a for a in read_seed_dir(SEEDS)}  # type: ignore[union-attr]


# --- characters ---------------------------------------------------------------


def test_mojibake_is_repaired() -> None:
    assert clean_text("Die GesprÃ¤che in MÃ¼nchen") == "Die Gespräche in München"


def test_nfc_and_invisible_characters() -> None:
    decomposed = unicodedata.normalize("NFD", "Außenminister Präsident")
    cleaned = clean_text(decomposed + "\u00ad\u200b")
    assert cleaned == "Außenminister Präsident"
    assert unicodedata.is_normalized("NFC", cleaned)


def test_spaces_and_line_breaks() -> None:
    raw = "Erste\u00a0Zeile  mit\tLücken \r\nZweite Zeile\r\n\r\n\r\n\r\nDritter Absatz\u2028Ende"
    assert clean_text(raw) == "Erste Zeile mit Lücken\nZweite Zeile\n\nDritter Absatz\nEnde"


def test_quotes_are_kept_as_written() -> None:
    assert clean_text("„wahrscheinlich“ und «produktiv»") == "„wahrscheinlich“ und «produktiv»"


def test_decode_text_fallbacks_and_binary() -> None:
    assert decode_text("Grüße".encode("cp1252")) == "Grüße"
    assert decode_text("\ufeffGrüße".encode()) == "Grüße"
    assert decode_text("Grüße".encode("utf-16")) == "Grüße"
    with pytest.raises(ValueError, match="binary"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


# --- boilerplate --------------------------------------------------------------


def test_teaser_block_of_seed_003_is_removed(seeds: dict[str, Article]) -> None:
    text = seeds["64119b435b1aeb5b"].text
    for gone in ("Weitere Meldungen", "weiterlesen", "Abu Dhabi", "Angriffspause", "Waffenruhe bis Sonntag", "01.02.2026"):
        assert gone not in text
    assert text.endswith("territorialen Forderungen Russlands zuzustimmen.")


@pytest.mark.parametrize(
    "line",
    [
        "Weiterlesen mit Plus",
        "Dieser Artikel ist nur für Abonnenten verfügbar.",
        "Sie haben bereits ein Abo? Hier anmelden",
        "Subscribe to continue reading",
        "Artikel anhören",
        "Artikel anhören (3 Minuten)",
        "Listen to this article",
        "Foto: Michael Kappeler/dpa",
        "Trump und Putin beim Gipfel in Alaska. Foto: Andrew Harnik/AP/dpa",
        "© picture alliance / dpa",
        "Symbolbild: Ein Kampfjet über der Ostsee",
        "Newsletter: Jetzt kostenlos abonnieren!",
        "Melden Sie sich für unseren Newsletter an",
        "Sign up for our morning newsletter",
        "Lesen Sie auch: Was der Gipfel für Europa bedeutet",
        "Kreml stimmt Waffenruhe zu. (Ausland, 30.01.2026 - 13:45) weiterlesen...",
        "Anzeige",
        "Teilen Facebook WhatsApp E-Mail",
    ],
)
def test_boilerplate_lines_are_dropped(line: str) -> None:
    assert strip_boilerplate(f"{PROSE}\n\n{line}\n\n{PROSE}") == f"{PROSE}\n\n{PROSE}"


@pytest.mark.parametrize(
    "heading", ["Mehr zum Thema", "Weitere Meldungen", "Das könnte Sie auch interessieren", "Related news"]
)
def test_teaser_block_stops_at_prose(heading: str) -> None:
    text = f"{PROSE}\n\n{heading}\n\nGipfel in Budapest: Was bisher bekannt ist\nDie Rolle Ungarns\n\n{PROSE} Noch ein Satz."
    assert strip_boilerplate(text) == f"{PROSE}\n\n{PROSE} Noch ein Satz."


def test_prose_is_kept() -> None:
    text = "Was ist passiert?\n\nDas Foto zeigt den Präsidenten beim Treffen. Er lächelt.\n\n" + PROSE
    assert strip_boilerplate(text) == text


def test_user_rules_extend_the_builtin_ones() -> None:
    rules = compile_rules({"line_patterns": {"outlet": ["^Mehr aus Bayern$"]}, "block_headings": ["Unsere Empfehlungen"]})
    text = f"{PROSE}\nMehr aus Bayern\nUnsere Empfehlungen\nKurzer Teaser"
    assert strip_boilerplate(text, rules) == PROSE


# --- agency -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("Washington (dpa) - US-Präsident Donald Trump will sich mit Putin treffen.", "dpa"),
        ("Berlin (dpa/AFP) – Die Bundesregierung begrüßt das Treffen.", "dpa/AFP"),
        ("Bern (Keystone-SDA) - Der Bundesrat hat entschieden.", "Keystone-SDA"),
        ("Wien (APA) - Die Regierung berät.", "APA"),
        ("WASHINGTON (Reuters) - The White House said on Tuesday.", "Reuters"),
        ("KYIV, Ukraine (AP) — Ukraine's president said.", "AP"),
        ("Köln (KNA) Der Kardinal äußerte sich.", "KNA"),
        ("Frankfurt (epd). Die Kirche fordert mehr Hilfe.", "epd"),
        (f"{PROSE}\n\n@ dpa.de", "dpa"),
        (f"{PROSE}\n\nQuelle: Reuters", "Reuters"),
        (f"{PROSE}\n\nMit Material von dpa und AFP", "dpa/AFP"),
        (f"{PROSE} (sid)", "SID"),
        (f"{PROSE} berichtete Reuters am Montag.", None),
        ("Die APA-Umfrage zeigt ein knappes Rennen. " + PROSE, None),
    ],
)
def test_agency_attribution(text: str, agency: str | None) -> None:
    assert detect_agency(text)[0] == agency


def test_credit_line_is_removed_dateline_kept() -> None:
    text = f"Washington (dpa) - {PROSE}\n\n@ dpa.de"
    assert detect_agency(text) == ("dpa", f"Washington (dpa) - {PROSE}")


def test_seed_agencies(seeds: dict[str, Article]) -> None:
    assert seeds["009aa3959fa295a6"].agency == "dpa"
    assert seeds["64119b435b1aeb5b"].agency == "dpa"
    assert "@ dpa.de" not in seeds["64119b435b1aeb5b"].text
    assert seeds["c0c7c25cd1612e28"].agency is None


# --- dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-10-21", datetime(2025, 10, 21, tzinfo=UTC)),
        ("2025-10-21T17:28:13Z", datetime(2025, 10, 21, 17, 28, 13, tzinfo=UTC)),
        ("2025-10-21T17:28:13+02:00", datetime(2025, 10, 21, 15, 28, 13, tzinfo=UTC)),
        ("Tue, 21 Oct 2025 08:00:00 GMT", datetime(2025, 10, 21, 8, tzinfo=UTC)),
        ("Tue, 21 Oct 2025 08:00:00 +0200", datetime(2025, 10, 21, 6, tzinfo=UTC)),
        ("20.10.2025 - 17:28:13", datetime(2025, 10, 20, 17, 28, 13, tzinfo=UTC)),
        ("20.10.2025, 17:28 Uhr", datetime(2025, 10, 20, 17, 28, tzinfo=UTC)),
        ("21. Oktober 2025", datetime(2025, 10, 21, tzinfo=UTC)),
        ("Dienstag, 21. Okt. 2025, 17:28 Uhr MESZ", datetime(2025, 10, 21, 15, 28, tzinfo=UTC)),
        ("3. März 2025", datetime(2025, 3, 3, tzinfo=UTC)),
        ("October 21, 2025 5:28 pm", datetime(2025, 10, 21, 17, 28, tzinfo=UTC)),
        ("21 October 2025", datetime(2025, 10, 21, tzinfo=UTC)),
        ("31.02.2025", None),
        ("Am 21. Oktober 2025 soll der Gipfel stattfinden.", None),
        ("", None),
    ],
)
def test_parse_date(value: str, expected: datetime | None) -> None:
    assert parse_date(value) == expected


def test_naive_dates_take_the_given_zone() -> None:
    berlin_summer = timezone(timedelta(hours=2))
    assert parse_date("20.10.2025 - 17:28:13", berlin_summer) == datetime(2025, 10, 20, 15, 28, 13, tzinfo=UTC)


def test_header_date_line_is_found_and_removed() -> None:
    text = f"Politik\n\nGipfel in Budapest\n\nStand: 21.10.2025, 17:28 Uhr\n\n{PROSE}"
    found, rest = find_published_at(text)
    assert found == datetime(2025, 10, 21, 17, 28, tzinfo=UTC)
    assert rest == f"Politik\n\nGipfel in Budapest\n\n{PROSE}"


def test_dates_in_prose_are_not_publication_dates() -> None:
    text = f"{PROSE}\n\nDer Gipfel soll am 30. Oktober 2025 in Budapest stattfinden."
    assert find_published_at(text) == (None, text)


def test_seed_dates(seeds: dict[str, Article]) -> None:
    assert seeds["009aa3959fa295a6"].published_at == datetime(2025, 10, 16, tzinfo=UTC)
    assert seeds["64119b435b1aeb5b"].published_at == datetime(2025, 10, 20, 17, 28, 13, tzinfo=UTC)
    assert seeds["c0c7c25cd1612e28"].published_at == datetime(2025, 10, 21, tzinfo=UTC)
    assert seeds["fddfa136899eb72f"].published_at == datetime(2025, 10, 21, tzinfo=UTC)
    assert seeds["468bb61556176f4d"].published_at is None


def test_seed_date_prefix_and_stamp_leave_the_text(seeds: dict[str, Article]) -> None:
    assert seeds["c0c7c25cd1612e28"].text.startswith("Dies sei nicht «in naher Zukunft» geplant")
    assert "20.10.2025" not in seeds["64119b435b1aeb5b"].text


# --- title, lead, language ----------------------------------------------------


def test_title_and_lead_below_a_kicker(seeds: dict[str, Article]) -> None:
    article = seeds["64119b435b1aeb5b"]
    assert article.title == "Lawrow und Rubio bereiten Präsidententreffen vor"
    assert article.lead and article.lead.startswith("US-Präsident Trump will Kremlchef Putin bald in Budapest treffen")


def test_no_title_is_made_up_from_prose(seeds: dict[str, Article]) -> None:
    assert seeds["c0c7c25cd1612e28"].title is None
    assert seeds["468bb61556176f4d"].title == "Warum der Trump-Putin-Gipfel plötzlich auf der Kippe steht"


def test_title_and_lead_of_english_text() -> None:
    text = "Summit on hold\n\nThe planned meeting will not take place soon, officials said.\n\nMore details followed."
    assert detect_title_and_lead(text) == ("Summit on hold", "The planned meeting will not take place soon, officials said.")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (PROSE, "de"),
        ("The foreign ministers of Russia and the United States spoke by phone to prepare a possible summit.", "en"),
        ("Les ministres des affaires étrangères se sont entretenus pour préparer une rencontre entre les présidents.", "fr"),
        ("Budapest", None),
    ],
)
def test_language(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang


def test_seed_languages(seeds: dict[str, Article]) -> None:
    assert {a.language for a in seeds.values()} == {"de"}


# --- url and the whole article ------------------------------------------------


def test_clean_url() -> None:
    assert clean_url(" https://WWW.Example.org/politik/gipfel?utm_source=rss&id=7#kommentare ") == "https://www.example.org/politik/gipfel?id=7"
    assert clean_url("") is None


def test_normalise_article_keeps_given_fields_and_is_idempotent() -> None:
    given = datetime(2025, 10, 22, 8, tzinfo=UTC)
    raw = Article(id="x1", title=" Gipfel\n abgesagt ", published_at=given, agency="AFP",
                  text=f" date 2025-10-21 Washington (dpa) - {PROSE}\n\nFoto: dpa\n\nArtikel anhören")
    once = normalise_article(raw)
    assert (once.id, once.published_at, once.agency, once.title) == ("x1", given, "AFP", "Gipfel abgesagt")
    assert once.text == f"Washington (dpa) - {PROSE}"
    assert normalise_article(once) == once


def test_text_that_is_only_boilerplate_is_an_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        normalise_article(Article(text="Weitere Meldungen\n\nKurz weiterlesen..."))


def test_rules_directory_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest import boilerplate, rules

    (tmp_path / "boilerplate.yaml").write_text("line_patterns:\n  my_outlet:\n    - '^Mehr aus Bayern$'\n", encoding="utf-8")
    monkeypatch.setenv(rules.EXTRA_DIR_ENV, str(tmp_path))
    rules.load_rules.cache_clear()
    boilerplate.default_rules.cache_clear()
    try:
        assert strip_boilerplate(f"{PROSE}\nMehr aus Bayern\nFoto: dpa") == PROSE  # own rule and built-in ones
    finally:
        monkeypatch.delenv(rules.EXTRA_DIR_ENV)
        rules.load_rules.cache_clear()
        boilerplate.default_rules.cache_clear()
