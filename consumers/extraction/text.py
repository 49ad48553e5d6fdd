"""Cleaning and splitting article text: junk lines out, then paragraphs, sentences, clauses.

Teaser blocks, "weiterlesen" lines and captions are cut here, inside extraction, so that
no event can ever come from them whatever cleaning happened upstream.
"""

from __future__ import annotations

import re
import re._parser as _parser
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from consumers.extraction.lexicon import Gate, Lexicon, TextRule, gazetteer, lower, normalise, true_cased

LEAD_SENTENCES = 3
"""Sentences of the body that count as the lead (besides the title)."""
MAX_SENTENCE = 400
"""Longest sentence analysed as one, in characters; a longer run (a list, a table, text
without punctuation) is cut at spaces into pieces of at most this size. Every rule
works within one sentence, some in time quadratic in its length: the cap keeps the
cost of an article linear in its size whatever the input."""

_ORDINAL_BEFORE = [rf"\b{word} " for word in "der Der die Die das Das des dem den zum zur am im beim vom".split()] + ["en "]
"""What stands before a German ordinal of more than two digits, an edition's number
("zum Auftakt des 103. Giro d'Italia", "die 127. Kieler Woche", "bei der denkwürdigen
118. Auflage"): an article, a preposition with its article, an inflected adjective; a
count ends a sentence after a verb or a preposition ("stieg auf 103.")."""
_NO_SPLIT_AFTER = [r"\d", r"\d\d", "[A-ZÄÖÜ]", "[A-ZÄÖÜ]{2}"] + [rf"(?<={before})\d{{3}}" for before in _ORDINAL_BEFORE] + r"z\.B u\.a bzw ca Nr Dr Prof St Mr Mrs Ms vs etc Jan Feb Aug Sept Okt Oct Nov Dez Dec".split()
"""What may stand before a full stop that ends no sentence (a day, an initial, an
edition's ordinal, an abbreviation), each a whole word: negative look-behinds, so the
splitter's one scan skips these stops itself."""


def _by_width(words: list[str]) -> list[list[str]]:
    """The patterns grouped by the (fixed) width of their matches, narrowest first."""
    groups: dict[int, list[str]] = {}
    for word in words:
        low, high = _parser.parse(word).getwidth()
        assert low == high, word  # a look-behind has a fixed width
        groups.setdefault(low, []).append(word)
    return [groups[width] for width in sorted(groups)]


_BOUNDARY = re.compile(r"[.!?…]" + "".join(rf"(?<!\b(?:{'|'.join(group)})\.)" for group in _by_width(_NO_SPLIT_AFTER)) + r"[»“”\"')]*\s+(?=[\"„“‘«»(]?[A-ZÄÖÜ0-9])")
"""A sentence end. It starts with the stop itself, so the engine skips to the next
stop in one fast scan; the look-behinds are tested only there, one per width of the
words (a stop after none of them ends a sentence: one look-behind over the words of a
width says what one per word says, in a fifth of the tests)."""
_CLAUSE = re.compile(r",(?!\d)|;|:\s|\s(?:[-–—]\s|\()|\)\s")
"""A clause boundary: a comma (not in a number), a semicolon, a colon, a dash or a
bracket set off by spaces (the two after a space in one branch: one test of the
space)."""


class _once:
    """A property computed on first use and then stored on the instance (like
    ``functools.cached_property``, without its lock, which costs more than the work)."""

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func, self.name = func, func.__name__

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


_T = TypeVar("_T")
_MISSING = object()


class Memo:
    """Answers of a pure function of a sentence's text, kept per process.

    News repeats its sentences: agencies' copies, another outlet's edit of a wire story,
    boilerplate. A sentence's clauses and every annotation layer that depends on its
    text alone (cues, event words of given kinds, places, names) are worked out once
    per process, not once per article. At most ``size`` answers: full, it starts afresh
    (any text may come in)."""

    def __init__(self, size: int = 20_000) -> None:
        self.table: dict[Hashable, Any] = {}
        self.size = size
        self.enabled = True

    def get(self, key: Hashable, compute: Callable[..., _T], *args: Any) -> _T:
        """The answer for ``key``: ``compute(*args)`` the first time (the arguments
        passed, not a closure made on every call, most of which find the answer)."""
        found = self.table.get(key, _MISSING) if self.enabled else _MISSING
        if found is _MISSING:
            if not self.enabled:
                return compute(*args)
            if len(self.table) >= self.size:
                self.table.clear()
            found = self.table[key] = compute(*args)
        return found


