"""Loading the extraction data files once, at import, into compiled patterns.

Everything language- or domain-specific lives in YAML next to this module: the
lexicons (``lexicons/<lang>.yaml``), the event types (``types.yaml``) and the gazetteer
(``gazetteer.yaml``). Adding a language or an event type means adding data, not code.
"""

from __future__ import annotations

import re
import re._constants as _c
import re._parser as _parser
from datetime import date
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from collections.abc import Collection
from typing import Any

import yaml

from schemas.status import Status

DATA_DIR = Path(__file__).parent
NOT_EVENT = "_not_event"
"""The pseudo-type of ``not_events`` phrases: found like event words, so that the longer
phrase wins ("press conference"), then dropped."""
_GAP = r"\W+(?:[\w-]+\W+){0,10}?"
_CLAUSE_END = r"(?=\W*$)"


def normalise(text: str) -> str:
    """The cased form names are matched against: no typographic quotes, ss for ß.

    A test and ``str.replace`` per quote character: several times faster than one
    regular expression over the text, and most texts hold few of them.
    """
    for quote in _QUOTES:
        if quote in text:
            text = text.replace(quote, "")
    return text.replace("ß", "ss").replace("’", "'").replace("‘", "'")


def lower(text: str) -> str:
    """The form cues and event words are matched against (patterns are lower case too:
    case-insensitive regexes are many times slower in Python's engine)."""
    return normalise(text).lower()


_QUOTES = "„“”«»\"‚‹›"


def raw_regex(spec: str) -> str:
    """The regex of a ``re:`` pattern, spelt as the text it meets is (ss for ß), so that a
    pattern may be written as the language spells it."""
    return spec[3:].replace("ß", "ss")


_WORD_END = r"\b(?!'t\b)"
"""The end of a whole word: not the stem of a contraction ("won" is not in "won't")."""


def pattern(spec: str, cased: bool = False) -> str:
    """Regex source of one data-file pattern (syntax documented in lexicons/de.yaml).

    Word boundaries are plain ``\\b`` and a leading ``*`` drops the left boundary, so an
    alternation of many patterns still starts with literals the engine can skip by.
    """
    if spec.startswith("re:"):
        return raw_regex(spec)
    out: list[str] = []
    gap = False
    for token in (normalise(spec) if cased else lower(spec)).split():
        if token == "...":
            gap = True
            continue
        if out:
            out.append(_GAP if gap else r"\W+")
        gap = False
        at_end = token.endswith("$")
        token = token.rstrip("$")
        core = token.strip("*")
        head = (r"\w*" if out else "") if token.startswith("*") else "" if not core[0].isalnum() else r"\b"  # "*abkommen" after a word: the rest of a compound
        tail = r"\w*" if token.endswith("*") else _WORD_END if core[-1].isalnum() else ""
        out.append(head + re.escape(core) + tail + (_CLAUSE_END if at_end else ""))
    return "".join(out)


def sources(specs: list[str], cased: bool = False) -> list[str]:
    """The regex sources of some data-file patterns, longest first (a phrase before the
    word inside it), without repeats."""
    return sorted({pattern(s, cased) for s in specs}, key=len, reverse=True)


def alternation(parts: list[str]) -> str:
    """Regex source matching any of the parts, tried in the order given.

    Python's engine tries every part of an alternation at every position. Two rewrites
    keep the matches and cut that work: runs of parts that start with a word boundary
    share one ``\\b`` in front (inside a word the engine gives up after one test), and
    within a run, parts that start with the same literal character share it (at a word
    start, one test per distinct first letter instead of one per part).
    """
    runs: list[tuple[bool, list[str]]] = []
    for part in parts:
        bounded = part.startswith(r"\b") and not _top_level_bar(part)
        if not runs or runs[-1][0] != bounded:
            runs.append((bounded, []))
        runs[-1][1].append(part[2:] if bounded else part)
    out = [(r"\b(?:" + _by_first_char(run) + ")") if bounded else _by_first_char(run) for bounded, run in runs]
    return "|".join(out) or r"(?!)"


def _by_first_char(parts: list[str]) -> str:
    """An alternation in which consecutive parts that start with the same literal
    character test it once. Parts with different first characters cannot match at the
    same position, so regrouping them keeps which part wins."""
    out: list[str] = []
    group: dict[str, list[str]] = {}

    def flush() -> None:
        for char, members in group.items():
            out.append(f"(?:{members[0]})" if len(members) == 1 else char + "(?:" + "|".join(f"(?:{m[1:]})" for m in members) + ")")
        group.clear()

    for part in parts:
        if part[:1].isalnum() and part[1:2] not in ("*", "+", "?", "{") and not _top_level_bar(part):
            group.setdefault(part[0], []).append(part)
        else:
            flush()
            out.append(f"(?:{part})")
    flush()
    return "|".join(out)


def compile_any(specs: list[str], cased: bool = False) -> re.Pattern[str]:
    """One alternation over many patterns, longest first: a single scan finds any."""
    return re.compile(alternation(sources(specs, cased)))


def _top_level_bar(source: str) -> bool:
    """Whether a regex has a ``|`` outside any group (then it is not one sequence)."""
    depth, escaped, in_class = 0, False, False
    for char in source:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return True
    return False


_WORD = re.compile(r"[\w-]+")


def first_literal(spec: str) -> str | None:
    """The literal every match of a data-file pattern contains (its first word), or
    None for a raw regex, which has no such literal."""
    if spec.startswith("re:"):
        return None
    return lower(spec).split()[0].strip("*$")


def literals(spec: str) -> tuple[str, ...]:
    """The literals every match of a data-file pattern contains (one per word; none for
    a raw regex)."""
    if spec.startswith("re:"):
        return ()
    return tuple(core for token in lower(spec).split() if token != "..." and (core := token.strip("*$")))


class RawSearch:
    """The raw regexes of a gate, searched one by one: a regex that opens with a literal
    is found by the engine's fast literal scan (~3 us per 7 KB), while the alternation of
    several, or one that opens with ``\\b``, is tried at every position (~200 us). So a
    leading ``\\b`` is checked by hand at each match of the rest, and a leading
    alternation of plain words (``\\b(?:beat|won)...``) is searched word by word."""

    __slots__ = ("_parts", "_words", "pattern")

    def __init__(self, sources: list[str]) -> None:
        self.pattern = "|".join(f"(?:{r})" for r in sources)
        self._parts = [(literal.split()[0] if literal.strip() else "", regex, bounded) for r in sources for literal, regex, bounded in _literal_led(r)]
        self._words = Gate(tuple(sorted({literal for literal, _, _ in self._parts if literal})))

    def search(self, text: str, words: set[str] | None = None) -> re.Match[str] | None:
        """The first match of any of the regexes (in the order given), or None. A regex
        whose opening word no word of the text holds is not tried (``Gate.found``: one
        lookup per distinct word, where a substring search per regex costs ~2 us per 5 KB).
        ``words`` are ``set(text.split())`` when the caller has them."""
        return self.search_held(text, self._words.found(text, words) if self._words.literals else ())

    @property
    def opening(self) -> Gate:
        """The gate of the regexes' opening words (``search_held``)."""
        return self._words

    def search_held(self, text: str, held: Collection[str]) -> re.Match[str] | None:
        """``search``, given the opening words of the regexes that the text holds."""
        for literal, regex, bounded in self._parts:
            if literal and literal not in held:
                continue
            found = regex.search(text)
            while found is not None and bounded and found.start() > 0 and _WORD_CHAR.match(text, found.start() - 1):
                found = regex.search(text, found.start() + 1)
            if found is not None:
                return found
        return None


_WORD_CHAR = re.compile(r"\w")
_LEADING_WORDS = re.compile(r"\\b\(\?:(?P<words>[\w ]+(?:\|[\w ]+)*)\)(?P<rest>.*)", re.S)


def _literal_led(source: str) -> list[tuple[str, re.Pattern[str], bool]]:
    """Regexes that together match what ``source`` matches, each opening with a literal
    where it can: per regex, that literal ("" if none), the regex, and whether a word
    boundary must stand before its match."""
    if (words := _LEADING_WORDS.fullmatch(source)) is not None:
        rest = words.group("rest")
        if not rest.startswith(("*", "+", "?", "{")):
            return [(word, re.compile(re.escape(word) + rest), True) for word in words.group("words").split("|")]
    if source.startswith("\\b") and source[2:3].isalnum():
        return [(_LITERAL_HEAD.match(source, 2).group(0), re.compile(source[2:]), True)]
    return [(_LITERAL_HEAD.match(source).group(0), re.compile(source), False)]


_LITERAL_HEAD = re.compile(r"[\w ]*(?![*+?{])")
"""The plain characters a regex opens with (none to be sure when a quantifier follows)."""


@dataclass(frozen=True)
class Gate:
    """A test that tells, in a few substring searches, whether a text can name any of
    some patterns.

    Every match of a pattern contains the literal of its first word ("gipfel" for
    "*gipfel", "treffen" for "Treffen der Minister"), and a literal that contains
    another one ("gipfeltreffen", "gipfel") needs no search of its own. Finding none of
    the remaining literals proves no pattern matches. ``str.__contains__`` is a fast
    C search; a regular expression over the same words tries them at every position and
    is several times slower. Over-inclusive by design; the exact patterns run afterwards
    only on the sentences that pass.
    """

    literals: tuple[str, ...]
    raw: RawSearch | None = None
    _by_word: dict[str, frozenset[str]] = field(default_factory=dict, init=False, compare=False, hash=False, repr=False)
    """Per word of text seen, the literals it holds (``found``)."""
    _none: set[str] = field(default_factory=set, init=False, compare=False, hash=False, repr=False)
    """The words seen that hold no literal (``found``): taken out of a text's words with
    one set difference (in C), not looked up one by one."""
    _any_by_word: dict[str, bool] = field(default_factory=dict, init=False, compare=False, hash=False, repr=False)
    """Per word of text seen, whether it holds a literal (``holds_any``)."""
    _finder: list[re.Pattern[str]] = field(default_factory=list, init=False, compare=False, hash=False, repr=False)
    _rank: dict[str, int] = field(default_factory=dict, init=False, compare=False, hash=False, repr=False)
    """Each literal's place in ``literals`` (``in_order``)."""

    @classmethod
    def of(cls, specs: list[str]) -> Gate:
        found = {lit for spec in specs if (lit := first_literal(spec))}
        literals = tuple(sorted(lit for lit in found if not any(other != lit and other in lit for other in found)))
        raw = [raw_regex(spec) for spec in specs if spec.startswith("re:")]
        return cls(literals, RawSearch(raw) if raw else None)

    def admits(self, low: str) -> bool:
        """Whether the lower-case text may hold a match."""
        return any(lit in low for lit in self.literals) or (self.raw is not None and self.raw.search(low) is not None)

    def may_hold(self, text: str) -> bool:
        """``admits``, by ``holds_any``'s per-word table: a literal holds no white space,
        so it lies within one word of any text holding it."""
        return self.holds_any(text) or (self.raw is not None and self.raw.search(text) is not None)

    def holds_any(self, text: str, words: set[str] | None = None) -> bool:
        """Whether the text holds any of the literals: each word is looked up once per
        process (news repeats its words), a new one with one search of an alternation of
        the literals (grouped by first character: hundreds of names cost a few tests
        per character). ``words`` are ``set(text.split())`` when the caller has them."""
        by_word, finder = self._any_by_word, self._finder
        if len(by_word) > _WORD_CACHE_SIZE:
            by_word.clear()
        if not finder:
            finder.append(re.compile(alternation([re.escape(lit) for lit in sorted(self.literals, key=len, reverse=True)])))
        for word in text.split() if words is None else words:
            held = by_word.get(word)
            if held is None:
                held = by_word[word] = finder[0].search(word) is not None
            if held:
                return True
        return False

    def within(self, low: str, words: set[str] | None = None) -> Gate | None:
        """The gate for the parts of this text: only the literals the text holds (None
        if it can hold no match), so each of its sentences is tested against one or two."""
        held = self.held_in(low, words)
        return None if held is None else Gate(*held)

    def narrowed(self, held: set[str] | frozenset[str], low: str, raw_held: set[str] | frozenset[str] = frozenset()) -> Gate | None:
        """``within``, given the literals the text holds and those of the raw regexes'
        opening words (``RawSearch.opening``), as ``GateSet.found`` gives them."""
        found = self.in_order(held)
        raw = self.raw if self.raw is not None and self.raw.search_held(low, raw_held) else None
        return Gate(found, raw) if found or raw else None

    def in_order(self, held: Collection[str]) -> tuple[str, ...]:
        """The gate's literals that are in ``held``, in the gate's order: sorted by their
        place among the literals (an article holds a few of a language's hundreds, so
        the few are sorted rather than the hundreds tested)."""
        rank = self._rank
        if not rank and self.literals:
            rank.update((lit, i) for i, lit in enumerate(self.literals))
        if len(rank) != len(self.literals):  # a literal twice: each place of it kept
            return tuple(lit for lit in self.literals if lit in held)
        return tuple(sorted((lit for lit in held if lit in rank), key=rank.__getitem__))

    def held_in(self, low: str, words: set[str] | None = None) -> tuple[tuple[str, ...], RawSearch | None] | None:
        """``within`` as the literals and raw regex of the narrower gate, without making
        one (a gate per paragraph of every article: its caches cost more than its tests)."""
        found = self.found(low, words)
        raw = self.raw if self.raw is not None and self.raw.search(low, words) else None
        return (found, raw) if found or raw else None

    @staticmethod
    def held_admits(held: tuple[tuple[str, ...], RawSearch | None], low: str) -> bool:
        """``admits`` of the gate ``held_in`` describes."""
        literals, raw = held
        return any(lit in low for lit in literals) or (raw is not None and raw.search(low) is not None)


    def found(self, low: str, words: set[str] | None = None) -> tuple[str, ...]:
        """The literals the text holds, in order. A literal holds no white space, so it
        lies within one word: with many literals, each distinct word is searched once per
        process (news repeats its words) instead of the whole text once per literal.
        ``words`` are ``set(low.split())`` when the caller has them."""
        if len(self.literals) < _WORD_CACHE_FROM:
            return tuple(lit for lit in self.literals if lit in low)
        by_word, none, held = self._by_word, self._none, set()
        if len(by_word) + len(none) > _WORD_CACHE_SIZE:
            by_word.clear()
            none.clear()
        for word in (set(low.split()) if words is None else words if isinstance(words, (set, frozenset)) else set(words)).difference(none):
            hits = by_word.get(word)
            if hits is None:
                hits = frozenset(lit for lit in self.literals if lit in word)
                if not hits:  # most words hold none
                    none.add(word)
                    continue
                by_word[word] = hits
            held |= hits
        return self.in_order(held)


