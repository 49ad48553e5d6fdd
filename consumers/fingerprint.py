"""Fingerprints that decide whether two articles are copies (pure functions).

The exact key is a hash of the normalised text: case, punctuation, quotes and white
space do not make a new article. The canonical URL strips what trackers and AMP
variants add, so the same page reached by two links is one article. The near-duplicate
sketch (MinHash signature, LSH band digests, shingle count) finds edited copies.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
import xxhash
from pydantic import BaseModel

from consumers.near_duplicates import NearParams, sketch, sketches
from schemas import Article

NEAR_PARAMS = NearParams()
"""Shingle size, permutations and banding in use; their tag is part of the key prefix."""

_ASCII = bytes(range(128))
_ASCII_FOLD = bytes(
    b if b >= 128 else ord(chr(b).lower()) if chr(b).isalnum() else 32 for b in range(256)
)
"""ASCII letters to lower case, other ASCII non-alphanumerics to a space, the rest kept."""
_TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|mc_[ce]id|igshid|ref|ref_src|cmpid|wt_mc|at_\w+|ocid|icid)$", re.I)


class Fingerprint(BaseModel):
    """What the dedup index needs of one article."""

    article_id: str
    text_hash: str
    url_key: str | None = None
    shingles: int = 0
    """Distinct word shingles; 0 when the text is too short for near-duplicate matching."""
    signature: bytes = b""
    """Low 16 bits of each MinHash value (see ``consumers.near_duplicates``)."""
    bands: bytes = b""
    """One 8-byte digest per LSH band."""


def normalise_text(text: str) -> str:
    """Case-folded words separated by single spaces: the form copies share.

    Every character that is not a letter or digit (``[\\W_]``) separates words; ``ß``
    folds to ``ss``, so Swiss spelling matches.
    """
    return normalised_bytes(text).decode()


def normalised_bytes(text: str) -> bytes:
    """``normalise_text`` as UTF-8, computed on bytes.

    ``str.casefold`` and ``str.split`` walk a 5 KB text character by character; here
    one translation table folds and separates ASCII, and each of the few distinct
    non-ASCII characters is folded once and replaced throughout (case folding maps
    characters one by one, so this equals folding the whole text).
    """
    data = unicodedata.normalize("NFKC", text).encode()
    non_ascii = data.translate(None, _ASCII)
    if non_ascii:
        for char in set(non_ascii.decode()):
            if (folded := _fold(char)) is not None:
                data = data.replace(char.encode(), folded)
    return _collapse_spaces(data.translate(_ASCII_FOLD))


@lru_cache(maxsize=1 << 14)
def _fold(char: str) -> bytes | None:
    """A non-ASCII character as ``normalised_bytes`` writes it (case-folded, anything
    not a letter or digit a space), None when it stays as it is: remembered, since an
    article holds a handful of distinct ones and news the same few (umlauts, quotes)."""
    folded = "".join(c if c.isascii() or c.isalnum() else " " for c in char.casefold())
    return None if folded == char else folded.encode()


def _collapse_spaces(data: bytes) -> bytes:
    """Runs of spaces to one, none at either end (array masks: a regex or split/join
    costs several times more on a 5 KB text)."""
    chars = np.frombuffer(data, dtype=np.uint8)
    space = chars == 32
    keep = np.empty(chars.size, dtype=bool)
    keep[:1] = ~space[:1]
    np.logical_not(space[1:] & space[:-1], out=keep[1:])
    out = chars[keep].tobytes()
    return out[:-1] if out.endswith(b" ") else out


def text_hash(text: str) -> str:
    return xxhash.xxh3_128_hexdigest(normalised_bytes(text))


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


def fingerprint(article: Article, params: NearParams = NEAR_PARAMS) -> Fingerprint:
    """Exact keys and near-duplicate sketch of the article text (the headline is left out:
    outlets rewrite it)."""
    assert article.id is not None
    normalised = normalised_bytes(article.text)
    near = sketch(normalised, params)
    return Fingerprint(
        article_id=article.id,
        text_hash=xxhash.xxh3_128_hexdigest(normalised),
        url_key=canonical_url(article.url),
        shingles=near.size if near else 0,
        signature=near.signature if near else b"",
        bands=near.bands if near else b"",
    )


def fingerprints(articles: list[Article], params: NearParams = NEAR_PARAMS) -> list[Fingerprint]:
    """``fingerprint`` of each article, the same values, with the sketches computed for
    the whole batch at once (a fraction of the per-article cost)."""
    normalised = [normalised_bytes(a.text) for a in articles]
    return [
        Fingerprint(
            article_id=article.id,  # type: ignore[arg-type]
            text_hash=xxhash.xxh3_128_hexdigest(text),
            url_key=canonical_url(article.url),
            shingles=near.size if near else 0,
            signature=near.signature if near else b"",
            bands=near.bands if near else b"",
        )
        for article, text, near in zip(articles, normalised, sketches(normalised, params), strict=True)
    ]
