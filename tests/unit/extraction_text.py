"""Extraction of a sentence written for a test, as the extraction tests share it."""

from __future__ import annotations

from datetime import UTC, datetime

from consumers.extraction import extract_events
from schemas import Article, EventMention, Status

PUBLISHED = datetime(2025, 10, 21, 9, 0, tzinfo=UTC)  # a Tuesday


def extracted(text: str, language: str = "de", title: str | None = None, background: bool = True) -> list[EventMention]:
    """The mentions of a text published at ``PUBLISHED``; ``background=False`` leaves out
    the ones the text recounts."""
    found = extract_events(Article(id="t", text=text, title=title, language=language, published_at=PUBLISHED))
    return found if background else [m for m in found if not m.background]


def found_claims(text: str, language: str = "de", kind: str | None = None, title: str | None = None) -> list[tuple[str, list[str], Status]]:
    """(kind, participants, status) of each mention the text reports (not recounts), of
    ``kind`` only when given."""
    return [(m.type, m.actors, m.status) for m in extracted(text, language, title=title, background=False) if kind is None or m.type == kind]