MEMOS: list[Memo] = []
"""Every memo of the extractor (``memo``), to switch them off for a comparison."""


def memo(size: int = 20_000) -> Memo:
    """A new memo, listed in ``MEMOS``."""
    made = Memo(size)
    MEMOS.append(made)
    return made


def set_memos(enabled: bool) -> None:
    """Empty every memo and switch them on or off (benchmarks: a timed pass over texts
    extracted before must not find them remembered)."""
    for made in MEMOS:
        made.table.clear()
        made.enabled = enabled


_FORMS = memo()


def _forms(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """A sentence's clauses with their cased and lower-case forms."""
    clauses = split_clauses(text)
    cased = tuple(normalise(c) for c in clauses)
    if text.islower() or text.isupper():  # a sentence without case: its names take theirs from the gazetteer
        table = gazetteer().true_case
        cased = tuple(true_cased(c, table) for c in cased)
    return clauses, cased, tuple(c.lower() for c in cased)


@dataclass(eq=False)
class Sentence:
    """One sentence. Its clauses and their lower-case (cues) and cased (names) forms are
    worked out on first use: most sentences of an article are never looked at closely.
    (Not frozen: a frozen dataclass sets each field through ``object.__setattr__``, and
    every article makes dozens of these.)"""

    index: int
    paragraph: int
    text: str
    in_lead: bool

    @_once
    def clauses(self) -> tuple[str, ...]:
        return self._forms()[0]

    @_once
    def cased(self) -> tuple[str, ...]:
        return self._forms()[1]

    @_once
    def norm(self) -> tuple[str, ...]:
        return self._forms()[2]

    def _forms(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """All three forms, stored at the first use of any (a rule that reads one of a
        sentence's forms reads the others too): one memo lookup per sentence, not three."""
        forms = _FORMS.get(self.text, _forms, self.text)
        self.__dict__["clauses"], self.__dict__["cased"], self.__dict__["norm"] = forms
        return forms

    @_once
    def low(self) -> str:
        """The whole sentence in lower case, for the cheap tests that pick candidates."""
        return lower(self.text)


def clean_lines(
    text: str, lexicons: list[Lexicon], low: str | None = None, words: set[str] | None = None, pieces: set[str] | None = None
) -> list[tuple[str, str]]:
    """Paragraph lines without teaser blocks, teaser lines, captions and datelines, each
    with its lower-case form.

    ``low`` is ``lower(text)`` when the caller has it already: lower-casing is per
    character, so its lines are those of the text; ``words`` are those of ``low`` (or
    more), for the rules to drop the patterns the text cannot match at all; or, instead,
    ``pieces``: the word pieces of the junk rules (``junk_gates``) that ``low`` (or more)
    holds.
    """
    low = low if low is not None else lower(text)
    languages = tuple(lex.language for lex in lexicons)
    rules: list[tuple[TextRule, TextRule]] = []

    def clean(raw: str, low_raw: str) -> tuple[str, str] | str | None:
        if not rules:  # the first line not seen before: this article's rules
            rules.append(tuple(rule.within(low, words) if pieces is None else rule.keeping(pieces) for rule in _junk_rules(tuple(lexicons))))  # type: ignore[arg-type]
        return _clean_line(raw, low_raw, *rules[0], lexicons)

    lines: list[tuple[str, str]] = []
    for raw, low_raw in zip(text.splitlines(), low.splitlines(), strict=True):
        if not raw or raw.isspace():
            continue
        kept = _LINES.get((languages, raw, low_raw), clean, raw, low_raw)
        if kept == _BLOCK:
            break
        if kept is not None:
            lines.append(kept)  # type: ignore[arg-type]
    return lines


_LINES = memo()
_SPLITS = memo()
_BLOCK = "block"


def _clean_line(raw: str, low_raw: str, block: TextRule, junk: TextRule, lexicons: list[Lexicon]) -> tuple[str, str] | str | None:
    """One line without its dateline, with its lower-case form; ``_BLOCK`` when it
    starts a teaser block, None when it is a junk line. A function of the line alone
    (``_LINES`` keeps it per process: agencies' copies repeat their paragraphs)."""
    line = raw.strip()
    low_line = low_raw.strip()
    if block.search(low_line):
        return _BLOCK
    if junk.search(low_line):
        return None
    cut = line
    for lex in lexicons:
        cut = lex.dateline.cut(cut)
    return cut, low_line if cut is line or line.endswith(cut) else lower(cut)


_JUNK_RULES: dict[tuple[str, ...], tuple[TextRule, TextRule]] = {}


def _junk_rules(lexicons: tuple[Lexicon, ...]) -> tuple[TextRule, TextRule]:
    """The teaser-block and junk-line rules of all the languages, each as one rule."""
    key = tuple(lex.language for lex in lexicons)
    if key not in _JUNK_RULES:
        _JUNK_RULES[key] = (TextRule.union([lex.junk_block for lex in lexicons]), TextRule.union([lex.junk_line for lex in lexicons]))
    return _JUNK_RULES[key]


def junk_gates(lexicons: list[Lexicon]) -> tuple[Gate, ...]:
    """The gates of the junk rules' word pieces (``TextRule.pieces_gate``): what an
    article holds of them narrows the rules (``clean_lines`` with ``pieces``)."""
    return tuple(rule.pieces_gate() for rule in _junk_rules(tuple(lexicons)))


def split_sentences(paragraph: str) -> list[str]:
    """Sentence split that keeps "15. August", "Dr. X" and initials together; no piece
    longer than ``MAX_SENTENCE``."""
    out: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        out += _capped(paragraph[start : match.end()].strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        out += _capped(tail)
    return out


def _capped(sentence: str) -> list[str]:
    """The sentence, or pieces of it cut at the last space before each ``MAX_SENTENCE``."""
    if len(sentence) <= MAX_SENTENCE:
        return [sentence]
    pieces = []
    while len(sentence) > MAX_SENTENCE:
        cut = sentence.rfind(" ", MAX_SENTENCE // 2, MAX_SENTENCE)
        cut = MAX_SENTENCE if cut < 0 else cut
        pieces.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    return pieces + ([sentence] if sentence else [])


def split_clauses(sentence: str) -> tuple[str, ...]:
    """Clauses at commas, semicolons, colons and dashes: the span a cue may cover."""
    parts = [p.strip() for p in _CLAUSE.split(_SHORT_ASIDE.sub(_bracket, sentence) if "(" in sentence else sentence)]
    return tuple(p for p in parts if p) or (sentence,)


_SHORT_ASIDE = re.compile(r"\s\(([\d./:, -]{1,24})\)(?=\s|[.,;:!?]|$)")
"""A parenthesis that holds a date, a time or a score ("Leipzig (28.03.2022) und
Hamburg", "Weinstein (67)"): part of its clause, not a clause of its own."""


def _bracket(match: re.Match[str]) -> str:
    return f" [{match.group(1)}]"


def split_article(
    title: str | None, text: str, lexicons: list[Lexicon], low: str | None = None, words: set[str] | None = None, pieces: set[str] | None = None
) -> tuple[list[Sentence], list[str]]:
    """The sentences of an article (title first; title and lead flagged) and the lower
    case text of each paragraph, for tests that pick paragraphs before sentences."""
    out: list[Sentence] = []
    paragraphs = ([(title, lower(title))] if title else []) + clean_lines(text, lexicons, low, words, pieces)
    body_seen = 0
    for p_index, (paragraph, _) in enumerate(paragraphs):
        for sent in _SPLITS.get(paragraph, split_sentences, paragraph):
            headline = (bool(title) and p_index == 0) or (body_seen == 0 and not _FULL_STOP.search(sent))
            out.append(Sentence(len(out), p_index, sent, headline or body_seen < LEAD_SENTENCES))
            body_seen += 0 if headline else 1
    return out, [p_low for _, p_low in paragraphs]


_FULL_STOP = re.compile(r"[.!?][»“”\"')]*$")