@dataclass(frozen=True)
class WordTable:
    """Per word of text, the labels of the literals it holds (the kinds of event whose
    gate literals they are, or the literals themselves): one split of a clause and one
    lookup per word answer every test of the form "does the text hold one of these
    literals" at once, instead of a substring search per literal and per test.

    A literal holds no white space, so it lies within one word of any text holding it:
    a text holds a literal exactly when one of its words does. Each new word is searched
    once per process (news repeats its words)."""

    by_literal: dict[str, frozenset[str]]
    """Per literal, its labels."""
    _by_word: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, hash=False, repr=False)
    _finder: list[re.Pattern[str]] = field(default_factory=list, compare=False, hash=False, repr=False)

    @classmethod
    def of_gates(cls, gates: dict[str, Gate]) -> WordTable:
        """Labelled by the names of the gates that hold each literal."""
        by_literal: dict[str, set[str]] = {}
        for name, gate in gates.items():
            for literal in gate.literals:
                by_literal.setdefault(literal, set()).add(name)
        return cls({literal: frozenset(names) for literal, names in by_literal.items()})

    @classmethod
    def of_labels(cls, labels: dict[str, set[str]]) -> WordTable:
        """Labelled as given, per literal."""
        return cls({literal: frozenset(names) for literal, names in labels.items()})

    def held(self, text: str) -> frozenset[str]:
        """The labels of the literals the text holds."""
        by_word = self._by_word
        if len(by_word) > _WORD_CACHE_SIZE:
            by_word.clear()
        labels: frozenset[str] = _NO_LABELS
        for word in text.split():
            found = by_word.get(word)
            if found is None:
                found = self.of_word(word)
            if found:
                labels = labels | found
        return labels

    def of_word(self, word: str) -> frozenset[str]:
        """The labels of the literals one word holds (remembered per process)."""
        found = self._by_word.get(word)
        if found is None:
            finder = self._finder
            if not finder:
                finder.append(re.compile(alternation([re.escape(lit) for lit in sorted(self.by_literal, key=len, reverse=True)])) if self.by_literal else re.compile(r"(?!)"))
            found = self._by_word[word] = frozenset(k for lit, names in self.by_literal.items() if lit in word for k in names) if finder[0].search(word) else _NO_LABELS
        return found


_NO_LABELS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class GateSet:
    """Several gates asked of one text in one pass over its words.

    An article is tested against its language's gate, the junk rules' word pieces and
    the generic event nouns' pieces, each of which would loop over the article's words
    (after a set of them was built). Here each word is looked up once in one table,
    remembered per process, that holds per gate the literals the word holds (a literal
    holds no white space, so a text holds it exactly when one of its words does); most
    words hold none and cost that one lookup."""

    gates: tuple[Gate, ...]
    _by_word: dict[str, tuple[frozenset[str], ...]] = field(default_factory=dict, compare=False, hash=False, repr=False)
    """Per word seen that holds a literal of some gate, the literals of each."""
    _none: set[str] = field(default_factory=set, compare=False, hash=False, repr=False)
    """The words seen that hold none: most of an article's words, taken out of it with one
    set difference (in C) instead of a lookup per word in Python."""

    def found(self, text: str) -> tuple[set[str], ...]:
        """Per gate, the literals the text holds (unordered)."""
        by_word, none = self._by_word, self._none
        if len(by_word) + len(none) > _WORD_CACHE_SIZE:
            by_word.clear()
            none.clear()
        held: tuple[set[str], ...] = tuple(set() for _ in self.gates)
        for word in set(text.split()).difference(none):
            entry = by_word.get(word)
            if entry is None:
                entry = self._of_word(word)
                if not entry:
                    none.add(word)
                    continue
                by_word[word] = entry
            for into, literals in zip(held, entry):
                if literals:
                    into |= literals
        return held

    def _of_word(self, word: str) -> tuple[frozenset[str], ...]:
        """Per gate, the literals one word holds; () when it holds none of any gate."""
        entry = tuple(frozenset(gate.found(word, (word,))) for gate in self.gates)
        return entry if any(entry) else ()


_WORD_CACHE_FROM = 16
"""Fewer literals than this are searched in the text directly (the gates of one article)."""
_WORD_CACHE_SIZE = 200_000
"""Words remembered per gate before the memory starts afresh (hostile text may hold any)."""


def _anchored(source: str) -> bool:
    """Whether a regex can only match at the start of the text: it starts with ``^``
    and is one sequence."""
    return source.startswith("^") and not _top_level_bar(source)


@dataclass(frozen=True)
class TextRule:
    """Patterns tested against a whole line or clause (teasers, captions, datelines,
    anaphors).

    Those anchored at the start run with ``match``, one attempt; Python's ``search``
    would try them at every position, even a pattern that can never match.
    """

    start: re.Pattern[str] | None
    anywhere: re.Pattern[str] | None
    parts: tuple[str, ...] = ()

    @classmethod
    def of(cls, specs: list[str], cased: bool = False) -> TextRule:
        return cls.of_sources(sources(specs, cased))

    @classmethod
    def of_sources(cls, parts: list[str]) -> TextRule:
        start = [p for p in parts if _anchored(p)]
        anywhere = [p for p in parts if not _anchored(p)]
        return cls(re.compile(alternation(start)) if start else None, re.compile(alternation(anywhere)) if anywhere else None, tuple(parts))

    @classmethod
    def union(cls, rules: list[TextRule]) -> TextRule:
        """One rule that finds what any of the rules finds (one test instead of many)."""
        return cls.of_sources([p for rule in rules for p in rule.parts])

    def within(self, text: str, words: set[str] | None = None) -> TextRule:
        """The rule for the parts of this text (its lines, its clauses): only the
        patterns that can match somewhere in it. A pattern searched anywhere in a line
        and starting without a literal ("\\bfoto:", "(?:read more|...)") is tried at
        every position, while most texts hold none of the words every match of it needs
        (``required_literals``); a pattern that cannot match the text cannot match a
        part of it, so every search gives what the whole rule gives. ``words`` are the
        text's white-space separated words when the caller has them."""
        return self.keeping(set(self.pieces_gate().found(text, words)))

    def pieces_gate(self) -> Gate:
        """A gate over the word pieces of the patterns searched anywhere (``within``)."""
        return _word_pieces(self.parts)[1]

    def keeping(self, held: set[str] | frozenset[str]) -> TextRule:
        """``within``, given word pieces the text holds: all those of ``pieces_gate``
        it holds (others may be among them: they are in no pattern's pieces)."""
        pieces = _word_pieces(self.parts)[0]
        kept = tuple(p for p, need in zip(self.parts, pieces, strict=True) if need is None or not need.isdisjoint(held))
        if len(kept) == len(self.parts):
            return self
        rule = _PRUNED.get(kept)
        if rule is None:
            if len(_PRUNED) >= _PRUNED_MAX:
                _PRUNED.clear()
            rule = _PRUNED[kept] = TextRule.of_sources(list(kept))
        return rule

    def search(self, text: str) -> re.Match[str] | None:
        """The first match: at the start, else anywhere."""
        return (self.start and self.start.match(text)) or (self.anywhere and self.anywhere.search(text)) or None

    def cut(self, line: str) -> str:
        """The line without its first match (a dateline before the text). A line
        holding none of the strings one of which every match needs (``needed``: a
        dateline's dash) is returned as it is, without trying the patterns."""
        needs = needed(self.parts)
        if needs is not None and not any(n in line for n in needs):
            return line
        match = self.search(line)
        return line if match is None else line[: match.start()] + line[match.end() :]


@cache
def needed(parts: tuple[str, ...]) -> tuple[str, ...] | None:
    """Strings one of which every match of any of the patterns contains (the union of
    their ``required_literals``), or None when a pattern has no such set."""
    found: set[str] = set()
    for part in parts:
        literals = required_literals(part)
        if literals is None or "" in literals:
            return None
        found |= literals
    return tuple(sorted(found))


_PRUNED: dict[tuple[str, ...], TextRule] = {}
"""Compiled rules per subset of patterns (``TextRule.within``): texts hold few subsets."""
_PRUNED_MAX = 4096


@cache
def _word_pieces(parts: tuple[str, ...]) -> tuple[tuple[frozenset[str] | None, ...], Gate]:
    """Per pattern searched anywhere, its ``word_pieces`` (None for a pattern anchored
    at the start, which costs one attempt); and a gate over all of them."""
    pieces = tuple(None if _anchored(part) else word_pieces(part) for part in parts)
    return pieces, Gate(tuple(sorted({r for need in pieces if need for r in need})))


def word_pieces(source: str) -> frozenset[str] | None:
    """The longest part without white space of each literal a regex needs (None when it
    needs none known). Such a part lies within one white-space separated word of any
    text that holds the literal, so a gate's word table finds it."""
    need = required_literals(source)
    runs = None if need is None else [max(lit.split(), key=len, default="") for lit in need]
    return None if runs is None or not all(runs) else frozenset(runs)


def pieces_gate(sources: list[str]) -> Gate | None:
    """A gate that finds in a text a word piece of every match of any of the regexes
    (None when one of them needs no known literal): a text it finds none in holds no
    match."""
    pieces = [word_pieces(source) for source in sources]
    if any(p is None for p in pieces):
        return None
    return Gate(tuple(sorted(set().union(*pieces))))


@cache
def required_literals(source: str) -> frozenset[str] | None:
    """Strings one of which every match of a regex contains, or None when no such set
    is known (then the pattern must always be tried). Read from the parsed pattern: a
    run of literal characters in sequence, or one per branch of a group every match
    passes through, whichever is longest."""
    try:
        parsed = _parser.parse(source)
    except re.error:
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    try:
        return _needed(list(parsed))
    except _Unknown:
        return None


class _Unknown(Exception):
    """A construct ``required_literals`` does not read (a case-insensitive group)."""


