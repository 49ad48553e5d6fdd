"""File sources: seed-format text, HTML pages, JSONL, and RSS/Atom feed files.

The kind is decided by the suffix: ``.txt`` (seed format), ``.html``/``.htm`` (a saved
article page), ``.jsonl``/``.ndjson`` (Article records), ``.xml``/``.rss``/``.atom``
(a feed; items are taken as they are, without fetching their pages). A directory is
read file by file in name order. Every record becomes an Article or a RecordError.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, tzinfo
from pathlib import Path

from pydantic import ValidationError

from ingest.feeds import item_to_article, parse_feed
from ingest.jsonl import read_jsonl
from ingest.normalise import normalise_article
from ingest.pages import extract_page
from ingest.seed_files import RecordError, read_file_bytes, read_seed_file, read_text_file
from schemas import Article
from schemas.errors import describe

SEED_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
KNOWN_SUFFIXES = SEED_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES


def source_kind(path: Path) -> str:
    """The metrics label of a path: seed, html, jsonl, feed or dir."""
    suffix = path.suffix.lower()
    if path.is_dir():
        return "dir"
    return "html" if suffix in HTML_SUFFIXES else "jsonl" if suffix in JSONL_SUFFIXES else "feed" if suffix in FEED_SUFFIXES else "seed"


def parse_html_page(html: str, article_id: str, source: str | None = None, url: str | None = None) -> Article:
    """A saved article page as a normalised Article (pure); ``ValueError`` when it has no article text."""
    page = extract_page(html, url)
    if page is None:
        raise ValueError("no article text found in the page")
    article = Article(id=article_id, url=page.url, source=source, published_at=page.published_at,
                      title=page.title, language=page.language, text=page.text)
    return normalise_article(article)


def read_html_file(path: Path) -> Article | RecordError:
    """A saved article page as an Article, or the reason it is not one."""
    return read_text_file(path, parse_html_page)


def read_feed_file(path: Path) -> Iterator[Article | RecordError]:
    """Items of a feed file, each from its own content or summary (no pages fetched)."""
    try:
        feed = parse_feed(read_file_bytes(path), str(path))
    except (OSError, ValueError) as exc:
        yield RecordError(str(path), str(exc))
        return
    yield from feed.errors
    for item in feed.items:
        try:
            yield item_to_article(item, feed.title or path.name)
        except ValidationError as exc:
            yield RecordError(item.where, describe(exc))
        except ValueError as exc:
            yield RecordError(item.where, str(exc))


def read_file(path: Path, default_tz: tzinfo = UTC) -> Iterator[Article | RecordError]:
    """Records of one file, by suffix; an unknown suffix is read as seed-format text.
    JSONL dates without an offset are taken in ``default_tz``."""
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(path, default_tz)
    elif suffix in HTML_SUFFIXES:
        yield read_html_file(path)
    elif suffix in FEED_SUFFIXES:
        yield from read_feed_file(path)
    else:
        yield read_seed_file(path)


def read_directory(directory: Path, default_tz: tzinfo = UTC) -> Iterator[Article | RecordError]:
    """Every file of a known kind in a directory (not recursive), in name order."""
    for path in sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in KNOWN_SUFFIXES):
        yield from read_file(path, default_tz)


def read_path(path: Path, default_tz: tzinfo = UTC) -> Iterator[Article | RecordError]:
    """A file or a directory; a missing path is one error."""
    if path.is_dir():
        yield from read_directory(path, default_tz)
    elif path.is_file():
        yield from read_file(path, default_tz)
    else:
        yield RecordError(str(path), "no such file or directory")
