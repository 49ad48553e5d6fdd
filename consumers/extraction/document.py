"""One article as the extractor sees it: built once, then annotated layer by layer.

``Document.of(article)`` picks the article's lexicon, lower-cases the text once, cuts it
into paragraphs and sentences (each sentence into clauses with their cased and lower
case forms, on first use), and notes which sentences may name an event at all. The
annotators (``annotators.py``) then add spans to single sentences on demand: event
words, status cues, participants, places, the source of a claim. Each layer of a
sentence is computed at most once and read by every rule that needs it; no rule
re-splits or re-lowers text.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import replace
from datetime import date

from consumers.extraction import annotators, names
from consumers.extraction.annotators import CueHit, EntityHit, TypeHit
from consumers.extraction.lexicon import Gate, GateSet, Gazetteer, Lexicon, gazetteer, lexicons, lower
from consumers.extraction.text import Sentence, junk_gates, memo, split_article
from schemas import Article

WINDOW = 2
"""Sentences either side searched for missing participants or a referent."""


class OverBudget(Exception):
    """Extraction of one article ran past its time budget."""


def language_of(article: Article) -> Lexicon:
    """The article's lexicon: its language tag, else the language whose stopwords win."""
    lexs = lexicons()
    tag = (article.language or "").lower()[:2]
    if tag in lexs:
        return lexs[tag]
    words = re.findall(r"\w+", article.text[:2000].lower())
    return max(lexs.values(), key=lambda lex: sum(w in lex.stopwords for w in words))