def _needed(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The best literal set of a sequence of parsed items (see ``required_literals``):
    the items that match a few literal strings only (a character, a group of words)
    run together into the strings they spell."""
    found: list[frozenset[str]] = []
    run = frozenset([""])
    for op, arg in items:
        if op is _c.AT:
            continue  # zero-width: the characters either side are adjacent
        spelled = _exact([(op, arg)])
        if spelled is not None and len(longer := frozenset(a + b for a in run for b in spelled)) <= _SPELLED_MAX:
            run = longer
            continue
        if run != {""}:
            found.append(run)
        run = frozenset([""]) if spelled is None else spelled
        if spelled is not None:
            continue
        inner: frozenset[str] | None = None
        if op is _c.SUBPATTERN:
            if arg[1] & re.IGNORECASE:
                raise _Unknown
            inner = _needed(list(arg[3]))
        elif op is _c.ATOMIC_GROUP:
            inner = _needed(list(arg))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and arg[0] >= 1:
            inner = _needed(list(arg[2]))
        elif op is _c.BRANCH:
            branches = [_needed(list(b)) for b in arg[1]]
            inner = None if any(b is None for b in branches) else frozenset().union(*branches)
        if inner:
            found.append(inner)
    if run != {""}:
        found.append(run)
    return max(found, key=lambda lits: (min(map(len, lits)), -len(lits))) if found else None


_SPELLED_MAX = 64
"""Most strings a run of literal items may spell before it is cut (a product of groups)."""


def _exact(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The strings a sequence of parsed items matches when it matches only literal
    strings, at most ``_SPELLED_MAX`` (zero-width assertions aside); else None."""
    out = frozenset([""])
    for op, arg in items:
        if op is _c.AT:
            continue
        if op is _c.LITERAL:
            inner = frozenset([chr(arg)])
        elif op is _c.IN and all(o is _c.LITERAL for o, _ in arg):
            inner = frozenset(chr(c) for _, c in arg)
        elif op is _c.SUBPATTERN:
            if arg[1] & re.IGNORECASE:
                raise _Unknown
            inner = _exact(list(arg[3]))
        elif op is _c.BRANCH:
            branches = [_exact(list(b)) for b in arg[1]]
            inner = None if any(b is None for b in branches) else frozenset().union(*branches)
        else:
            return None
        if inner is None:
            return None
        out = frozenset(a + b for a in out for b in inner)
        if len(out) > _SPELLED_MAX:
            return None
    return out


@dataclass(frozen=True)
class Cue:
    """A status cue: its pattern and the status it claims."""

    spec: str
    status: Status
    regex: re.Pattern[str]
    types: frozenset[str] = frozenset()
    """The kinds of event the cue speaks of ("scrubbed": launches); empty for all."""
    negation_drops: bool = False
    """Negated, the cue says nothing about the event ("not invited", "will not attend")."""
    weak: bool = False
    """An attribute more than a claim ("the planned visit"): any other cue of the clause wins."""
    negation_cancels: bool = False
    """Negated, the cue calls the event off ("wird nicht stattfinden")."""
    negative: bool = False
    """The cue holds its own negation ("findet nicht statt"): a negation inside it is no flip."""
    dated: bool = False
    """A date after the event word ("die Eröffnung des Skylink am 5. Juni"): a weak plan,
    and no claim at all unless the date lies after the article's (``dated_cues``)."""

    def fits(self, event_type: str) -> bool:
        return not self.types or event_type in self.types


@dataclass(frozen=True)
class CueIndex:
    """Cues by their first word, so a clause only runs the patterns it can match.

    Candidates come back in lexicon order, so that of two cues covering the same span
    the one listed first wins, whatever the order of the words in the clause.
    """

    cues: tuple[Cue, ...]
    exact: dict[str, tuple[int, ...]]
    prefixed: dict[str, tuple[int, ...]]
    always: frozenset[int]
    needs: tuple[tuple[str, ...], ...] = ()
    """Per cue, the literals of all its words: a cue whose words are not all in the
    clause cannot match there, and its pattern is not run."""
    words: WordTable | None = None
    """Per word, the literals of ``needs`` it holds (labelled by themselves) and the
    cues always tried (no first word stands for them) a word piece of whose pattern's
    required strings it holds (labelled ``raw_labels``): one split and one lookup per
    word of a clause, then a subset test per candidate cue."""
    raw_labels: tuple[str | None, ...] = ()
    """Per cue always tried, its label in ``words`` (None when its pattern needs no
    known string: then it is always run). A clause none of whose words holds a piece of
    the strings every match contains (``word_pieces``: a German time's colon, a month's
    name) cannot match it, and its pattern is not run."""

    @classmethod
    def of(cls, cues: list[Cue]) -> CueIndex:
        exact: dict[str, list[int]] = {}
        prefixed: dict[str, list[int]] = {}
        always = set()
        for i, cue in enumerate(cues):
            first = lower(cue.spec).split()[0]
            if cue.spec.startswith("re:") or first.startswith("*"):
                always.add(i)
            else:
                table = prefixed if first.endswith("*") else exact
                table.setdefault(first.strip("*$"), []).append(i)
        needs = tuple(literals(cue.spec) for cue in cues)
        labels: dict[str, set[str]] = {lit: {lit} for need in needs for lit in need}
        raw_labels: list[str | None] = [None] * len(cues)
        for i in always:
            pieces = _raw_pieces(cues[i])
            if pieces is not None:
                raw_labels[i] = f"\x00raw{i}"  # no literal of a word holds a NUL
                for piece in pieces:
                    labels.setdefault(piece, set()).add(raw_labels[i])
        return cls(tuple(cues), {k: tuple(v) for k, v in exact.items()}, {k: tuple(v) for k, v in prefixed.items()}, frozenset(always), needs, WordTable.of_labels(labels), tuple(raw_labels))

    by_token: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)
    """Per word seen, the cues whose first word it is or starts with (``first_cues``),
    remembered per process (news repeats its words): a clause then costs one lookup per
    distinct word instead of a prefix test of each."""

    def first_cues(self, token: str) -> tuple[int, ...]:
        """The cues whose first word is ``token`` (or a prefix of it, for ``word*``)."""
        ids = list(self.exact.get(token, ()))
        if token.startswith(tuple(self.prefixed)):
            ids += [i for prefix, more in self.prefixed.items() if token.startswith(prefix) for i in more]
        return tuple(ids)

    by_word: dict[str, tuple[tuple[int, ...], frozenset[str]]] = field(default_factory=dict, compare=False, repr=False)
    """Per white-space separated word seen, the cues of its tokens (``_word_cues``: a
    token lies within one such word, so a clause's words give the cues of its tokens)
    and its labels in ``words``."""

    def _word_cues(self, word: str) -> tuple[int, ...]:
        """The cues whose first word is one of the word's tokens (``first_cues``)."""
        by_token = self.by_token
        if len(by_token) > _WORD_CACHE_SIZE:
            by_token.clear()
        ids: list[int] = []
        for token in _WORD.findall(word):
            found = by_token.get(token)
            if found is None:
                found = by_token[token] = self.first_cues(token)
            ids += found
        return tuple(sorted(set(ids)))

    def candidates(self, low: str, first_word_only: bool = False) -> list[Cue]:
        """The cues that may match in the lower-case text: those whose first word is
        there (and, unless ``first_word_only``, all their other words too), and those
        always tried whose pattern may match there."""
        by_word, words = self.by_word, self.words
        if len(by_word) > _WORD_CACHE_SIZE:
            by_word.clear()
        picked: set[int] = set()
        held: set[str] = set()
        for word in low.split():
            entry = by_word.get(word)
            if entry is None:
                entry = by_word[word] = (self._word_cues(word), _NO_LABELS if words is None else words.of_word(word))
            if entry[0]:
                picked.update(entry[0])
            if entry[1]:
                held.update(entry[1])
        if first_word_only:
            return [self.cues[i] for i in sorted(picked | self.always)]
        if words is None:
            return [self.cues[i] for i in sorted(picked | self.always) if all(lit in low for lit in self.needs[i])]
        always = [i for i in self.always if (label := self.raw_labels[i]) is None or label in held]
        return [self.cues[i] for i in sorted(picked.union(always)) if held.issuperset(self.needs[i])]


def _raw_pieces(cue: Cue) -> frozenset[str] | None:
    """Word pieces one of which every match of a cue's pattern holds, if known."""
    return None if cue.regex.flags & re.IGNORECASE else word_pieces(cue.regex.pattern)


@dataclass(frozen=True)
class NameRules:
    """A language's cues for names no list holds (``names`` in its lexicon)."""

    titles: dict[str, tuple[str, str | None]]
    """Exact title words, lower case -> (kind, role)."""
    title_patterns: tuple[tuple[re.Pattern[str], tuple[str, str | None]], ...]
    title_words: re.Pattern[str]
    """Any title, to be matched against whole words (``fullmatch``)."""
    title_before: re.Pattern[str]
    """A title ending the text before a name (group ``title``)."""
    not_names: frozenset[str]
    first_names: frozenset[str]
    legal_forms: frozenset[str]
    """Words after a company's name that are no part of it ("AG", "Inc")."""
    event_words: re.Pattern[str]
    place_before: re.Pattern[str]
    place_run: re.Pattern[str]
    not_participants: frozenset[str] = frozenset()
    """Names that are never a side of an event when they stand alone ("Dax", "European")."""
    venue_heads: frozenset[str] = frozenset()
    """Last words (or heads of a compound) that make a name a venue ("Wembley Stadium",
    "Barclays-Arena"): where an event is, not who takes part."""
    named_event_words: re.Pattern[str] = re.compile(r"(?!)")
    club_prefixes: frozenset[str] = frozenset()
    """Abbreviations that open a club's name before its town or country ("AS Monaco")."""
    cup_before: re.Pattern[str] = re.compile(r"(?!)")
    """A cup word and its particle right before a place (``cup_words``: "Copa ", "Coupe de ")."""
    mediator_before: re.Pattern[str] = re.compile(r"(?!)")
    """Words that open a list of mediators, then that list's words up to a name's start
    (``mediator_words``: "mediated by Qatar, Egypt and", "unter Vermittlung des Golfstaats")."""
    mediator_stems: tuple[str, ...] = ()
    """The first letters of the mediators' words, lower case: a sentence holding none
    names no mediator, and the two patterns are not searched."""
    mediator_after: re.Pattern[str] = re.compile(r"(?!)")
    """After a name, the rest of a list of names and a mediators' word ("Saudi, US and
    African mediators", "Oman vermittelt")."""
    host_after: re.Pattern[str] = re.compile(r"(?!)")
    """Words right after a name that make it the host of what follows (``host_words``:
    "will play host to", "as the new hosts of", "als Gastgeber")."""
    town_after: re.Pattern[str] = re.compile(r"(?!)")
    """A word for a town right after a country's adjective (``town_nouns``: "the Saudi
    city of Jeddah", "der saudischen Hafenstadt Dschidda")."""
    genitive_words: frozenset[str] = frozenset()
    """Articles of the genitive before which a name takes an -s ("des Humboldt Forums")."""
    """The words of the kinds of event known by their own names (festival, race,
    conference, ...): a German name written apart before one ("Hurricane Festival") is
    the event's own."""
    generic_modifiers: frozenset[str] = frozenset()
    """First parts of a facility compound that say only what kind it is ("groß",
    "haupt", "hauptstadt"): "Großflughafen" names no airport in particular."""
    facility_heads: frozenset[str] = frozenset()
    """Heads of a compound that make one word the name of a thing that opens
    ("Elbphilharmonie", "Hauptstadtflughafen"), with ``venue_heads``."""
    media_heads: frozenset[str] = frozenset()
    """Last words that make a name a publication or broadcaster ("Bayerischer Rundfunk",
    "New York Times"): a source of news, never a participant."""
    destination_before: re.Pattern[str] = re.compile(r"(?!)")
    """A preposition of destination ending the text before a name ("to the ", "zur ")."""
    route_before: re.Pattern[str] = re.compile(r"(?!)")
    """A preposition of direction or nearness ending the text before a name ("toward
    the ", "down the ", "near "): what follows is a place passed or near, no side."""
    parliament_after: re.Pattern[str] = re.compile(r"(?!)")
    """What follows a country's name or adjective when its parliament is meant ("'s
    parliament", " lawmakers", " Abgeordnete"): matched right at the name's end."""
    designation_links: frozenset[str] = frozenset()
    """Words that join a titled person's name to the land they are titled by ("King
    Abdullah of Jordan", "Emperor Naruhito of Japan"): the name ends before it, and the
    land is the person's, who stands for it (a country is a side only where nobody is)."""
    bare_titles: dict[str, str] = field(default_factory=dict)
    """A title that names one holder by itself, lower case (inflected too) -> the form
    written before the holder's name ("the King" -> "King", "des Königs" -> "König"):
    the article's one person so titled."""
    causes: re.Pattern[str] = re.compile(r"(?!)")
    """Words that open a phrase of cause ("because of", "wegen"): a place in it is where
    the cause is, not where the event is."""
    cause_ends: re.Pattern[str] = re.compile(r"(?!)")
    """Words that end a phrase of cause before any event word (``cause_ends``): a
    German finite verb after a cause that opens the sentence ("Angesichts der Unruhen
    in seinem Land | hat Frankreichs Präsident Macron ..."): its subject follows."""
    venue_before: re.Pattern[str] = re.compile(r"(?!)")
    """The end of the text before a place that makes it where something is ("in ", "at
    the ", "im nordrhein-westfälischen "): a preposition of ``venue_words``, an article
    and one lower-case adjective at most."""
    sides: re.Pattern[str] = re.compile(r"(?!)")
    """Two sides named as a pair ("zwischen Gladbach und Köln", "Bayern vs. Dortmund"):
    a place among them is a side, not where the event is."""
    none_after: frozenset[str] = frozenset()
    """Lower-case words after a name that make it a disease's, a storm's, a disaster's
    ("the Omicron variant", "the Palisades fire"): never a participant."""
    title_apposed: re.Pattern[str] = re.compile(r"(?!)")
    """A title of something, set off by a comma before a name ("the spokesman for
    Oktoberfest, ", "Sprecher des Festivals, "): the name that follows holds it."""
    title_gate: Gate | None = None
    """Word pieces of every title ``title_before`` finds: text before a name that holds
    none has no title (``pieces_gate``)."""
    title_end_gate: Gate | None = None
    """Per title, the longest literal of its last word ("boss" of "*boss", "officer" of
    "chief executive officer"): a title that ``title_before`` finds ends the text but
    for an article and white space, so its last word lies within one of the text's last
    two words (``title_may_end``)."""
    known: dict[tuple[str, str], bool] = field(default_factory=dict, compare=False, hash=False)
    """Answers already worked out per word: the same words recur in every article."""

    def title_may_end(self, window: str) -> bool:
        """Whether one of the last two words of the text before a name holds the last
        literal of a title (``title_end_gate``); when not, ``title_before`` finds none
        there and is not searched (it tries each of hundreds of titles at every word)."""
        gate = self.title_end_gate
        return gate is None or gate.holds_any("", window.split()[-2:])

    def side_spans(self, text: str) -> list[tuple[int, int]]:
        """Where a cased text names two sides as a pair (``sides``). Its pattern tries
        every capitalised word as a first side, which in German is every noun; a text
        holding none of the strings one of which every match contains (``needed``:
        "zwischen", "vs", ...) is not searched."""
        needs = needed((self.sides.pattern,))
        if needs is not None and not any(n in text for n in needs):
            return []
        return [m.span() for m in self.sides.finditer(text)]

    def is_event_word(self, word: str) -> bool:
        """Whether a word (any case) is or holds an event word ("Gipfel", "EU-Gipfel")."""
        key = ("event", word)
        if key not in self.known:
            self._remember(key, bool(self.event_words.search(word.lower())))
        return self.known[key]

    def is_title(self, words: str) -> bool:
        """Whether lower-case words are a title or role ("präsident", "prime minister")."""
        key = ("title", words)
        if key not in self.known:
            self._remember(key, bool(self.title_words.fullmatch(words)))
        return self.known[key]

    def _remember(self, key: tuple[str, str], value: bool) -> None:
        if len(self.known) >= 100_000:
            self.known.clear()
        self.known[key] = value


