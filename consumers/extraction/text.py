"""Cleaning and splitting article text: junk lines out, then paragraphs, sentences, clauses.

Teaser blocks, "weiterlesen" lines and captions are cut here, inside extraction, so that
no event can ever come from them whatever cleaning happened upstream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from consumers.extraction.lexicon import Lexicon, lower, normalise

LEAD_SENTENCES = 3
"""Sentences of the body that count as the lead (besides the title)."""

_BOUNDARY = re.compile(r"[.!?…][»“”\"')]*\s+(?=[\"„«»(]?[A-ZÄÖÜ0-9])")
_NO_SPLIT_BEFORE = re.compile(r"(?:\b\d{1,2}|\b[A-ZÄÖÜ]{1,2}|\b(?:z\.B|u\.a|bzw|ca|Nr|Dr|Prof|St|Mr|Mrs|Ms|vs|etc|Jan|Feb|Aug|Sept|Okt|Oct|Nov|Dez|Dec))[.]$")
_CLAUSE = re.compile(r",(?!\d)|;|:\s|\s[-–—]\s|\s\(|\)\s")


@dataclass(frozen=True)
class Sentence:
    """One sentence. Its clauses and their lower-case (cues) and cased (names) forms are
    worked out on first use: most sentences of an article are never looked at closely."""

    index: int
    paragraph: int
    text: str
    in_lead: bool

    @cached_property
    def clauses(self) -> tuple[str, ...]:
        return split_clauses(self.text)

    @cached_property
    def cased(self) -> tuple[str, ...]:
        return tuple(normalise(c) for c in self.clauses)

    @cached_property
    def norm(self) -> tuple[str, ...]:
        return tuple(c.lower() for c in self.cased)

    @cached_property
    def low(self) -> str:
        """The whole sentence in lower case, for the cheap tests that pick candidates."""
        return lower(self.text)


def clean_lines(text: str, lexicons: list[Lexicon], low: str | None = None) -> list[str]:
    """Paragraph lines without teaser blocks, teaser lines, captions and datelines.

    ``low`` is ``lower(text)`` when the caller has it already: lower-casing is per
    character, so its lines are those of the text.
    """
    lines: list[str] = []
    for raw, low_raw in zip(text.splitlines(), (low if low is not None else lower(text)).splitlines(), strict=True):
        line = raw.strip()
        if not line:
            continue
        low_line = low_raw.strip()
        if any(lex.junk_block.match(low_line) for lex in lexicons):
            break
        if any(lex.junk_line.found(low_line) for lex in lexicons):
            continue
        for lex in lexicons:
            line = lex.dateline.cut(line)
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


def sentences(title: str | None, text: str, lexicons: list[Lexicon], low: str | None = None) -> list[Sentence]:
    """All sentences of an article, the title first; title and lead are flagged."""
    out: list[Sentence] = []
    paragraphs = ([title] if title else []) + clean_lines(text, lexicons, low)
    body_seen = 0
    for p_index, paragraph in enumerate(paragraphs):
        for sent in split_sentences(paragraph):
            headline = (bool(title) and p_index == 0) or (body_seen == 0 and not _FULL_STOP.search(sent))
            out.append(Sentence(len(out), p_index, sent, headline or body_seen < LEAD_SENTENCES))
            body_seen += 0 if headline else 1
    return out


_FULL_STOP = re.compile(r"[.!?][»“”\"')]*$")
