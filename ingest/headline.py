"""Title and lead of a text without markup (pure).

Copied pages put a kicker ("Ukraine, Russland"), a headline and a date above the first
paragraph, each on a line of its own. A headline is short and is not a sentence ending
in a full stop; the lead is the first paragraph of prose after it. When the text starts
with prose there is no title: none is made up from the first sentence.
"""

from __future__ import annotations

import re

_MAX_TITLE_CHARS = 200
_MAX_TITLE_WORDS = 25
_MAX_LEAD_CHARS = 600
_MAX_HEADER_LINES = 4
_SENTENCE_END = re.compile(r"[.;,:…]\s*[«»\"“”'’)]?$")


def is_heading(line: str) -> bool:
    """Short, and not ending like a sentence (a question or exclamation may be a headline)."""
    line = line.strip()
    return bool(line) and len(line) <= _MAX_TITLE_CHARS and len(line.split()) <= _MAX_TITLE_WORDS and not _SENTENCE_END.search(line)


def detect_title_and_lead(text: str) -> tuple[str | None, str | None]:
    """(title, lead): the most worded heading line at the top, then the first prose paragraph."""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    header: list[str] = []
    for p in paragraphs[:_MAX_HEADER_LINES]:
        if not is_heading(p):
            break
        header.append(p)
    title = max(header, key=lambda h: len(h.split()), default=None)
    if title is not None and len(title.split()) < 2:
        title = None
    body = paragraphs[len(header):]
    lead = body[0] if len(body) > 1 and len(body[0]) <= _MAX_LEAD_CHARS else None
    return title, lead