def _title_source(spec: str) -> str:
    """A title spec as a regex for whole lower-case words: ``*`` is any word part."""
    return r"\s+".join(re.escape(t).replace(r"\*", r"\w*") for t in lower(spec).split())


def _named_kinds() -> frozenset[str]:
    """The kinds of event known by their own names: those whose participants include
    ``event`` (types.yaml)."""
    return frozenset(name for name, meta in (_load(DATA_DIR / "types.yaml").get("types") or {}).items() if "event" in (meta.get("participants") or []))


def _title_specs(raw: dict[str, Any]) -> list[list[str]]:
    """The title specs of a lexicon's ``names``, group by group."""
    return [specs for groups in raw.get("titles", {}).values() for specs in (groups.values() if isinstance(groups, dict) else [groups])]


def _name_rules(raw: dict[str, Any] | None, type_words: list[str], months: list[str], weekdays: list[str], named_words: list[str] = ()) -> NameRules | None:
    if not raw:
        return None
    exact: dict[str, tuple[str, str | None]] = {}
    patterns: list[tuple[re.Pattern[str], tuple[str, str | None]]] = []
    for kind, groups in raw.get("titles", {}).items():
        for role, specs in (groups.items() if isinstance(groups, dict) else [(None, groups)]):
            for spec in specs:
                meaning = (kind, role)
                if "*" in spec:
                    patterns.append((re.compile(_title_source(spec)), meaning))
                else:
                    exact.setdefault(lower(spec), meaning)
    every = sorted({_title_source(t) for t in exact} | {rx.pattern for rx, _ in patterns}, key=len, reverse=True)
    ends = {max(lower(spec).split()[-1].split("*"), key=len) for spec in [*exact, *(spec for specs in _title_specs(raw) for spec in specs if "*" in spec)]}
    titles_rx = "|".join(every) or r"(?!)"
    articles = r"(?:the|der|die|das|des|dem|den)"
    lead = articles + r"\s+"
    prepositions = "|".join(re.escape(p) for p in raw.get("place_before", []))
    run = r"[A-ZÄÖÜÉ][\w'’.-]*(?:\s+(?:(?:of|de|del|am|an|upon)\s+)?[A-ZÄÖÜÉ][\w'’.-]*)*"
    not_names = {lower(w) for w in raw.get("not_names", [])} | {lower(w) for w in months + weekdays} | set(exact)
    return NameRules(
        titles=exact,
        title_patterns=tuple(patterns),
        title_words=re.compile(f"(?:{titles_rx})"),
        title_before=re.compile(rf"(?:^|[^\w])(?P<title>{titles_rx})(?:\s+{articles})?\s+$"),
        not_names=frozenset(not_names),
        first_names=frozenset(raw.get("first_names", [])) | frozenset(_shared_names().get("first_names", [])),
        legal_forms=frozenset(_shared_names().get("legal_forms", [])),
        event_words=re.compile(alternation(sources(type_words))),
        named_event_words=re.compile(alternation(sources(list(named_words)))) if named_words else re.compile(r"(?!)"),
        place_before=re.compile(rf"\b(?:{prepositions})\s+(?:{lead})?$" if prepositions else r"(?!)"),
        place_run=re.compile(rf"\b(?:{prepositions})\s+(?:{lead})?(?P<place>{run})" if prepositions else r"(?!)"),
        not_participants=frozenset(lower(w) for w in raw.get("not_participants", [])),
        venue_heads=frozenset(lower(w) for w in raw.get("venue_heads", [])),
        media_heads=frozenset(lower(w) for w in raw.get("media_heads", [])),
        facility_heads=frozenset(lower(w) for w in raw.get("facility_heads", [])),
        generic_modifiers=frozenset(lower(w) for w in raw.get("generic_modifiers", [])),
        destination_before=re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in raw['destination_words'])})\s+(?:{lead})?$") if raw.get("destination_words") else re.compile(r"(?!)"),
        route_before=re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in raw['route_words'])})\s+(?:{lead})?$") if raw.get("route_words") else re.compile(r"(?!)"),
        venue_before=_venue_before(raw.get("venue_words", []), articles),
        bare_titles={lower(k): v for k, v in (raw.get("bare_titles") or {}).items()},
        designation_links=frozenset(lower(w) for w in raw.get("designation_links", [])),
        parliament_after=re.compile(rf"(?:['’]s)?\s+(?:{'|'.join(re.escape(w) for w in raw['parliament_words'])})\b") if raw.get("parliament_words") else re.compile(r"(?!)"),
        causes=re.compile(rf"\b(?:{'|'.join(w[3:] if w.startswith('re:') else re.escape(lower(w)) for w in raw['cause_words'])})\b") if raw.get("cause_words") else re.compile(r"(?!)"),
        cause_ends=re.compile(rf"\b(?:{'|'.join(re.escape(lower(w)) for w in raw['cause_ends'])})\b") if raw.get("cause_ends") else re.compile(r"(?!)"),
        sides=_sides(raw.get("sides", {})),
        none_after=frozenset(lower(w) for w in raw.get("none_after", [])),
        title_apposed=_title_apposed(titles_rx, raw.get("apposed_title_links", []), articles),
        title_gate=pieces_gate([rf"(?:{titles_rx})"]),
        title_end_gate=Gate(tuple(sorted(ends))) if ends and all(ends) else None,
        genitive_words=frozenset(lower(w) for w in raw.get("genitive_words", [])),
        club_prefixes=frozenset(_shared_names().get("club_prefixes", [])),
        cup_before=_cup_before(_shared_names()),
        mediator_before=_mediator_before(raw.get("mediator_words", []), articles),
        mediator_after=_mediator_after(raw.get("mediator_after", []), articles),
        mediator_stems=tuple(sorted({lower(w.split()[0])[:6] for w in raw.get("mediator_words", []) + raw.get("mediator_after", [])})),
        host_after=re.compile(rf"\s+(?:{'|'.join(pattern(w) for w in raw['host_words'])})") if raw.get("host_words") else re.compile(r"(?!)"),
        town_after=re.compile(rf"\s+(?:{'|'.join(re.escape(w) for w in raw['town_nouns'])})\b") if raw.get("town_nouns") else re.compile(r"(?!)"),
    )


_LIST_WORD = r"(?:[A-ZÄÖÜ][\w'’.-]*|and|und|&|of|von)"
"""A word of a list of names: a capitalised word or a joining word (articles aside)."""


def _mediator_before(words: list[str], articles: str) -> re.Pattern[str]:
    """A mediators' word and the list it opens, up to where a name starts, searched in a
    sentence's text before the name (``extract._mediator``): "mediated by Qatar, Egypt and
    the", "unter der Vermittlung des Golfstaats"."""
    if not words:
        return re.compile(r"(?!)")
    item = rf"(?:{_LIST_WORD}|{articles})"
    return re.compile(rf"(?:{'|'.join(pattern(w, cased=True) for w in words)})(?:[\s,]+{item})*[\s,]+$")


def _mediator_after(words: list[str], articles: str) -> re.Pattern[str]:
    """After a name, the rest of a list of names and then a mediators' word: "(Saudi), US
    and African mediators", "(Oman) vermittelt"."""
    if not words:
        return re.compile(r"(?!)")
    item = rf"(?:{_LIST_WORD}|{articles})"
    return re.compile(rf"(?:[\s,]+{item})*?\s+(?:{'|'.join(pattern(w, cased=True) for w in words)})")


def _cup_before(shared: dict[str, Any]) -> re.Pattern[str]:
    """A cup word, a particle or none, then a space, ending where a place begins: searched
    backwards from the place's start (``annotators._cup_of``)."""
    words, particles = shared.get("cup_words", []), shared.get("cup_particles", [])
    if not words:
        return re.compile(r"(?!)")
    particle = "|".join(re.escape(p) for p in particles)
    return re.compile(rf"(?<![\w'’-])(?:{'|'.join(re.escape(w) for w in words)})(?:\s+(?:{particle}))?\s*(?<=[\s'’])$")


def _title_apposed(titles_rx: str, links: list[str], articles: str) -> re.Pattern[str]:
    """``NameRules.title_apposed``: a title, a word that links it to what it is a title
    of, up to three words of that, and a comma, ending the lower-case text before a name."""
    if not links:
        return re.compile(r"(?!)")
    joined = "|".join(re.escape(lower(w)) for w in links)
    return re.compile(rf"(?:^|[^\w])(?P<title>{titles_rx})\s+(?:{joined})\s+(?:{articles}\s+)?[\w'’.&-]+(?:\s+[\w'’.&-]+){{0,2}},\s+$")


def _venue_before(words: list[str], articles: str) -> re.Pattern[str]:
    """``NameRules.venue_before`` for the prepositions ``words``."""
    if not words:
        return re.compile(r"(?!)")
    prepositions = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?:^|[^\w])(?i:{prepositions})\s+(?:(?i:{articles})\s+)?(?:[a-zäöüß][\w-]*\s+)?$")  # the adjective in lower case


_SIDE = r"(?:\d{1,2}\.\s+)?[A-ZÄÖÜÉ][\w'’.&-]*(?:\s+(?:\d{1,2}\.\s+)?[A-ZÄÖÜÉ\d][\w'’.&-]*)*"
"""One side of a pair: a run of capitalised words ("1. FC Köln", "Borussia Mönchengladbach")."""


def _before_end(specs: list[str], reach: str) -> re.Pattern[str]:
    """A pattern for any of ``specs`` followed by at most ``reach`` and the end of the text
    searched: what stands right before a word the caller searches up to ("there will be
    no | Oktoberfest", "and then | cancelled")."""
    return re.compile(rf"(?:{alternation(sources(specs))}){reach}\s*$") if specs else re.compile(r"(?!)")


def _sides(raw: dict[str, Any]) -> re.Pattern[str]:
    """A pattern for two sides named as a pair (``sides`` in a lexicon): "between X and Y"
    (``between`` ... ``and``), "X vs Y" (``versus``), with an article before a side; two
    joined as the subject of a verb only two sides do together ("Real Madrid and Barcelona
    drew 1-1", ``together``); and the side a word of opposition names alone ("Lyon's match
    against Marseille": ``against``)."""
    between = "|".join(re.escape(w) for w in raw.get("between", []))
    joins = "|".join(re.escape(w) for w in raw.get("and", []))
    versus = "|".join(re.escape(w) for w in raw.get("versus", []))
    against = "|".join(re.escape(w) for w in raw.get("against", []) if w.replace(" ", "").isalpha())
    together = "|".join(sorted((re.escape(w) for w in raw.get("together", [])), key=len, reverse=True))
    article = r"(?:(?:der|die|das|dem|den|des|the)\s+)?"
    forms = []
    if joins and together:
        forms.append(rf"{article}{_SIDE}\s+(?:{joins})\s+{article}{_SIDE}(?=\s+(?:{together})\b)")
    if between and joins:
        forms.append(rf"\b(?:{between})\s+{article}{_SIDE}\s+(?:{joins})\s+{article}{_SIDE}")
    if versus:
        forms.append(rf"{_SIDE}\s+(?:{versus})(?!\w)\s*{article}{_SIDE}")
    if against:
        forms.append(rf"\b(?:{against})\s+{article}{_SIDE}")
    return re.compile("|".join(forms) or r"(?!)")


