"""One entry point that turns any incoming article into a clean one (pure).

Every reader (files, feeds, HTTP intake) passes its articles through
``normalise_article``, so the pipeline sees the same shape whatever the source:

1. characters: mojibake repaired, NFC, one kind of space and line break (``cleantext``);
2. the publication date taken from the header when the record has none (``dates``);
3. teaser blocks, read-more lines, captions, players, paywall and newsletter lines
   removed (``boilerplate``, rules in ``rules/boilerplate.yaml``);
4. the news agency credited recorded in ``agency`` (``agency``);
5. title and lead found in plain text (``headline``), language detected (``language``);
6. the URL stripped of fragments and tracking parameters.

Fields the record already carries are kept (a feed's date beats a date in the text);
``normalise_article`` is idempotent.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from consumers.fingerprint import _TRACKING_PARAMS
from ingest.agency import detect_agency
from ingest.boilerplate import strip_boilerplate
from ingest.cleantext import clean_line, clean_text
from ingest.dates import find_published_at
from ingest.headline import detect_title_and_lead
from ingest.language import detect_language
from schemas import Article


def clean_url(url: str | None) -> str | None:
    """The URL to store: no fragment, no tracking parameters; scheme and host kept so it still opens.

    The dedup key is ``consumers.fingerprint.canonical_url`` of this; the tracking
    parameters are the ones it ignores.
    """
    if not url or not (url := url.strip()):
        return None
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return url
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMS.match(k)])
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def normalise_text(text: str, default_tz: tzinfo = UTC) -> dict:
    """The fields a raw text yields: cleaned ``text`` plus what was found in it (may be None)."""
    text = clean_text(text)
    published_at, text = find_published_at(text, default_tz)
    text = strip_boilerplate(text)
    agency, text = detect_agency(text)
    title, lead = detect_title_and_lead(text)
    return {"text": text, "published_at": published_at, "agency": agency, "title": title, "lead": lead}


def normalise_article(article: Article, default_tz: tzinfo = UTC) -> Article:
    """A cleaned copy of ``article``; raises ``ValueError`` when no text is left.

    Values the record brings win over values found in the text; ``id`` is never changed.
    """
    found = normalise_text(article.text, default_tz)
    data = article.model_dump()
    data["text"] = found["text"]
    for field in ("published_at", "agency", "lead"):
        data[field] = data[field] or found[field]
    data["title"] = clean_line(article.title) or found["title"]
    data["source"] = clean_line(article.source)
    data["language"] = article.language or detect_language(found["text"])
    data["url"] = clean_url(article.url)
    if not found["text"]:
        raise ValueError("text is empty after boilerplate removal")
    return Article.model_validate(data)
