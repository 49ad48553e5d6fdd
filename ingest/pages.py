"""Article text out of HTML (pure): whole pages via trafilatura, feed fragments via lxml.

A page carries navigation, teasers and footers around the article; trafilatura keeps
the main text. The publication date is read from the page's own metadata only
(``article:published_time``, ``datePublished``, ``<time datetime>``), never guessed
from the prose. ``<link rel=canonical>`` replaces the fetched URL when present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import lxml.html
import trafilatura

from ingest.dates import parse_date

_META_DATE = (
    re.compile(r"""<meta[^>]+(?:property|name|itemprop)=["'](?:article:published_time|og:published_time|datePublished|date|pubdate|publishdate|dc\.date(?:\.issued)?|DC\.date\.issued)["'][^>]*content=["']([^"']+)["']""", re.I),
    re.compile(r"""<meta[^>]+content=["']([^"']+)["'][^>]+(?:property|name|itemprop)=["'](?:article:published_time|datePublished)["']""", re.I),
    re.compile(r'"datePublished"\s*:\s*"([^"]+)"'),
    re.compile(r"""<time[^>]+datetime=["']([^"']+)["'][^>]*(?:pubdate|itemprop=["']datePublished)""", re.I),
)
_CANONICAL = re.compile(r"""<link[^>]+rel=["']canonical["'][^>]*href=["']([^"']+)["']|<link[^>]+href=["']([^"']+)["'][^>]*rel=["']canonical["']""", re.I)
_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article", "tr", "figcaption", "ul", "ol"}


@dataclass(frozen=True)
class PageContent:
    """What a page yields for an Article (any field may be missing)."""

    text: str
    title: str | None = None
    published_at: datetime | None = None
    url: str | None = None
    language: str | None = None


def page_date(html: str) -> datetime | None:
    """The publication date the page declares in its metadata, or None."""
    head = html[:200_000]
    for pattern in _META_DATE:
        for m in pattern.finditer(head):
            if found := parse_date(m.group(1)):
                return found
    return None


def canonical_link(html: str) -> str | None:
    m = _CANONICAL.search(html[:200_000])
    return (m.group(1) or m.group(2)).strip() if m else None


def extract_page(html: str, url: str | None = None) -> PageContent | None:
    """The main text and metadata of an article page; None when no article text is found."""
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, include_images=False
    )
    text = (doc.text if doc is not None else None) or ""
    if not text.strip():
        return None
    lang = doc.language if doc.language and len(doc.language) <= 16 else None
    return PageContent(text=text, title=doc.title or None, published_at=page_date(html), url=canonical_link(html) or url, language=lang)


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed item's content), one paragraph per block element."""
    if "<" not in fragment:
        return fragment
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment)
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n\n" + (el.tail or "")
    return root.text_content()
