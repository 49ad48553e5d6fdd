"""File sources: every kind of file, and every kind of bad input named and counted."""

from __future__ import annotations

import json
from pathlib import Path

from ingest.metrics import RECORDS
from ingest.seed_files import RecordError
from ingest.sources import read_inputs
from schemas import Article

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"


def _records(*paths: Path) -> list[Article | RecordError]:
    return list(read_inputs(paths))


def _count(kind: str, result: str) -> float:
    return RECORDS.labels(kind, result)._value.get()


def test_jsonl_bad_lines_are_named_and_the_rest_flows(tmp_path: Path) -> None:
    path = tmp_path / "push.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Das Treffen wurde abgesagt."}),
        "{not json",
        json.dumps(["a", "list"]),
        "",
        json.dumps({"id": "b", "text": ""}),
        json.dumps({"id": "c", "text": "x" * 300_000}),
        json.dumps({"id": "d", "text": "Der Gipfel ist geplant.", "published_at": "2025-10-21T10:00:00+02:00"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors_before = _count("jsonl", "error")
    records = _records(path)
    assert [r.id for r in records if isinstance(r, Article)] == ["a", "d"]
    problems = {e.where: e.problem for e in records if isinstance(e, RecordError)}
    assert set(problems) == {f"{path}:2", f"{path}:3", f"{path}:5", f"{path}:6"}
    assert "malformed JSON" in problems[f"{path}:2"] and "expected a JSON object" in problems[f"{path}:3"]
    assert "text" in problems[f"{path}:5"] and "at most 200000" in problems[f"{path}:6"]
    assert _count("jsonl", "error") - errors_before == 4


def test_oversized_jsonl_line_is_skipped_unparsed(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_bytes(b'{"text": "' + b"x" * 3_000_000 + b'"}\n{"id": "ok", "text": "Kurz."}\n')
    [error, ok] = _records(path)
    assert isinstance(error, RecordError) and error.where == f"{path}:1" and "larger than the limit" in error.problem
    assert isinstance(ok, Article) and ok.id == "ok"


def test_single_text_files_in_other_encodings_and_junk(tmp_path: Path) -> None:
    (tmp_path / "001_windows.txt").write_bytes("Gipfel in Budapest\n\nDie Außenminister telefonierten über das Treffen.".encode("cp1252"))
    (tmp_path / "002_binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (tmp_path / "003_empty.txt").write_text("   \n\n", encoding="utf-8")
    (tmp_path / "004_huge.txt").write_bytes(b"a" * (5 * 1024 * 1024 + 1))
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    records = _records(tmp_path)
    assert len(records) == 4
    ok = records[0]
    assert isinstance(ok, Article) and ok.id == "windows" and "Außenminister" in ok.text and ok.title == "Gipfel in Budapest"
    assert [type(r).__name__ for r in records[1:]] == ["RecordError"] * 3
    assert "binary data" in str(records[1]) and "text" in str(records[2]) and "larger than the limit" in str(records[3])
    assert all(str(r).startswith(str(tmp_path)) for r in records[1:])


def test_html_file() -> None:
    [article] = _records(DATA / "page.html")
    assert isinstance(article, Article)
    assert article.id == "page" and article.url == "https://www.morgenpost-beispiel.de/politik/gipfel-kippe-123.html"
    assert article.title == "Warum der Trump-Putin-Gipfel plötzlich auf der Kippe steht"
    assert article.lead and article.lead.startswith("Ein Vortreffen zwischen den Außenministern")
    assert article.published_at is None and article.language == "de" and article.agency is None
    assert article.text.endswith("solange Moskau keine Kompromissbereitschaft zeigt.")
    for gone in ("Artikel anhören", "Foto:", "Mehr zum Thema", "Ungarn bietet sich", "Abonnenten", "Newsletter", "Cookies", "Impressum"):
        assert gone not in article.text


def test_feed_files_and_not_a_feed() -> None:
    records = _records(DATA / "atom.xml", DATA / "not-a-feed.xml", DATA / "missing.xml")
    assert [a.title for a in records if isinstance(a, Article)] == ["Summit in Budapest on hold", "Ministers' meeting cancelled"]
    errors = [str(e) for e in records if isinstance(e, RecordError)]
    assert errors == [f"{DATA / 'not-a-feed.xml'}: not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root element, no items)",
                      f"{DATA / 'missing.xml'}: no such file or directory"]


def test_a_feed_body_naming_a_local_file_is_not_opened(tmp_path: Path) -> None:
    from ingest.feeds import NotAFeed, parse_feed

    secret = tmp_path / "secret.xml"
    secret.write_text((DATA / "atom.xml").read_text(encoding="utf-8"), encoding="utf-8")
    try:
        feed = parse_feed(str(secret).encode(), "http://127.0.0.1/feed")
    except NotAFeed:
        return
    assert feed.items == []