@cache
def _shared_names() -> dict[str, Any]:
    """Name data common to the news of both languages (``names.yaml``): first names,
    companies' legal forms."""
    return _load(DATA_DIR / "names.yaml")


_NEVER = re.compile(r"(?!)")


@dataclass(frozen=True)
class Editions:
    """How a language numbers a round or an edition (``editions`` in the lexicon), as
    patterns over a clause's cased text.

    ``nouns``: the edition nouns per kind (its own and the common ones; "" for a kind
    with none of its own), found first: a number beside one (``numbered``, ``numbering``:
    "the fourth round", "the 2021 edition", "die 118. Auflage", "Runde 7") is looked for
    only around a noun, which few clauses hold (``counted``). ``before``: a digit ordinal ("124th", "70.") or a year
    after a definite article ("the 2021") ending the text before an event's name, one
    word between at most ("the 64th Annual Grammy Awards"). ``after``: a year opening the
    text after it ("Glastonbury 2020"). Ordinal words count only beside an edition noun:
    before a name they rank rather than number ("the first Glastonbury since 2019").
    ``following``: a word of the next one ending the text before the event word, one
    word between at most ("the next round of talks", "weitere Verhandlungen"): the round
    after the one the article reports as held."""

    ordinals: dict[str, int]
    nouns: dict[str, re.Pattern[str]]
    numbered: re.Pattern[str]
    numbering: re.Pattern[str]
    before: re.Pattern[str]
    after: re.Pattern[str]
    following: re.Pattern[str] = _NEVER

    def counted(self, cased: str, kind: str) -> list[tuple[int, int, str]]:
        """The numbered edition nouns of ``kind`` in a clause: (start, end, edition)."""
        nouns = self.nouns.get(kind) or self.nouns.get("")
        found = []
        for noun in nouns.finditer(cased) if nouns is not None else ():
            start, end = noun.span()
            lead = self.numbered.search(cased[max(0, start - NUMBER_REACH) : start])
            if lead is not None and (n := self.number(lead)) is not None:
                found.append((start - len(lead.group(0)), end, n))
            elif (tail := self.numbering.match(cased[end : end + NUMBER_REACH])) is not None and (n := self.number(tail)) is not None:
                found.append((start, end + tail.end(), n))
        return found

    def number(self, match: re.Match[str]) -> str | None:
        """The edition a match of these patterns names: an ordinal's number, or a year."""
        found = match.groupdict()
        if found.get("word"):
            n = self.ordinals.get(found["word"].lower())
            return None if n is None else str(n)
        value = next((v for k in ("num", "year", "after") if (v := found.get(k))), None)
        return str(int(value)) if value and 0 < int(value) < 2100 else None


def year_edition(edition: str | None) -> int | None:
    """An edition named by its year ("Wimbledon 2021"), else None (an ordinal, "the
    seventh round", or none)."""
    return int(edition) if edition is not None and len(edition) == 4 and edition.isdigit() else None


def editions_apart(a: str | None, b: str | None) -> bool:
    """Whether two editions are known to differ: both numbered the same way (two years,
    two ordinals) and not equal. An ordinal and a year number one edition two ways ("the
    50th Glastonbury", "Glastonbury 2020")."""
    return a is not None and b is not None and a != b and (year_edition(a) is None) == (year_edition(b) is None)


_YEAR_SOURCE = r"(?:19[5-9]\d|20\d\d)"
NUMBER_REACH = 24
"""Characters before or after an edition noun searched for its number ("zwanzigsten ")."""
_NO_EDITIONS = Editions({}, {}, _NEVER, _NEVER, _NEVER, _NEVER)


def _editions(raw: dict[str, Any] | None, definite: list[str]) -> Editions:
    """``Lexicon.editions`` from the lexicon's ``editions`` data and its definite articles."""
    if not raw:
        return _NO_EDITIONS
    endings = raw.get("ordinal_endings") or [""]
    ordinals = {lower(word) + ending: int(n) for word, n in raw.get("ordinals", {}).items() for ending in endings}
    words = "|".join(sorted(map(re.escape, ordinals), key=len, reverse=True)) or r"(?!)"
    digit = r"(?P<num>\d{1,3})(?:" + "|".join(map(re.escape, raw.get("ordinal_suffixes", []))) + ")"
    number = rf"(?:\b(?i:(?P<word>{words}))|\b{digit}|\b(?P<year>{_YEAR_SOURCE}))"

    def nouns(words: list[str]) -> re.Pattern[str]:
        return re.compile(rf"\b(?i:{'|'.join(sorted(map(re.escape, words), key=len, reverse=True))})\b")

    common = list(raw.get("nouns", []))
    by_kind = {kind: nouns(common + list(words)) for kind, words in (raw.get("kind_nouns") or {}).items()}
    numbered = re.compile(rf"{number}\s+$")
    numbering = re.compile(rf"^\s+(?P<after>\d{{1,3}}|{_YEAR_SOURCE})\b(?![.,:]\d)")
    articles = "|".join(map(re.escape, definite)) or r"(?!)"
    before = re.compile(rf"(?:\b(?i:{articles})\s+(?P<year>{_YEAR_SOURCE})|\b{digit})\s+(?:[\w-]+\s+)?$")
    after = re.compile(rf"^\s+(?P<after>{_YEAR_SOURCE})\b(?![.,:/-]?\d)")
    nexts = "|".join(sorted(map(re.escape, raw.get("next_words", [])), key=len, reverse=True)) or r"(?!)"
    following = re.compile(rf"\b(?i:{nexts})\s+(?:[\w-]+\s+)?$")
    return Editions(ordinals, {"": nouns(common), **by_kind}, numbered, numbering, before, after, following)


