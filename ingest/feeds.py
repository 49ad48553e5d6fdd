"""RSS 2.0 and Atom feeds (pure part): bytes of a feed -> items -> Articles.

feedparser reads both formats (and the broken variants found in the wild). An item
is remembered by its key (GUID / Atom id, else its canonical link), so the poller can
tell new items from ones already published. Items that carry only a summary and a
link need their page fetched (``needs_page``); that happens in ``ingest.feed_poller``.
"""

from __future__ import annotations

import calendar
import hashlib
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser

from consumers.fingerprint import canonical_url
from ingest.cleantext import clean_line
from ingest.dates import parse_date
from ingest.normalise import clean_url, normalise_article
from ingest.pages import PageContent, html_to_text
from ingest.seed_files import RecordError
from schemas import Article

FULL_TEXT_MIN_CHARS = 400
"""Item content shorter than this is taken for a teaser, and the page is fetched."""


class NotAFeed(ValueError):
    """The bytes are not an RSS or Atom feed (an HTML page, JSON, an error page ...)."""


@dataclass(frozen=True)
class FeedItem:
    """One feed entry, reduced to what an Article needs."""

    key: str
    where: str
    link: str | None = None
    title: str | None = None
    summary: str | None = None
    content: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    items: list[FeedItem] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)


def _entry_date(entry: Any) -> datetime | None:
    for name in ("published", "updated", "created"):
        if found := parse_date(entry.get(name)):
            return found
        if parsed := entry.get(f"{name}_parsed"):
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    return None


def _entry_text(entry: Any) -> tuple[str | None, str | None]:
    """(summary, content) as plain text."""
    content = "\n\n".join(html_to_text(c.get("value", "")) for c in entry.get("content", []) if c.get("value"))
    summary = html_to_text(entry.get("summary", "") or "")
    return (summary.strip() or None), (content.strip() or None)


def item_key(guid: str | None, link: str | None, title: str | None, summary: str | None) -> str | None:
    """What identifies an item across polls: GUID, else canonical link, else its text."""
    if guid and guid.strip():
        return f"guid:{guid.strip()}"
    if key := canonical_url(link):
        return f"url:{key}"
    if title or summary:
        return "text:" + hashlib.sha1(f"{title}\n{summary}".encode()).hexdigest()
    return None


def parse_feed(content: bytes, source: str, content_type: str | None = None) -> ParsedFeed:
    """Items of an RSS/Atom document; ``NotAFeed`` when it is none. Bad items become errors."""
    headers = {"content-location": source} | ({"content-type": content_type} if content_type else {})
    # a stream, never bytes or str: feedparser would open a body that looks like a URL or a file name
    parsed = feedparser.parse(io.BytesIO(content), response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.entries:
        raise NotAFeed("not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root element, no items)")
    items: list[FeedItem] = []
    errors: list[RecordError] = []
    for index, entry in enumerate(parsed.entries):
        link = entry.get("link")
        title = clean_line(entry.get("title"))
        summary, body = _entry_text(entry)
        where = f"{source} item {index} ({entry.get('id') or link or title or 'untitled'})"
        key = item_key(entry.get("id"), link, title, summary or body)
        if key is None or not (summary or body or link):
            errors.append(RecordError(where, "item has no text and no link"))
            continue
        items.append(FeedItem(key, where, link, title, summary, body, _entry_date(entry)))
    return ParsedFeed(clean_line(parsed.feed.get("title")), items, errors)


def needs_page(item: FeedItem) -> bool:
    """An item with a link but no full text (only a summary or a short teaser)."""
    return bool(item.link) and len(item.content or "") < FULL_TEXT_MIN_CHARS


def item_to_article(item: FeedItem, feed_title: str | None, page: PageContent | None = None) -> Article:
    """The normalised Article of an item, with its page's text when one was fetched."""
    text = (page.text if page else None) or item.content or item.summary
    if not text:
        raise ValueError("item has no text: no content, no summary and no page")
    url = clean_url(item.link)
    article = Article(
        id=None if url else hashlib.sha1(item.key.encode()).hexdigest()[:16],
        url=url,
        source=feed_title,
        published_at=item.published_at or (page.published_at if page else None),
        title=item.title or (page.title if page else None),
        language=page.language if page else None,
        text=text,
    )
    return normalise_article(article)
