"""Cleaning and splitting article text: junk lines out, then paragraphs, sentences, clauses.

Teaser blocks, "weiterlesen" lines and captions are cut here, inside extraction, so that
no event can ever come from them whatever cleaning happened upstream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from consumers.extraction.lexicon import Lexicon, lower, normalise

LEAD_SENTENCES = 3
"""Sentences of the body that count as the lead (besides the title)."""

_BOUNDARY = re.compile(r"[.!?…][»“”\"')]*\s+(?=[\"„«»(]?[A-ZÄÖÜ0-9])")
_NO_SPLIT_BEFORE = re.compile(r"(?:\b\d{1,2}|\b[A-ZÄÖÜ]{1,2}|\b(?:z\.B|u\.a|bzw|ca|Nr|Dr|Prof|St|Mr|Mrs|Ms|vs|etc|Jan|Feb|Aug|Sept|Okt|Oct|Nov|Dez|Dec))[.]$")
_CLAUSE = re.compile(r",(?!\d)|;|:\s|\s[-–—]\s|\s\(|\)\s")


@dataclass(frozen=True)
class Sentence:
    """One sentence with its clauses: original, lower-case (cues) and cased (names) form."""

    index: int
    paragraph: int
    text: str
    clauses: tuple[str, ...]
    norm: tuple[str, ...]
    cased: tuple[str, ...]
    in_lead: bool


def clean_lines(text: str, lexicons: list[Lexicon]) -> list[str]:
    """Paragraph lines without teaser blocks, teaser lines, captions and datelines."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        low = lower(line)
        if any(lex.junk_block.match(low) for lex in lexicons):
            break
        if any(lex.junk_line.search(low) for lex in lexicons):
            continue
        for lex in lexicons:
            line = lex.dateline.sub("", line, count=1)
        lines.append(line)
    return lines


def split_sentences(paragraph: str) -> list[str]:
    """Sentence split that keeps "15. August", "Dr. X" and initials together."""
    out: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        head = paragraph[start : match.start() + 1]
        if _NO_SPLIT_BEFORE.search(head):
            continue
        out.append(paragraph[start : match.end()].strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return out


def split_clauses(sentence: str) -> tuple[str, ...]:
    """Clauses at commas, semicolons, colons and dashes: the span a cue may cover."""
    parts = [p.strip() for p in _CLAUSE.split(sentence)]
    return tuple(p for p in parts if p) or (sentence,)


def sentences(title: str | None, text: str, lexicons: list[Lexicon]) -> list[Sentence]:
    """All sentences of an article, the title first; title and lead are flagged."""
    out: list[Sentence] = []
    paragraphs = ([title] if title else []) + clean_lines(text, lexicons)
    body_seen = 0
    for p_index, paragraph in enumerate(paragraphs):
        for sent in split_sentences(paragraph):
            clauses = split_clauses(sent)
            headline = (bool(title) and p_index == 0) or (body_seen == 0 and not _FULL_STOP.search(sent))
            cased = tuple(normalise(c) for c in clauses)
            out.append(Sentence(len(out), p_index, sent, clauses, tuple(c.lower() for c in cased), cased, headline or body_seen < LEAD_SENTENCES))
            body_seen += 0 if headline else 1
    return out


_FULL_STOP = re.compile(r"[.!?][»“”\"')]*$")