class Document:
    """An article's sentences and the annotation layers worked out for them so far.

    ``admitted`` are the sentences that may hold an event word (over-inclusive, from
    substring tests), ``typed`` those that do.
    """

    def __init__(
        self,
        lex: Lexicon,
        gaz: Gazetteer,
        sents: list[Sentence],
        admitted: list[int],
        published: date | None,
        deadline: float | None = None,
        kinds: tuple[str, ...] | None = None,
        text: str = "",
        generic_anaphors: bool = True,
        title: str = "",
    ) -> None:
        self.lex, self.gaz, self.sents, self.published = lex, gaz, sents, published
        self.kinds = tuple(lex.type_words) if kinds is None else kinds
        """The kinds of event (and ``not_events``) whose words the article may hold at all."""
        self.deadline = deadline
        self.generic_anaphors = generic_anaphors
        self.title = title
        """The article's headline, as published."""
        """Whether the article may hold a definite generic event noun (``event_anaphors``)."""
        self._admitted = set(admitted)
        self._types: dict[int, list[TypeHit]] = {}
        self._cues: dict[int, list[CueHit]] = {}
        self._entities: dict[int, list[EntityHit]] = {}
        self._sources: dict[int, tuple[str | None, int | None, tuple[int, int] | None]] = {}
        self._places: dict[int, list[list[annotators.PlaceHit]]] = {}
        self._capitalised: dict[str, bool] = {}
        """Sentence-initial words the article also writes with a capital inside a sentence."""
        self.typed = [i for i in admitted if self.types(i)]
        self._typed = set(self.typed)
        self.aliases = names.Aliases(
            first_names=lex.names.first_names if lex.names else frozenset(),
            text=text,
            place_run=lex.names.place_run if lex.names else None,
            not_names=lex.names.not_names if lex.names else frozenset(),
            holders=lambda title: gaz.holder(title, published),
        )
        """Names resolved within the article ("Witkoff" -> "Steve Witkoff")."""

    @classmethod
    def of(cls, article: Article, deadline: float | None = None) -> Document | None:
        """The article's document, or None when no sentence can name an event."""
        lex = language_of(article)
        low = lower(article.text)
        everything = low + "\n" + lower(article.title or "")
        held, raw_held, anaphors, *pieces = _article_gates(lex).found(everything)
        gate = lex.gate.narrowed(held, everything, raw_held)
        acronyms = _acronym_kinds(lex, article)
        if gate is None and not acronyms:
            return None
        sents, paragraphs = split_article(article.title, article.text, list(lexicons().values()), low, pieces=set().union(*pieces))
        published = article.event_time.date() if article.event_time else None
        kinds = tuple(dict.fromkeys((*(lex.kinds_in(gate) if gate is not None else ()), *acronyms)))
        generic = lex.event_anaphor_gate is None or bool(anaphors)
        admitted = _admitted(gate, sents, paragraphs) if gate is not None else []
        if acronyms:  # a sentence naming an event by its acronym alone ("die ITB 2020 wird nicht stattfinden")
            admitted = sorted(set(admitted) | {s.index for s in sents if lex.acronyms.search(s.text)})
        return cls(lex, gazetteer(), sents, admitted, published, deadline, kinds, article.text, generic, article.title or "")

    def check_budget(self) -> None:
        """Raise ``OverBudget`` once the article's time budget is spent."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise OverBudget

    def claim_sentences(self) -> list[int]:
        """Sentences that can make a claim: those with an event word and a cue, and
        those with a cue and an anaphor that lie near an event word (an anaphor refers
        at most ``WINDOW`` sentences away)."""
        after = {j for i in self.typed for j in range(i + 1, i + WINDOW + 1)}
        before = {j for j in range(WINDOW) if self._typed.intersection(range(j + 1, j + WINDOW + 1))}
        near = [j for j in after | before if j < len(self.sents) and j not in self._typed and self._anaphoric(j)]
        main = self.main_event_sentence()
        generic = self.generic_anaphors
        far = [] if main is None else [s.index for s in self.sents if s.index not in self._typed and (s.in_lead or (generic and self.lex.event_anaphors.search(s.low))) and self._anaphoric(s.index)]
        affected = [i for i in self.typed if i > 0 and self.lex.affected.search(self.sents[i].low)]
        return sorted({i for i in self.typed + near + far if self.cues(i)} | set(affected))

    def _anaphoric(self, i: int) -> bool:
        generic = self.generic_anaphors
        return any(self.lex.anaphors.search(c) or (generic and self.lex.event_anaphors.search(c)) for c in self.sents[i].norm)

    def main_event_sentence(self) -> int | None:
        """The first lead sentence that names an event: the article's main event, which
        an anaphor in the lead ("It was called off.") or a definite generic event noun
        anywhere ("Die Veranstaltung wurde abgesagt") refers to when no event was named
        just before."""
        return next((i for i in self.typed if self.sents[i].in_lead), None)

    def is_typed(self, i: int) -> bool:
        return i in self._typed

    def types(self, i: int) -> list[TypeHit]:
        """The event words of sentence ``i``, the longest where they overlap."""
        found = self._types.get(i)
        if found is None:  # each layer of a sentence once per article (no closure made on the many calls after)
            s = self.sents[i]
            found = self._types[i] = _TYPES.get((self.lex.language, self.kinds, s.text), annotators.event_words, self.lex, s, self.kinds)
        return found

    def cues(self, i: int) -> list[CueHit]:
        """The status cues of sentence ``i``, with their modality and negation read."""
        found = self._cues.get(i)
        if found is None:
            s = self.sents[i]
            found = self._cues[i] = _CUES.get((self.lex.language, s.text), annotators.status_cues, self.lex, s)
        return found

    def entities(self, i: int) -> list[EntityHit]:
        """Participants named in sentence ``i``: gazetteer names, then open-vocabulary ones."""
        found = self._entities.get(i)
        if found is None:
            found = self._entities[i] = annotators.entities(self._named(i), self.aliases)
        return found

    def _named(self, i: int) -> list[EntityHit | tuple[int, names.Name]]:
        """The names of sentence ``i`` (a function of its text, kept per process), and in
        English its first word when the article writes that word as a name elsewhere."""
        s = self.sents[i]
        found = _NAMED.get((self.lex.language, s.text), self._named_in, i)
        first = names.first_word(self.lex, s.cased[0]) if self.lex.language == "en" and s.cased else None
        if first is None or any((h.clause, h.start) == (0, 0) if isinstance(h, EntityHit) else (h[0], h[1].start) == (0, 0) for h in found):
            return found
        if any(p.start == 0 and p.end > first.end for p in self.places(i)[0]):
            return found  # the first word only begins a known place's name ("New York gears up ..."): no name of its own
        if first.text in self.lex.names.first_names:
            return [(0, replace(first, kind="person")), *found]  # a known first name opening a sentence is a person's ("Charles and Camilla were due to ...")
        if first.text not in self._capitalised:
            self._capitalised[first.text] = names.capitalised_inside(first.text, self.aliases.cased()) or (not first.text.isupper() and names.name_en(first.text))  # a dateline's capitals ("TOKYO (AFP) -") name a place
        return [(0, first), *found] if self._capitalised[first.text] else found

    def _named_in(self, i: int) -> list[EntityHit | tuple[int, names.Name]]:
        return annotators.named(self.lex, self.gaz, self.sents[i], self.places(i))

    def places(self, i: int) -> list[list[annotators.PlaceHit]]:
        """Known places named in each clause of sentence ``i``."""
        found = self._places.get(i)
        if found is None:
            s = self.sents[i]
            found = self._places[i] = _PLACES.get(s.text, annotators.places, self.gaz, s)
        return found

    def named(self, i: int) -> bool:
        """Whether sentence ``i`` names anyone: a frame without names lends none."""
        return 0 <= i < len(self.sents) and bool(self.entities(i))

    def attribution(self, i: int) -> tuple[str | None, int | None, tuple[int, int] | None]:
        """Who sentence ``i`` says makes its claim, in which clause, and where there."""
        found = self._sources.get(i)
        if found is None:
            s = self.sents[i]
            found = self._sources[i] = _SOURCES.get((self.lex.language, s.text), annotators.attribution, self.lex, self.gaz, s)
        return found

    def source_spans(self, i: int) -> tuple[tuple[int, int, int], ...]:
        """Where each clause of sentence ``i`` names who makes a claim (clause, start, end)."""
        s = self.sents[i]
        return _SPANS.get((self.lex.language, s.text), annotators.source_spans, self.lex, s)

    def source(self, i: int) -> str | None:
        """Who sentence ``i`` names as making its claim, if it is one a claim could
        lean on: one that may name an event or that shares a word with a status cue."""
        s = self.sents[i]
        if i in self._sources or i in self._admitted or self.lex.cue_index.candidates(" ".join(s.norm), first_word_only=True):
            return self.attribution(i)[0]
        return None


_TYPES, _CUES, _PLACES, _NAMED, _SOURCES, _SPANS = (memo() for _ in range(6))
"""Annotation layers that depend on a sentence's text alone (with the language and, for
event words, the kinds the article may hold), kept per process (``text.Memo``)."""


_ARTICLE_GATES: dict[str, GateSet] = {}


def _article_gates(lex: Lexicon) -> GateSet:
    """What ``Document.of`` asks of an article's words, in one pass: the literals of the
    language's gate and the opening words of its raw regexes (``RawSearch.opening``), the
    generic event nouns' pieces (``Lexicon.event_anaphor_gate``), and the junk rules'
    pieces (``text.junk_gates``)."""
    found = _ARTICLE_GATES.get(lex.language)
    if found is None:
        raw = lex.gate.raw.opening if lex.gate.raw is not None else Gate(())
        anaphors = lex.event_anaphor_gate or Gate(())
        found = _ARTICLE_GATES[lex.language] = GateSet((lex.gate, raw, anaphors, *junk_gates(list(lexicons().values()))))
    return found


def _acronym_kinds(lex: Lexicon, article: Article) -> tuple[str, ...]:
    """The kinds of the events an article names by their acronym (``Lexicon.acronyms``):
    a few substring searches of its text and title (C speed), then the whole words of the
    acronyms found, as the article gate cannot hold them."""
    texts = (article.text, article.title or "")
    if not any(acronym in text for acronym in lex.acronym_kinds for text in texts):
        return ()
    found = {lex.acronym_kinds[m.group(0)] for text in texts for m in lex.acronyms.finditer(text)}
    return tuple(sorted(found))


def _admitted(gate: Gate, sents: list[Sentence], paragraphs: list[str]) -> list[int]:
    """Sentences that may name an event: paragraphs first, against the literals the
    whole article holds, then the sentences of those that may, against the literals
    their paragraph holds (a paragraph of one sentence needs no second test)."""
    gates = [gate.held_in(p_low) for p_low in paragraphs]
    sizes = Counter(s.paragraph for s in sents)
    return [s.index for s in sents if (held := gates[s.paragraph]) is not None and (sizes[s.paragraph] == 1 or Gate.held_admits(held, s.low))]