@dataclass(frozen=True)
class Lexicon:
    """One language's compiled patterns."""

    language: str
    stopwords: frozenset[str]
    junk_block: TextRule
    junk_line: TextRule
    dateline: TextRule
    type_words: dict[str, re.Pattern[str]]
    type_gates: dict[str, Gate]
    name_heads: frozenset[str]
    """Event words that count only as the capitalised head of a name (``_name_heads``)."""
    name_head_kinds: dict[str, frozenset[str]]
    """Per name head, the kinds it is the head of ("open": tournament; the verb "opens"
    of an opening is no head)."""
    gate: Gate
    cues: list[Cue]
    cue_index: CueIndex
    floated: re.Pattern[str]
    not_claims: re.Pattern[str]
    not_claims_after: re.Pattern[str]
    complementizers: re.Pattern[str]
    """A clause opening with one of these ("dass", "that") says what the clause before
    it states: after a demand or threat there ("forderte, dass ..."), no fact."""
    """Deliberation or demand after the cue, where German puts an infinitive's verb
    ("eine Verschiebung der Wahl zu prüfen"): the cue states no fact."""
    conditions: re.Pattern[str]
    time_expressions: re.Pattern[str]
    in_passing: re.Pattern[str]
    in_passing_named: re.Pattern[str]
    """``in_passing`` with one or two capitalised words before the cue, matched on the cased
    clause, for the status nouns of ``in_passing_nouns`` only."""
    in_passing_nouns: frozenset[str]
    of_words: frozenset[str]
    """Words that tie a status noun to the event it is of ("Verschiebung der Visite",
    "cancellation of the race")."""
    past_markers: re.Pattern[str]
    """Past-tense auxiliaries ("war", "was"): a clause with one recounts, so a date in it
    names no plan (``dated_cues``)."""
    new_date: re.Pattern[str]
    """What introduces the date an event was moved to ("postponed to September 26")."""
    old_date: re.Pattern[str]
    """What introduces the date an event was moved from ("postponed from April 20 to ...")."""
    and_words: frozenset[str]
    """Words that join two coordinated names ("und", "and": ``names.sides.and``)."""
    side_words: frozenset[str]
    """Words that join the two sides of a game or dispute ("and", "vs", "gegen",
    "against": ``names.sides`` ``and``, ``versus`` and ``against``)."""
    opponent_words: frozenset[str]
    """The side words that name an opponent by themselves ("gegen", "against", "vs"): the
    side words less the ``and_words``."""
    clause_joins: re.Pattern[str]
    """Words that join two verbs of one sentence ("and", "but", "und", "doch"): an outcome
    followed by a time ahead only up to the next one is one to come (``extract._prospect``)."""
    negations: re.Pattern[str]
    determiner_words: frozenset[str]
    """Articles and the like: one between a negation and a cue bounds the negation."""
    preposition_words: frozenset[str]
    """A preposition between a weak cue and the event word after it: the cue qualifies another noun."""
    attributive_cues: re.Pattern[str]
    """Weak cues in an adjective's form ("planned", "upcoming", "geplante"): they qualify the noun after them."""
    negation_flip: dict[Status, Status | None]
    hedges: re.Pattern[str]
    hedge_adjectives: re.Pattern[str]
    """Hedges in an adjective's form ("möglichen", "possible"): they hedge the noun they
    stand before ("ein mögliches Treffen"), not the clause ("einen möglichen Anschlag bei
    den bevorstehenden Konzerten" hedges the attack, not the concerts)."""
    appositive: re.Pattern[str]
    """Participles that open an appositive clause ("..., postponed last week, ..."): there
    they describe the event and are weak cues."""
    background: re.Pattern[str]
    background_planned: re.Pattern[str]
    later_than_planned: re.Pattern[str]
    last_year: re.Pattern[str]
    """Words that date a recounted turn to the year before the article's ("last year's
    tournament", "im vergangenen Jahr"): the edition it befell is that year's."""
    year_of: re.Pattern[str]
    """A year as the time of a recounted turn ("cancelled in 2020", "im Jahr 2020"; not
    "the first since 2019"), its group "year"."""
    repeated: re.Pattern[str]
    """Words that say a turn befalls an event as it befell its last edition ("for the
    second year in a row", "zum zweiten Mal in Folge"): last year's edition had it too."""
    affected: re.Pattern[str]
    """Words that list what a turn told just before hits ("Betroffen sind die Konzerte in
    Köln und Oberhausen", "Among the shows affected are ..."): the events named take that
    turn (``extract._affected``)."""
    prospective: re.Pattern[str]
    dating_openers: re.Pattern[str]
    future_times: re.Pattern[str]
    counterfactual: re.Pattern[str]
    rescheduling: re.Pattern[str]
    """Delay cues that set a new date ("rescheduled", "verlegt"): with a date, weeks after
    the delay, the event is planned again (``story_tracking.article_claim``)."""
    """A plan stated against the earlier one ("später als bisher geplant", "later than
    planned"): the clause's plan is a delay."""
    attribution: list[re.Pattern[str]]
    attribution_words: frozenset[str]
    reported_speech: re.Pattern[str]
    anaphors: TextRule
    event_anaphors: re.Pattern[str]
    """Definite generic event nouns ("die Veranstaltung", "the event"): anywhere in a
    clause they refer to an event named before, or to the article's main event."""
    questions: re.Pattern[str]
    dates: dict[str, Any]
    presupposing: re.Pattern[str] = re.compile(r"(?!)")
    """Question words whose question takes its content as given ("Warum wurde der Gipfel
    abgesagt?", "Why was the summit cancelled?"): such a question states it."""
    apposition_starts: re.Pattern[str] = re.compile(r"(?!)")
    """The first words of a clause that describes the name before it ("Die GSMA, ein
    Verband der Mobilfunkanbieter, ...", "The GSMA, which organises the fair, ...")."""
    subject_resumes: re.Pattern[str] = re.compile(r"(?!)")
    """The finite verbs that open the clause where a subject's sentence goes on after
    such a description ("..., hat die Messe abgesagt", "..., has called off the fair")."""
    event_anaphor_gate: Gate | None = None
    """Word pieces of every match of ``event_anaphors``: an article that holds none has
    no generic event noun to refer back with (``pieces_gate``)."""
    names: NameRules | None = None
    kinds_by_literal: dict[str, frozenset[str]] = field(default_factory=dict)
    acronyms: re.Pattern[str] = re.compile(r"(?!)")
    """The short names in capitals of the recurring events whose kind the gazetteer gives
    ("ITB", "CES", "MWC"), whole and cased (``named_acronyms``)."""
    acronym_kinds: dict[str, str] = field(default_factory=dict)
    """Each of those names -> its event's kind."""
    """Per literal of ``gate``: the kinds of event (and ``not_events``) whose words may
    hold it; the kinds an article may name follow from the literals it holds."""
    raw_kinds: frozenset[str] = frozenset()
    """Kinds always tried: those with a raw-regex word, which no literal stands for, and
    ``not_events``, whose phrases need not hold an event word's literal."""
    kind_words: WordTable = field(default_factory=lambda: WordTable({}))
    """Per word, the kinds whose ``type_gates`` literals it holds (``WordTable``)."""
    definite_words: frozenset[str] = frozenset()
    """Definite articles and demonstratives ("das", "dieses", "the", "this"): an event
    word after one with no participant of its own ("Das Rennen wurde abgesagt") speaks of
    an event named before."""
    editions: Editions = _NO_EDITIONS
    """How a round or an edition is numbered (``Editions``)."""
    future_tense: re.Pattern[str] = re.compile(r"(?!)")
    """Words of a future before a dated plan ("will", "soll"): its date may lie up to a
    year ahead (``extract.FUTURE_HORIZON``)."""
    absent: re.Pattern[str] = re.compile(r"(?!)")
    """What says an event will not be at all, right before its word ("there will be no
    Oktoberfest", "wird es kein Oktoberfest geben"): called off (``extract._absent``)."""
    beside_programme: re.Pattern[str] = re.compile(r"(?!)")
    """What places an event before or after the article's main one ("will be followed by
    a meeting", "vor seiner Krönung"): not on its programme (``extract._programme_items``)."""
    other_words: frozenset[str] = frozenset()
    """Words of otherness before an event word ("other", "andere"): other events than
    the ones named, with no participants to lend (``extract._other``)."""
    generic_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per generic event word ("talks", "Abstimmung", "the polls"), the specific kinds it
    also names, in the data's order: the one its sentence, else the article's headline
    and lead, names is the event it speaks of (``extract._specific_kind``)."""
    sequence_words: re.Pattern[str] = re.compile(r"(?!)")
    """Words that put a turn after another ("delayed, and then cancelled", "zunächst
    verschoben und dann abgesagt"): the later cue is the event's status now."""
    result_words: dict[str, re.Pattern[str]] = field(default_factory=dict)
    """Per kind, its ``event_results``: results that name the event they ended by its
    score ("beat ... 2-1"); where the clause names the event by a word of its kind as
    well, that word is the event's (``annotators.words_of_hits``)."""
    trip_words: dict[str, re.Pattern[str]] = field(default_factory=dict)
    """Per kind, its ``event_trips``: travel to a place ("will travel to Iraq"); where the
    sentence names an event by its word, the trip is that event's way there, no event."""
    beginning_words: dict[str, re.Pattern[str]] = field(default_factory=dict)
    """Per kind, its ``event_beginnings``: verbs of a thing that opens ("opened on");
    where the clause names an event by its word ("the Paralympics opened on Tuesday"),
    the verb tells that event's beginning, no event of its own."""

    def kinds_in(self, found: Gate) -> tuple[str, ...]:
        """The kinds whose words a text may hold, given the gate of the literals it holds
        (and of its raw regexes: a kind with a raw word is tried only where one matches)."""
        kinds = set(self.raw_kinds) if found.raw is not None else self.raw_kinds & {NOT_EVENT}
        for literal in found.literals:
            kinds |= self.kinds_by_literal.get(literal, frozenset())
        return tuple(name for name in self.type_words if name in kinds)


@dataclass(frozen=True)
class EventType:
    """Language-independent metadata of one event type (types.yaml)."""

    name: str
    family: str
    rank: int
    label: str
    parent: str | None = None
    part_of: frozenset[str] = frozenset()
    """Families of the series an event of this kind is one of (a concert of a tour): a
    turn of the series told just before a list of what it hits falls on each event listed
    (``extract._affected``)."""
    participants: frozenset[str] = frozenset()
    min_actors: int = 1
    bloc_hosts: bool = False
    seats_speak: bool = False
    """Governments take part: a pair of seats of government named as its sides speaks for
    theirs ("Washington and Beijing will hold trade talks", "Moskau und Kiew")."""
    envoys_speak: bool = False
    """A side's envoy, minister or head named with it ("chief EU negotiator Michel
    Barnier", "Iranian Foreign Minister Abbas Araghchi", "US-Sondergesandter Steve
    Witkoff") stands for it: the side takes part too."""
    window_days: int = 10
    place_actor: bool = False
    """The event's place names its participant when nobody else is named (elections)."""
    one_per_place: bool = False
    """One event of the kind at a place within its window: a report naming it by whoever
    takes part (the winner of a race) and one naming it by its name are one story."""
    hosted: bool = False
    """A guest comes to a host whose place it is (a visit): a report naming the host
    country as a side and no place names that place."""
    per_place: bool = False
    """An event held at one place: several places coordinated in its clause ("am 11. April
    in Oberhausen und am 13. April in Köln") are several events, one at each."""
    one_subject: bool = False
    """One subject makes the event, its own name or its company's (a race, a launch, a
    shareholder meeting): two reports sharing it are of one event whatever else each
    names (story_tracking._shared_subject)."""
    two_sides: bool = False
    """Played by two sides (a match): two reports naming the same two sides, whatever
    else each names, are of one match (``story_tracking._pair_fit``)."""
    per_day: bool = False
    """An event held on one day: several days coordinated in its claim ("die Konzerte am
    Dienstag und Mittwoch") are several events, and two stated days are two events."""
    per_name: bool = False
    """An edition of an event known by its own name: names coordinated right by its word
    ("the Coachella and Stagecoach festivals", "the festivals Coachella and Stagecoach")
    are several events, one each."""
    destination_no_side: bool = False
    """Where the event goes is no side of it ("launch to the ISS", "Start zur ISS")."""
    host_no_side: bool = False
    """Who hosts the event is where it is held, no side ("Montreal will play host to the
    concert"): a performance's or a competition's host, not a visit's."""
    object_named: bool = False
    """What the event is of names its participant: the name its word governs ("Eröffnung
    der Elbphilharmonie", "opening of Berlin Brandenburg Airport") or the subject of its
    verb ("Die Elbphilharmonie soll ... eröffnet werden")."""
    recurring: bool = False
    """An edition of a recurring event (a marathon, a festival): "not this year" cancels
    it; for a one-off event ("the opening will not take place in 2017") it postpones it."""
    editions: bool = False
    """Its events are numbered rounds or editions ("the fourth round of talks",
    "Wimbledon 2021"): a report naming one files only under that one's story."""
    open_days: int = 180
    """A story of this kind not yet held nor called off, unreported this long, is not what
    a new report speaks of (a building's opening can slip for years, a match's not)."""
    programme: frozenset[str] = frozenset()
    """Kinds of event on this kind's programme (a visit's meetings, ceremonies, banquets):
    in an article about such an event, one of them planned in its body is an item of that
    programme, not a story of its own (``extract._programme_items``)."""


@dataclass(frozen=True)
class Entity:
    """A gazetteer entry: canonical name, kind (person/org/country) and attributes."""

    name: str
    kind: str
    role: str | None = None
    participant: bool = True
    country: str | None = None
    open: bool = False
    """Found by the open-vocabulary rules, not in the gazetteer."""


@dataclass
class Gazetteer:
    """Canonical names of people, organisations, countries and places.

    People and cities are matched in lower case; organisations and countries with their
    case ("US" is not "us"). ``people`` and ``cased`` are one alternation each, the
    per-entry patterns only resolve what they found.
    """

    entities: list[tuple[re.Pattern[str], Entity]] = field(default_factory=list)
    people: list[tuple[re.Pattern[str], Entity]] = field(default_factory=list)
    cased: list[tuple[re.Pattern[str], Entity]] = field(default_factory=list)
    places: list[tuple[re.Pattern[str], str, bool]] = field(default_factory=list)
    any_place: re.Pattern[str] = re.compile(r"(?!)")
    """Any city's name."""
    country_after_in: re.Pattern[str] = re.compile(r"(?!)")
    """A country's name after "in", "nach", "to", or a verb of visiting ("will visit
    France": ``country_place_before``) (group ``name``): a country as a place."""
    country_of: dict[str, str] = field(default_factory=dict)
    seats: frozenset[str] = frozenset()
    """Cities that are a seat of government (``seats_of_government``): named as a side of
    talks, each stands for its country's government."""
    within: dict[str, str] = field(default_factory=dict)
    """The city a place lies in (a venue, a district: ``in`` in gazetteer.yaml)."""
    city_adjectives: frozenset[str] = frozenset()
    """The German adjectives of cities ("Kölner", "Münchner") among ``places``' names."""
    venue_words: frozenset[str] = frozenset()
    """Words that make a place name a venue ("stadium", "palace", "Halle": ``venue_words``)."""
    place_words: dict[str, str] = field(default_factory=dict)
    """A one-word name of a city, region or country in any shipped language, or a city's
    German adjective, lowered -> the place's own name ("köln", "kölner" -> "Cologne";
    "frankreich" -> "France"): a name holding it names the same place in either language."""
    any_lower: re.Pattern[str] = re.compile(r"(?!)")
    any_cased: re.Pattern[str] = re.compile(r"(?!)")
    known_lower: dict[str, Entity | None] = field(default_factory=dict)
    known_cased: dict[str, Entity | None] = field(default_factory=dict)
    known_places: dict[str, tuple[str, bool] | None] = field(default_factory=dict)
    by_name: dict[str, Entity] = field(default_factory=dict)
    lower_gate: Gate | None = None
    """Word pieces of every match of ``any_lower`` (``pieces_gate``): a clause that holds
    none is not searched."""
    cased_gate: Gate | None = None
    """The same for ``any_cased``."""
    place_gate: Gate | None = None
    """The same for ``any_place``."""
    gates_by_word: dict[str, int] = field(default_factory=dict)
    """Per word of text seen, the three gates above it passes (``annotators.gazetteer_gates``)."""
    gates_of_words: tuple[Gate | None, ...] = ()
    """The three gates ``gates_by_word`` was worked out with."""
    demonym: re.Pattern[str] = re.compile(r"(?!)")
    """Any country adjective or demonym (lower case, whole): "Indian", "deutschen"."""
    parliament_of: dict[str, Entity] = field(default_factory=dict)
    """Country -> the chamber news means by its parliament or lawmakers: the one the
    gazetteer lists with that ``country``, else "<demonym> parliament"."""
    place_events: dict[tuple[str, str], Entity] = field(default_factory=dict)
    """(a city's own name, the lower-case rest of a recurring event's name after it) ->
    that event: ("Boston", "marathon") -> Boston Marathon, ("New York", "city marathon")
    -> New York City Marathon. News writes the kind's word of such a name in lower case
    ("the London marathon") or the city as its German adjective ("der Berliner
    Marathon") as often as the name itself (``annotators._events_of_places``)."""
    true_case: dict[str, str] = field(default_factory=dict)
    """Lower-case word -> its cased form, for the words of the names matched with their
    case (organisations, countries, regions, cities) of at least ``TRUE_CASE_MIN``
    letters: how a text without case ("grammys verschoben", "NASA POSTPONES LAUNCH")
    is given the case its known names have (``true_cased``)."""
    title_terms: dict[str, list[tuple[date, date | None, Entity]]] = field(default_factory=dict)
    """A title that names its one holder by itself ("Papst", "the Pope": ``bare_titles``)
    -> who held it from when until when (``holds`` in gazetteer.yaml): "Knieprobleme: Papst
    muss Reise absagen" names Pope Francis in June 2022 though the article never writes
    his name (``holder``)."""

    def holder(self, title: str, when: date | None) -> Entity | None:
        """The person who held ``title`` on ``when`` (None when no term covers it)."""
        if when is None:
            return None
        return next((who for start, end, who in self.title_terms.get(title, []) if start <= when and (end is None or when <= end)), None)


TRUE_CASE_MIN = 4
"""Shorter words of names ("US", "WHO", "Ufo") are common words in a text without case."""
_NAME_WORD = re.compile(r"[^\W\d_][\w'-]*")


def true_cased(text: str, table: dict[str, str]) -> str:
    """A text without case (all lower case or all capitals) with the case of the known
    names it holds, every other word in lower case: names are told by their capitals, so
    such a text would otherwise name nobody known (all lower case) or everybody (all
    capitals). A text with case is returned as it is."""
    if not (text.islower() or text.isupper()):
        return text
    return _NAME_WORD.sub(lambda m: table.get(m.group(0).lower(), m.group(0).lower()), text)


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _status_map(raw: dict[str, str]) -> dict[Status, Status | None]:
    return {Status(k): (None if v == "drop" else Status(v)) for k, v in raw.items()}


def _event_words(raw: dict[str, Any]) -> dict[str, list[str]]:
    """Per kind of event, the words that name one: its nouns (``event_types``), the
    verb phrases that name it by themselves (``event_verbs``: "eröffnet am", "lifted off",
    "mit großer Mehrheit abgelehnt"; ``event_results``: "beat ... 2-1";
    ``event_beginnings``: "opened on"; ``event_trips``: "will travel to"), where the
    event is only implied by what happens,
    and the names of the recurring events the gazetteer gives a kind (``named_events``:
    "Paris-Roubaix ist abgesagt worden" names a race as "das Rennen" would)."""
    words = {name: list(specs) + compound_heads(specs, raw.get("compound_heads")) for name, specs in raw["event_types"].items()}
    for key in ("event_verbs", "event_results", "event_beginnings", "event_trips"):
        for name, specs in (raw.get(key) or {}).items():
            words.setdefault(name, []).extend(specs)
    for name, specs in (raw.get("name_heads") or {}).items():
        words.setdefault(name, []).extend(lower(s) for s in specs)
    for name, names in named_events().items():
        own = compile_any(words.get(name, [])) if words.get(name) else None
        words.setdefault(name, []).extend(n for n in names if own is None or not own.search(lower(n)))
    return words


def _name_heads(raw: dict[str, Any]) -> dict[str, frozenset[str]]:
    """The lower-case forms of the ``name_heads``, each with the kinds it is the head of:
    words that name an event of a kind only as the capitalised last word of its name
    ("the French Open", "Expo 2020" aside), never in lower case ("remain open", "a fair
    deal")."""
    kinds: dict[str, set[str]] = {}
    for kind, specs in (raw.get("name_heads") or {}).items():
        for spec in specs:
            kinds.setdefault(lower(spec), set()).add(kind)
    return {word: frozenset(of) for word, of in kinds.items()}


@cache
def named_events() -> dict[str, list[str]]:
    """Per kind of event, the names (every alias) of the gazetteer's recurring events
    whose entry says which kind they are (``type``): a race, a fair or a festival known
    by its own name is named by that name alone, in any language (``_event_words``
    leaves out the names that hold a word of their kind already: "Boston Marathon").
    Only names that open with a rare word: the article gate looks for the first word
    of each event word in every text, inside words too, so a name opening with a city
    ("Berlin ..."), a number ("24 Hours ...") or a short acronym ("CES": "services")
    would let every article through."""
    raw = _load(DATA_DIR / "gazetteer.yaml")
    common = {w.lower() for meta in (raw.get("cities") or {}).values() for n in meta.get("names", []) for w in n.split()}
    common |= {w.lower() for name in (raw.get("cities") or {}) for w in name.split()}
    out: dict[str, list[str]] = {}
    for name, meta in (raw.get("organisations") or {}).items():
        if meta.get("kind") == "event" and meta.get("type"):
            out.setdefault(meta["type"], []).extend(n for n in dict.fromkeys([name, *meta.get("aliases", [])]) if _rare_opening(n, common))
    return out


NAMED_EVENT_MIN = 4
"""Letters at least in the first word of an event's name used as an event word."""


@cache
def named_acronyms() -> dict[str, str]:
    """The short names in capitals ("ITB", "CES", "MWC"; also the first word of a name
    whose rest is where it is held, "ITB" of "ITB Berlin" and "ITB China", not "NYC" of
    "NYC Marathon") of the gazetteer's recurring events whose entry gives their kind ->
    that kind. News names a fair or a congress by its acronym
    alone ("die ITB 2020 wird nicht stattfinden"); too short for the article
    gate's substring search (its letters lie inside common words: "services"), such a
    name is found whole and in capitals (``Document.of``, ``annotators.event_words``)."""
    raw = _load(DATA_DIR / "gazetteer.yaml")
    places = {n.lower() for name, meta in (raw.get("cities") or {}).items() for n in [name, *meta.get("names", [])]}
    places |= {n.lower() for name, aliases in _countries(raw).items() for n in [name, *aliases]}
    return {
        first: meta["type"]
        for name, meta in (raw.get("organisations") or {}).items()
        if meta.get("kind") == "event" and meta.get("type")
        for alias in dict.fromkeys([name, *meta.get("aliases", [])])
        if (first := alias.split()[0]).isalpha() and first.isupper() and len(first) < NAMED_EVENT_MIN and (first == alias or alias[len(first) :].strip().lower() in places)
    }
COMMON_OPENINGS = frozenset({"world", "new", "internationale", "international", "consumer", "mobile", "national", "european", "grand", "great", "royal"})
"""First words of names that open too many other names to say an event is named."""


def _rare_opening(name: str, cities: set[str]) -> bool:
    first = name.split()[0].lower()
    return len(first) >= NAMED_EVENT_MIN and not first[:1].isdigit() and first not in cities and first not in COMMON_OPENINGS


def compound_heads(specs: list[str], rule: dict[str, Any] | None) -> list[str]:
    """Suffix patterns for the nouns that end a compound of their kind (``compound_heads``
    in a lexicon): in German a compound names what its last noun names
    ("Flugbegleiterstreik" is a strike, "Eröffnungskonzert" a concert). Every one-word
    noun of at least ``min_length`` letters heads compounds, but for the ``not_heads``,
    whose letters end other words too ("vertagung", "trennen", "Beispiels"). Those of
    them in ``after_hyphen`` still head a compound written with a hyphen
    ("Straßenrad-Rennen", "Spitzen-Treffen"): there the head is a word of its own."""
    if not rule:
        return []
    shortest, excluded = int(rule.get("min_length", 6)), set(rule.get("not_heads", []))
    nouns = [s for s in specs if s[:1].isupper() and s.isalpha() and len(s) >= shortest and s not in excluded]
    hyphened = [s for s in specs if s in excluded and s in set(rule.get("after_hyphen", []))]
    return [f"*{noun}" for noun in nouns] + [f"*-{noun}" for noun in hyphened]


def _lexicon(raw: dict[str, Any]) -> Lexicon:
    raw = raw | {"event_types": _event_words(raw)}
    junk = raw.get("junk", {})
    block = [rf"re:^\s*{re.escape(lower(b))}\s*:?\s*$" for b in junk.get("block_start", [])]
    drops, weak, cancels = set(raw.get("negation_drops", [])), set(raw.get("weak_cues", [])), set(raw.get("negation_cancels", []))
    negations = compile_any(raw.get("negations", []))

    def cue(spec: str, status: str, kinds: frozenset[str]) -> Cue:
        return Cue(spec, Status(status), re.compile(pattern(spec)), kinds, spec in drops, spec in weak, spec in cancels, bool(negations.search(lower(spec))))

    cues = [cue(spec, status, frozenset()) for status, specs in raw["cues"].items() for spec in specs]
    cues += [replace(cue(spec, "planned", frozenset()), weak=True, dated=True) for spec in raw.get("dated_cues", [])]
    for kinds, by_status in (raw.get("type_cues") or {}).items():
        cues += [cue(spec, status, frozenset(kinds.split())) for status, specs in by_status.items() for spec in specs]
    # a kind's outcome words (a score, a winner, a turnout, a verdict) claim it was held
    for kinds, specs in (raw.get("outcomes") or {}).items():
        cues += [cue(spec, Status.TOOK_PLACE.value, frozenset(kinds.split())) for spec in specs]
    kinds = dict(raw["event_types"]) | ({NOT_EVENT: raw["not_events"]} if raw.get("not_events") else {})
    types = {name: compile_any(words) for name, words in kinds.items()}
    type_gates = {name: Gate.of(words) for name, words in kinds.items()}
    return Lexicon(
        language=raw["language"],
        stopwords=frozenset(raw.get("stopwords", [])),
        junk_block=TextRule.of(block),
        junk_line=TextRule.of(junk.get("line_regex", [])),
        dateline=TextRule.of([junk["dateline"]] if "dateline" in junk else [], cased=True),
        type_words=types,
        type_gates=type_gates,
        name_heads=frozenset(heads := _name_heads(raw)),
        name_head_kinds=heads,
        gate=Gate.of([w for words in raw["event_types"].values() for w in words]),
        cues=cues,
        cue_index=CueIndex.of(cues),
        floated=compile_any(raw.get("floated", [])),
        not_claims=compile_any(raw.get("not_claims", [])),
        not_claims_after=compile_any(raw.get("not_claims_after", [])),
        complementizers=compile_any(raw.get("complementizers", [])),
        conditions=compile_any(raw.get("conditions", [])),
        time_expressions=compile_any(raw.get("time_expressions", [])),
        in_passing=re.compile(r"(?:" + alternation(sources(raw.get("in_passing", []))) + r")\W+(?:(?:" + "|".join(map(re.escape, raw.get("determiners", []))) + r")\W+){0,2}$"),
        in_passing_named=re.compile(
            r"(?i:\b(?:" + "|".join(map(re.escape, raw.get("in_passing", []))) + r")\W+(?:(?:" + "|".join(map(re.escape, raw.get("determiners", []))) + r")\W+){0,2})(?:[A-Z][\w-]*\W+){1,2}$"
        ),
        in_passing_nouns=frozenset(raw.get("in_passing_nouns", [])),
        of_words=frozenset(lower(w) for w in raw.get("of_words", [])),
        past_markers=compile_any(raw.get("past_markers", [])),
        new_date=compile_any(raw.get("new_date", [])),
        old_date=compile_any(raw.get("old_date", [])),
        and_words=frozenset(lower(w) for w in (raw.get("names") or {}).get("sides", {}).get("and", [])),
        side_words=frozenset(lower(w) for key in ("and", "versus", "against") for w in (raw.get("names") or {}).get("sides", {}).get(key, [])),
        opponent_words=frozenset(lower(w) for key in ("versus", "against") for w in (raw.get("names") or {}).get("sides", {}).get(key, []))
        - frozenset(lower(w) for w in (raw.get("names") or {}).get("sides", {}).get("and", [])),
        clause_joins=re.compile(r"\b(?:" + "|".join(map(re.escape, raw.get("clause_joins", []))) + r")\b"),
        negations=compile_any(raw.get("negations", [])),
        determiner_words=frozenset(lower(w) for w in raw.get("determiners", [])),
        definite_words=frozenset(lower(w) for w in raw.get("definite_articles", [])),
        editions=_editions(raw.get("editions"), raw.get("definite_articles", [])),
        result_words={name: compile_any(specs) for name, specs in (raw.get("event_results") or {}).items()},
        beginning_words={name: compile_any(specs) for name, specs in (raw.get("event_beginnings") or {}).items()},
        trip_words={name: compile_any(specs) for name, specs in (raw.get("event_trips") or {}).items()},
        preposition_words=frozenset(lower(w) for w in raw.get("prepositions", [])),
        attributive_cues=compile_any(raw.get("attributive_cues", [])),
        negation_flip=_status_map(raw.get("negation_flip", {})),
        hedges=compile_any(raw.get("hedges", [])),
        hedge_adjectives=compile_any(raw.get("hedge_adjectives", [])),
        appositive=compile_any(raw.get("appositive", [])),
        background=compile_any(raw.get("background", [])),
        background_planned=compile_any(raw.get("background_planned", [])),
        later_than_planned=compile_any(raw.get("later_than_planned", [])),
        last_year=compile_any(raw["last_year"]) if raw.get("last_year") else re.compile(r"(?!)"),
        repeated=compile_any(raw["repeated"]) if raw.get("repeated") else re.compile(r"(?!)"),
        year_of=re.compile(r"\b(?:" + "|".join(re.escape(lower(w)) for w in raw["year_of"]) + r")\s+(?P<year>(?:19|20)\d\d)\b") if raw.get("year_of") else re.compile(r"(?!)"),
        affected=compile_any(raw["affected"]) if raw.get("affected") else re.compile(r"(?!)"),
        future_tense=compile_any(raw.get("future_tense", [])) if raw.get("future_tense") else re.compile(r"(?!)"),
        other_words=frozenset(lower(w) for w in raw.get("other_words", [])),
        beside_programme=compile_any(raw.get("beside_programme", [])) if raw.get("beside_programme") else re.compile(r"(?!)"),
        generic_words=_generic_words(raw.get("generic_words") or {}),
        absent=_before_end(raw.get("absent", []), r"(?:\s+[\w-]+){0,3}"),
        sequence_words=_before_end(raw.get("sequence_words", []), r"(?:\s+\S+){0,2}"),
        prospective=compile_any(raw.get("prospective", [])),
        dating_openers=compile_any(raw.get("dating_openers", [])),
        future_times=compile_any(raw.get("future_times", [])),
        counterfactual=compile_any(raw.get("counterfactual", [])),
        rescheduling=compile_any(raw.get("rescheduling", [])),
        attribution=[re.compile(pattern(p, cased=True)) for p in raw.get("attribution", [])],
        attribution_words=frozenset(lower(w) for w in raw.get("attribution_words", [])),
        reported_speech=compile_any(raw.get("reported_speech", [])),
        anaphors=TextRule.of(raw.get("anaphors", [])),
        event_anaphors=compile_any(raw.get("event_anaphors", [])),
        event_anaphor_gate=pieces_gate([compile_any(raw.get("event_anaphors", [])).pattern]),
        questions=compile_any(raw.get("questions", [])),
        presupposing=compile_any(raw.get("presupposing_questions", [])),
        apposition_starts=compile_any(raw.get("apposition_starts", [])) if raw.get("apposition_starts") else re.compile(r"(?!)"),
        subject_resumes=compile_any(raw.get("subject_resumes", [])) if raw.get("subject_resumes") else re.compile(r"(?!)"),
        dates=raw.get("dates", {}),
        kinds_by_literal=_kinds_by_literal(kinds, Gate.of([w for words in raw["event_types"].values() for w in words]).literals),
        acronyms=re.compile(rf"\b(?:{'|'.join(sorted(named_acronyms(), key=len, reverse=True))})\b") if named_acronyms() else re.compile(r"(?!)"),
        acronym_kinds=named_acronyms(),
        raw_kinds=frozenset(name for name, words in kinds.items() if name == NOT_EVENT or any(w.startswith("re:") for w in words)),
        kind_words=WordTable.of_gates(type_gates),
        names=_name_rules(
            raw.get("names"),
            [w for words in raw["event_types"].values() for w in words],
            raw.get("dates", {}).get("months", []),
            raw.get("dates", {}).get("weekdays", []),
            [w for kind, words in raw["event_types"].items() if kind in _named_kinds() for w in words],
        ),
    )


def _kinds_by_literal(kinds: dict[str, list[str]], literals: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """For each gate literal, the kinds one of whose first-word literals contains it."""
    out: dict[str, set[str]] = {lit: set() for lit in literals}
    for name, words in kinds.items():
        for lit in {first for w in words if (first := lower(w).split()[0].strip("*$")) and not w.startswith("re:")}:
            for kept in literals:
                if kept in lit:
                    out[kept].add(name)
    return {lit: frozenset(names) for lit, names in out.items()}


def _generic_words(raw: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """``Lexicon.generic_words`` from the data's kinds and their generic words."""
    found: dict[str, list[str]] = {}
    for kind, words in raw.items():
        for word in words:
            found.setdefault(lower(word), []).append(kind)
    return {word: tuple(kinds) for word, kinds in found.items()}


def _event_types(raw: dict[str, Any]) -> dict[str, EventType]:
    return {
        name: EventType(
            name=name,
            family=meta.get("family", name),
            rank=int(meta.get("rank", 50)),
            label=meta.get("label", name.replace("_", " ")),
            parent=meta.get("parent"),
            part_of=frozenset(meta.get("part_of", [])),
            participants=frozenset(meta.get("participants", [])),
            min_actors=int(meta.get("min_actors", 1)),
            bloc_hosts=bool(meta.get("bloc_hosts", False)),
            seats_speak=bool(meta.get("seats_speak", False)),
            envoys_speak=bool(meta.get("envoys_speak", False)),
            window_days=int(meta.get("window_days", 10)),
            place_actor=bool(meta.get("place_actor", False)),
            one_per_place=bool(meta.get("one_per_place", False)),
            hosted=bool(meta.get("hosted", False)),
            recurring=bool(meta.get("recurring", False)),
            editions=bool(meta.get("editions", False)),
            open_days=int(meta.get("open_days", 180)),
            object_named=bool(meta.get("object_named", False)),
            per_place=bool(meta.get("per_place", False)),
            one_subject=bool(meta.get("one_subject", False)),
            two_sides=bool(meta.get("two_sides", False)),
            per_name=bool(meta.get("per_name", False)),
            per_day=bool(meta.get("per_day", False)),
            destination_no_side=bool(meta.get("destination_no_side", False)),
            host_no_side=bool(meta.get("host_no_side", False)),
            programme=frozenset(meta.get("programme", [])),
        )
        for name, meta in raw["types"].items()
    }


def _countries(raw: dict[str, Any]) -> dict[str, list[str]]:
    """The gazetteer's countries and every other country in CLDR (Babel's data, shipped
    inside the package), under their English name, with their German and English names."""
    from babel import Locale

    countries = {name: list(aliases) for name, aliases in (raw.get("countries") or {}).items()}
    known = {lower(a) for name, aliases in countries.items() for a in aliases + [name]}
    skip = set(raw.get("country_names_skipped", []))
    english, german = Locale("en").territories, Locale("de").territories
    for code, name in english.items():
        if code.isdigit() or len(code) != 2 or name in skip or lower(name) in known:
            continue
        names = [n for n in (name, german.get(code, name)) if n not in skip and "(" not in n]
        countries.setdefault(name, []).extend(n for n in names if n != name)
        known.update(lower(n) for n in names)
    return countries


_PLURAL_S = re.compile(r"^[A-Z][a-z]+(?:an|i)$")


def _plurals(words: list[str]) -> list[str]:
    """The English plurals of demonyms that take an -s ("Italians", "Pakistanis"): the
    people of a country, as a side, are the country ("Italians will vote on Sunday");
    those in -ese, -ish and -ch take none ("the Chinese", "the French")."""
    return [w + "s" for w in words if _PLURAL_S.match(w) and w + "s" not in words]


def _genitives(names: list[str]) -> list[str]:
    """The German genitives in -s of names ("Frankreichs Präsident"): the name itself.
    Names in -s, -x, -z take none (an apostrophe)."""
    return [n + "s" for n in names if n[-1:].isalpha() and not n.endswith(("s", "x", "z"))]


def _city_adjectives(names: list[str]) -> list[str]:
    """The German adjectives of a city's one-word names in -er ("Kölner", "Wiener",
    "Pariser"): "in der Kölner Lanxess Arena" is in Cologne. Names that end in a vowel
    form theirs otherwise; irregular ones ("Münchner") are the city's ``adjectives``."""
    return [n + "er" for n in names if " " not in n and "-" not in n and n[-1:].isalpha() and n[-1].lower() not in "aeiouy"]


def _day(value: object) -> date | None:
    """A date of gazetteer.yaml (YAML reads ``2013-03-13`` as a date already)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


PLACE_WORD_MIN = 4
"""Shorter one-word names of places ("US", "UK") are abbreviations or common words."""


def _one_words(names: list[str], place: str) -> dict[str, str]:
    """``Gazetteer.place_words`` of one place: its names that are one capitalised word."""
    return {n.lower(): place for n in names if n.isalpha() and n[0].isupper() and len(n) >= PLACE_WORD_MIN and n != place}


def _gazetteer(raw: dict[str, Any]) -> Gazetteer:
    gaz = Gazetteer()
    people, cased, places = [], [], []
    country_names: list[str] = []
    for name, meta in (raw.get("people") or {}).items():
        ent = Entity(name, "person", meta.get("role"), bool(meta.get("participant", True)), meta.get("country"))
        people.append((sources(meta.get("aliases", []) + [name]), ent))
        for term in meta.get("holds", []):
            for title in term["titles"]:
                gaz.title_terms.setdefault(title, []).append((_day(term["from"]), _day(term.get("until")), ent))
    for name, meta in (raw.get("organisations") or {}).items():
        org = Entity(name, meta.get("kind", "org"), meta.get("kind"), country=meta.get("country"))
        cased.append((sources(meta.get("aliases", []) + [name], cased=True), org))
        if org.kind == "parliament" and org.country:
            gaz.parliament_of[org.country] = org
    countries = _countries(raw)
    for name, aliases in countries.items():
        genitives = _genitives(aliases + [name])  # "Frankreichs"
        cased.append((sources(aliases + [name] + genitives, cased=True), Entity(name, "country")))
        country_names += sources(aliases + [name], cased=True)
        gaz.place_words |= _one_words(aliases + genitives, name)
    for name, meta in (raw.get("cities") or {}).items():
        names = meta.get("names", []) + [name]
        adjectives = _city_adjectives(names) + meta.get("adjectives", [])
        places.append((sources(names + adjectives, cased=True), name, True))
        gaz.city_adjectives |= frozenset(adjectives)
        gaz.place_words |= _one_words(names + adjectives, name)
        gaz.country_of[name] = meta.get("country", "")
        if meta.get("in"):
            gaz.within[name] = meta["in"]
    for name, aliases in (raw.get("regions") or {}).items():
        cased.append((sources(aliases + [name], cased=True), Entity(name, "region")))
        gaz.place_words |= _one_words(aliases, name)
    demonyms = []
    for name, words in (raw.get("demonyms") or {}).items():
        english = next((w for w in words if w[:1].isupper() and not w.endswith("s")), None)
        if name not in gaz.parliament_of and english:
            gaz.parliament_of[name] = Entity(f"{english} parliament", "parliament", "parliament", country=name)
        words = words + _plurals(words)
        people.append((sources(words), Entity(name, "country")))
        demonyms += sources(words)
    gaz.venue_words = frozenset(w.lower() for w in raw.get("venue_words") or [])
    gaz.seats = frozenset(raw.get("seats_of_government") or [])
    gaz.demonym = re.compile(alternation(sorted(demonyms, key=len, reverse=True)))
    gaz.people = [(re.compile(alternation(parts)), ent) for parts, ent in people]
    gaz.cased = [(re.compile(alternation(parts)), ent) for parts, ent in cased]
    gaz.entities = gaz.people + gaz.cased
    for _, ent in reversed(gaz.entities):
        gaz.by_name[ent.name] = ent
    gaz.place_events = _place_events(raw, gaz.by_name)
    gaz.places = [(re.compile(alternation(parts)), name, is_city) for parts, name, is_city in places]
    gaz.any_place = re.compile(alternation([p for parts, _, _ in places for p in parts]))
    any_country = alternation(sorted(set(country_names), key=len, reverse=True))
    before = alternation(sources(raw.get("country_place_before") or ["in"], cased=True))
    articles = alternation(sources(raw.get("country_articles") or ["the"], cased=True))
    gaz.country_after_in = re.compile(rf"(?:{before})\s+(?:(?:{articles})\s+)?(?P<name>{any_country})")
    gaz.any_lower = re.compile(alternation([p for parts, _ in people for p in parts]))
    gaz.any_cased = re.compile(alternation([p for parts, _ in cased for p in parts]))
    gaz.lower_gate = pieces_gate([p for parts, _ in people for p in parts])
    gaz.cased_gate = pieces_gate([p for parts, _ in cased for p in parts])
    gaz.place_gate = pieces_gate([p for parts, _, _ in places for p in parts])
    cased_names = [n for name, meta in (raw.get("organisations") or {}).items() for n in meta.get("aliases", []) + [name]]
    cased_names += [n for name, aliases in countries.items() for n in aliases + [name]]
    cased_names += [n for name, aliases in (raw.get("regions") or {}).items() for n in aliases + [name]]
    cased_names += [n for name, meta in (raw.get("cities") or {}).items() for n in meta.get("names", []) + [name]]
    words = (w for name in cased_names for w in _NAME_WORD.findall(normalise(name)))
    gaz.true_case = {w.lower(): w for w in words if len(w) >= TRUE_CASE_MIN and not w.islower()}
    return gaz


_NAME_PARTS = re.compile(r"[\s-]+")


def _place_events(raw: dict[str, Any], by_name: dict[str, Entity]) -> dict[tuple[str, str], Entity]:
    """``Gazetteer.place_events``: every alias of a recurring event (``kind: event``) that
    opens with the name of a city the gazetteer holds, keyed by that city and the rest of
    the alias in lower case ("Tokio-Marathon" -> ("Tokyo", "marathon"))."""
    cities = {n.lower(): name for name, meta in (raw.get("cities") or {}).items() for n in meta.get("names", []) + [name]}
    out: dict[tuple[str, str], Entity] = {}
    for name, meta in (raw.get("organisations") or {}).items():
        if meta.get("kind") != "event" or (event := by_name.get(name)) is None:
            continue
        for alias in dict.fromkeys([name, *meta.get("aliases", [])]):
            words = _NAME_PARTS.split(alias)
            for cut in range(1, len(words)):
                if (city := cities.get(" ".join(words[:cut]).lower())) is not None:
                    out.setdefault((city, " ".join(words[cut:]).lower()), event)
    return out


@cache
def lexicons() -> dict[str, Lexicon]:
    """Every shipped language, keyed by its code (each ``lexicons/*.yaml`` file)."""
    return {lex.language: lex for lex in (_lexicon(_load(p)) for p in sorted((DATA_DIR / "lexicons").glob("*.yaml")))}


@cache
def event_types() -> dict[str, EventType]:
    """The event types of ``types.yaml``."""
    return _event_types(_load(DATA_DIR / "types.yaml"))


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer of ``gazetteer.yaml``."""
    return _gazetteer(_load(DATA_DIR / "gazetteer.yaml"))
