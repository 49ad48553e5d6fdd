"""Fingerprints that decide whether two articles are copies (pure functions).

The exact key is a hash of the normalised text: case, punctuation, quotes and white
space do not make a new article. The canonical URL strips what trackers and AMP
variants add, so the same page reached by two links is one article.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import xxhash
from pydantic import BaseModel

from schemas import Article

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|mc_[ce]id|igshid|ref|ref_src|cmpid|wt_mc|at_\w+|ocid|icid)$", re.I)


class Fingerprint(BaseModel):
    """What the dedup index needs of one article."""

    article_id: str
    text_hash: str
    url_key: str | None = None


def normalise_text(text: str) -> str:
    """Case-folded words separated by single spaces: the form copies share."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def text_hash(text: str) -> str:
    return xxhash.xxh3_128_hexdigest(normalise_text(text).encode())


def canonical_url(url: str | None) -> str | None:
    """scheme-less, lower-case host without ``www.``/``amp.``, no fragment, no tracking."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return None
    host = parts.hostname or ""
    for prefix in ("www.", "amp.", "m."):
        if host.startswith(prefix):
            host = host[len(prefix):]
    path = re.sub(r"/(amp|amp\.html)/?$", "", parts.path) or "/"
    path = path.rstrip("/") or "/"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMS.match(k)))
    return urlunsplit(("", host, path, query, "")).lstrip("/")


def fingerprint(article: Article) -> Fingerprint:
    assert article.id is not None
    return Fingerprint(article_id=article.id, text_hash=text_hash(article.text), url_key=canonical_url(article.url))
