"""Event mentions from one article: the pure core of the extract stage.

Cheap first: substring searches for the literals of the language's event words decide
whether an article can name an event at all, then which paragraphs and sentences can.
Only those sentences are split into clauses and matched exactly; cues, names, sources
and frames are worked out on demand (``Context``) for the sentences a claim needs: its
own, the anaphoric ones just after an event word, and the neighbours or farther
sentences that lend it participants, a place or a source.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TypeVar

from consumers.extraction.lexicon import Cue, Entity, EventType, Gazetteer, Lexicon, event_types, gazetteer, lexicons, lower
from consumers.extraction.resolve import EntityHit, Hit, attribution, entity_hits, event_date, place_in
from consumers.extraction.text import Sentence, split_article
from schemas import Article, EventMention, Status

WINDOW = 2
"""Sentences either side searched for missing participants or a referent."""
_FAR = 10_000


@dataclass(frozen=True)
class TypeHit(Hit):
    type: str


@dataclass(frozen=True)
class CueHit(Hit):
    cue: Cue


@dataclass
class Analysis:
    """What one candidate sentence holds."""

    sentence: Sentence
    types: list[TypeHit]
    cues: list[CueHit]
    entities: list[EntityHit]
    source: str | None
    source_clause: int | None


@dataclass
class Frame:
    """An event named in a sentence (with or without a status): what anaphora refer to."""

    sentence: int
    type: str
    actors: list[str]
    location: str | None
    took_place: bool | None


@dataclass
class Draft:
    """A mention under construction; becomes an EventMention when complete."""

    frame: Frame
    status: Status
    cue: str
    evidence: str
    negated: bool = False
    modality: str | None = None
    attributed_to: str | None = None
    background: bool = False
    in_lead: bool = False
    event_date: date | None = None
    confidence: float = 0.8
    notes: list[str] = field(default_factory=list)


def language_of(article: Article) -> Lexicon:
    """The article's lexicon: its language tag, else the language whose stopwords win."""
    lexs = lexicons()
    tag = (article.language or "").lower()[:2]
    if tag in lexs:
        return lexs[tag]
    words = re.findall(r"\w+", article.text[:2000].lower())
    return max(lexs.values(), key=lambda lex: sum(w in lex.stopwords for w in words))


def extract_events(article: Article) -> list[EventMention]:
    """The scheduled events an article reports, each with the status it claims (pure)."""
    lex = language_of(article)
    low = lower(article.text)
    if not (lex.gate.admits(low) or lex.gate.admits(lower(article.title or ""))):
        return []
    sents, paragraphs = split_article(article.title, article.text, list(lexicons().values()), low)
    ctx = Context(lex, gazetteer(), sents, _admitted(lex, sents, paragraphs))
    published = article.event_time.date() if article.event_time else None
    drafts = [d for i in ctx.claim_sentences() for d in _drafts(ctx, ctx.analysis(i), published)]
    complete = [_complete(d, ctx) for d in drafts]
    return _unique([_mention(d) for d in complete if d is not None])


def _admitted(lex: Lexicon, sents: list[Sentence], paragraphs: list[str]) -> list[int]:
    """Sentences that may name an event: paragraphs first, then the sentences of those
    that may, against the literals their paragraph holds (a paragraph of one sentence
    needs no second test)."""
    gates = [lex.gate.within(p_low) for p_low in paragraphs]
    sizes = Counter(s.paragraph for s in sents)
    return [s.index for s in sents if (gate := gates[s.paragraph]) is not None and (sizes[s.paragraph] == 1 or gate.admits(s.low))]


class Context:
    """One article's sentences and what has been worked out about them, on demand.

    ``admitted`` are the sentences that may hold an event word (over-inclusive),
    ``typed`` those that do; analyses, frames and names are computed the first time a
    rule asks for them, and kept.
    """

    def __init__(self, lex: Lexicon, gaz: Gazetteer, sents: list[Sentence], admitted: list[int]) -> None:
        self.lex, self.gaz, self.sents = lex, gaz, sents
        self._admitted = set(admitted)
        self._types: dict[int, list[TypeHit]] = {}
        self._cues: dict[int, list[CueHit]] = {}
        self._entities: dict[int, list[EntityHit]] = {}
        self._analyses: dict[int, Analysis] = {}
        self._frames: dict[int, list[Frame]] = {}
        self.typed = [i for i in admitted if self.types(i)]
        self._typed = set(self.typed)

    def claim_sentences(self) -> list[int]:
        """Sentences that can make a claim: those with an event word and a cue, and
        those with a cue and an anaphor that lie near an event word (an anaphor refers
        at most ``WINDOW`` sentences away)."""
        after = {j for i in self.typed for j in range(i + 1, i + WINDOW + 1)}
        before = {j for j in range(WINDOW) if self._typed.intersection(range(j + 1, j + WINDOW + 1))}
        near = [j for j in after | before if j < len(self.sents) and j not in self._typed and self._anaphoric(j)]
        return sorted(i for i in self.typed + near if self.cues(i))

    def _anaphoric(self, i: int) -> bool:
        return any(self.lex.anaphors.search(c) for c in self.sents[i].norm)

    def types(self, i: int) -> list[TypeHit]:
        """The event words of sentence ``i``, the longest where they overlap."""
        return _once(self._types, i, lambda: _type_hits(self.lex, self.sents[i]))

    def cues(self, i: int) -> list[CueHit]:
        return _once(self._cues, i, lambda: _cue_hits(self.lex, self.sents[i]))

    def entities(self, i: int) -> list[EntityHit]:
        return _once(self._entities, i, lambda: entity_hits(self.gaz, self.sents[i].cased))

    def analysis(self, i: int) -> Analysis:
        return _once(self._analyses, i, lambda: _analyse(self.lex, self.gaz, self.sents[i], self.types(i), self.cues(i), self.entities(i)))

    def frames(self, i: int) -> list[Frame]:
        """The event words of sentence ``i`` as frames; none outside the article."""
        if i not in self._typed:
            return []
        return _once(self._frames, i, lambda: _frames(self.analysis(i)))

    def named(self, i: int) -> bool:
        """Whether sentence ``i`` names anyone: a frame without names lends none."""
        return 0 <= i < len(self.sents) and bool(self.entities(i))

    def source(self, i: int) -> str | None:
        """Who sentence ``i`` names as making its claim, if it is one a claim could
        lean on: one that may name an event or that shares a word with a status cue."""
        s = self.sents[i]
        if i in self._analyses or i in self._admitted or self.lex.cue_index.candidates(" ".join(s.norm), first_word_only=True):
            return self.analysis(i).source
        return None


def _spans(hits: list, nested: bool = False) -> list:
    """Longest hit wins where hits overlap (a phrase beats the word inside it).

    With ``nested``, a hit lying strictly inside a longer one is kept: it sits in the
    gap of a split verb ("haben zur Vorbereitung ... telefoniert") and is a cue itself.
    """
    kept: list = []
    for hit in sorted(hits, key=lambda h: (h.clause, -(h.end - h.start), h.start)):
        clash = [k for k in kept if k.clause == hit.clause and k.start < hit.end and hit.start < k.end]
        if not clash or (nested and all(k.start < hit.start and hit.end < k.end for k in clash)):
            kept.append(hit)
    return sorted(kept, key=lambda h: (h.clause, h.start))


T = TypeVar("T")


def _once(table: dict[int, T], i: int, compute: Callable[[], T]) -> T:
    if i not in table:
        table[i] = compute()
    return table[i]


def _type_hits(lex: Lexicon, s: Sentence) -> list[TypeHit]:
    clauses = [(ci, c) for ci, c in enumerate(s.norm) if lex.any_type.search(c)]
    hits = [TypeHit(ci, m.start(), m.end(), name) for name, rx in lex.type_words.items() for ci, c in clauses if lex.type_gates[name].admits(c) for m in rx.finditer(c)]
    return _spans(hits)


def _cue_hits(lex: Lexicon, s: Sentence) -> list[CueHit]:
    hits = [CueHit(ci, m.start(), m.end(), cue) for ci, c in enumerate(s.norm) for cue in lex.cue_index.candidates(c) for m in cue.regex.finditer(c)]
    return _spans(hits, nested=True)


def _analyse(lex: Lexicon, gaz: Gazetteer, s: Sentence, types: list[TypeHit], cues: list[CueHit], entities: list[EntityHit]) -> Analysis:
    source, source_clause = attribution(lex, gaz, s.cased)
    return Analysis(s, types, cues, entities, source, source_clause)


def _distance(a: Hit, b: Hit) -> int:
    """Closeness of two spans, measured at whichever ends are nearer; clauses apart are far."""
    return abs(a.clause - b.clause) * 1000 + min(abs(a.start - b.start), abs(a.end - b.end))


def eligible(entity: Entity, etype: EventType) -> bool:
    """May this entity take part in this kind of event (types.yaml ``participants``)?"""
    if entity.kind == "person":
        return entity.participant and (not etype.participants or entity.role in etype.participants)
    return entity.kind in etype.participants


def _frames(a: Analysis) -> list[Frame]:
    """One frame per event word: its participants and place, for mentions and anaphora."""
    types = event_types()
    actors: dict[int, list[str]] = {i: [] for i in range(len(a.types))}
    for ent in a.entities:
        if ent.clause == a.source_clause:
            continue
        options = [(i, t) for i, t in enumerate(a.types) if eligible(ent.entity, types[t.type])]
        if options:
            i, _ = min(options, key=lambda o: _distance(o[1], ent))
            if ent.entity.name not in actors[i]:
                actors[i].append(ent.entity.name)
    actors = {i: sorted(set(names)) for i, names in actors.items()}
    frames = []
    for i, hit in enumerate(a.types):
        etype = types[hit.type]
        found = _bloc_host(a, hit) if etype.bloc_hosts else None
        names = [found] if found else actors[i]
        if not names:
            names = _countries(a, hit, etype)
        cue = _cue_for(a, hit)
        frames.append(Frame(a.sentence.index, hit.type, names, _place(a, hit, cue), None if cue is None else cue.cue.status == Status.TOOK_PLACE))
    return frames


def _bloc_host(a: Analysis, hit: TypeHit) -> str | None:
    """A bloc named right by a summit word ("EU-Gipfel", "summit of the EU") hosts it."""
    for ent in a.entities:
        if ent.entity.kind == "bloc" and ent.clause == hit.clause and -3 <= ent.start - hit.end <= 70 or (ent.entity.kind == "bloc" and ent.clause == hit.clause and 0 <= hit.start - ent.end <= 2):
            return ent.entity.name
    return None


def _countries(a: Analysis, hit: TypeHit, etype: EventType) -> list[str]:
    """Countries as participants, only when they alone name enough sides."""
    if etype.participants:
        return []
    names = sorted({e.entity.name for e in a.entities if e.entity.kind == "country" and e.clause == hit.clause})
    return names if len(names) >= max(2, etype.min_actors) else []


def _cue_for(a: Analysis, hit: TypeHit) -> CueHit | None:
    """The status cue of an event word: nearest in its clause, else in a clause of its own."""
    same = [c for c in a.cues if c.clause == hit.clause]
    typed = {t.clause for t in a.types}
    other = [c for c in a.cues if c.clause not in typed]
    pool = same or other
    return min(pool, key=lambda c: _distance(c, hit)) if pool else None


def _place(a: Analysis, hit: TypeHit, cue: CueHit | None) -> str | None:
    gaz = gazetteer()
    typed = {t.clause for t in a.types}
    order = [hit.clause] + ([cue.clause] if cue and cue.clause not in typed else [])
    order += [i for i, c in enumerate(a.sentence.norm) if i not in typed and i != a.source_clause and i not in order and len(c.split()) <= 3]
    for ci in order:
        taken = [(e.start, e.end) for e in a.entities if e.clause == ci and e.entity.kind not in ("person", "country")]
        place = place_in(gaz, a.sentence.cased[ci], taken)
        if place and _nearest_type(a, ci, place[1]) in (None, hit):
            return place[0]
    return None


def _nearest_type(a: Analysis, clause: int, start: int) -> TypeHit | None:
    """The event word of a clause closest to a position: a place belongs to that event."""
    here = [t for t in a.types if t.clause == clause]
    return min(here, key=lambda t: min(abs(t.start - start), abs(t.end - start))) if here else None


def _drafts(ctx: Context, a: Analysis, published: date | None) -> list[Draft]:
    """Status claims of one sentence: one per event word with a cue, or one anaphoric."""
    out = []
    lex = ctx.lex
    for hit, frame in zip(a.types, ctx.frames(a.sentence.index), strict=True):
        cue = _cue_for(a, hit)
        if cue is not None:
            out += _claim(ctx, a, frame, cue, {hit.clause, cue.clause}, published)
    if not a.types and a.cues:
        cue = a.cues[0]
        if lex.anaphors.search(a.sentence.norm[0]) or lex.anaphors.search(a.sentence.norm[cue.clause]):
            frame = _referent(a.sentence.index, ctx)
            if frame is not None:
                out += [replace(d, confidence=round(d.confidence * 0.9, 3)) for d in _claim(ctx, a, frame, cue, {cue.clause}, published)]
    return out


def _referent(index: int, ctx: Context) -> Frame | None:
    """The event an anaphoric sentence ("Dies sei ... geplant") refers to."""
    before = [f for i in range(index - 1, index - WINDOW - 1, -1) if i >= 0 for f in reversed(ctx.frames(i))]
    after = [f for i in range(index + 1, index + WINDOW + 1) if i < len(ctx.sents) for f in ctx.frames(i)] if index < WINDOW else []
    return (before or after or [None])[0]


def _claim(ctx: Context, a: Analysis, frame: Frame, cue: CueHit, clauses: set[int], published: date | None) -> list[Draft]:
    lex = ctx.lex
    s = a.sentence
    text = " ".join(s.norm[c] for c in sorted(clauses))
    if lex.floated.search(text):
        return []
    status: Status | None = cue.cue.status
    before = s.norm[cue.clause][max(0, cue.start - 25) : cue.start]
    negated = bool(lex.negations.search(before)) and not lex.negations.search(s.norm[cue.clause][cue.start : cue.end])
    if negated:
        status = lex.negation_flip.get(cue.cue.status, cue.cue.status)
        if status is None:
            return []
    hedge = lex.hedges.search(text)
    modality = "question" if lex.questions.search(s.norm[-1]) else (hedge.group(0).lower() if hedge else None)
    typed = {t.clause for t in a.types}
    context = text + " " + " ".join(c for i, c in enumerate(s.norm) if i not in typed)
    background = bool(lex.background.search(context)) or any(bool(lex.background.search(s.norm[i])) for i in clauses)
    past = background or status == Status.TOOK_PLACE
    when = next((d for i in sorted(clauses) if (d := event_date(lex, s.norm[i], published, past))), None)
    confidence = (0.8 + (0.15 if s.in_lead else 0.0)) * (0.3 if modality == "question" else 0.4 if modality else 1.0)
    return [Draft(frame, status, s.norm[cue.clause][cue.start : cue.end], s.text, negated, modality, _source(ctx, a, text), background, s.in_lead, when, round(confidence, 3))]


def _source(ctx: Context, a: Analysis, text: str) -> str | None:
    """Who claims it: named in the sentence, else (Konjunktiv I) in one just before."""
    if a.source:
        return a.source
    if ctx.lex.reported_speech.search(text):
        for i in range(a.sentence.index - 1, a.sentence.index - WINDOW - 1, -1):
            if i >= 0 and (source := ctx.source(i)):
                return source
    return None


def _complete(d: Draft, ctx: Context) -> Draft | None:
    """Fill missing participants and place from the context; None if still incomplete."""
    etype = event_types()[d.frame.type]
    frame = replace(d.frame, actors=list(d.frame.actors))
    wider = _wider_frame(frame, etype, ctx)
    if wider:
        frame.actors = wider
    elif len(frame.actors) < etype.min_actors:
        frame.actors = _inherit_actors(frame, etype, ctx)
        d.confidence = round(d.confidence * 0.9, 3)
    if len(frame.actors) < etype.min_actors:
        return None
    if frame.location is None:
        frame.location = _inherit_place(frame, d.status, ctx)
    return replace(d, frame=frame)


def _nearby(index: int, limit: int) -> list[int]:
    return [j for k in range(1, limit + 1) for j in (index - k, index + k) if j >= 0]


def _wider_frame(frame: Frame, etype: EventType, ctx: Context) -> list[str] | None:
    """Participants of a nearby frame of the same family that names more of them."""
    family = etype.family
    for j in [frame.sentence] + _nearby(frame.sentence, WINDOW):
        for other in ctx.frames(j) if ctx.named(j) else []:
            allowed = {n for n in other.actors if _eligible_name(n, etype, ctx.gaz)}
            if other is not frame and event_types()[other.type].family == family and set(frame.actors) < allowed and len(allowed) >= etype.min_actors:
                return sorted(allowed)
    return None


def _inherit_actors(frame: Frame, etype: EventType, ctx: Context) -> list[str]:
    """Eligible people named nearby (for role-bound types: anywhere in the article)."""
    limit = len(ctx.sents) if etype.participants else WINDOW
    names = list(frame.actors)
    for j in [frame.sentence] + _nearby(frame.sentence, limit):
        if j >= len(ctx.sents):
            continue
        names += [e.entity.name for e in ctx.entities(j) if eligible(e.entity, etype) and e.entity.name not in names]
        if len(names) >= etype.min_actors:
            break
    return sorted(set(names))


def _eligible_name(name: str, etype: EventType, gaz: Gazetteer) -> bool:
    entity = next((e for _, e in gaz.entities if e.name == name), None)
    return entity is None or eligible(entity, etype) or entity.kind in ("bloc", "country")


def _inherit_place(frame: Frame, status: Status, ctx: Context) -> str | None:
    """The place the article gives the same event elsewhere (a held one for held events)."""
    family = event_types()[frame.type].family
    took = status == Status.TOOK_PLACE
    best: tuple[int, str] | None = None
    for j in ctx.typed:
        for other in ctx.frames(j) if ctx.named(j) else []:
            same = event_types()[other.type].family == family and other.location and set(frame.actors) & set(other.actors)
            if same and (set(frame.actors) <= set(other.actors) or set(other.actors) <= set(frame.actors)) and (other.took_place is True) == took:
                candidate = (abs(j - frame.sentence), other.location)
                best = candidate if best is None or candidate < best else best
    return best[1] if best else None


def _mention(d: Draft) -> EventMention:
    etype = event_types()[d.frame.type]
    return EventMention(
        type=d.frame.type,
        actors=sorted(d.frame.actors),
        location=d.frame.location,
        event_date=d.event_date,
        status=d.status,
        cue=d.cue,
        evidence=d.evidence,
        negated=d.negated,
        modality=d.modality,
        attributed_to=d.attributed_to,
        background=d.background,
        in_lead=d.in_lead,
        parent_type=etype.parent,
        confidence=d.confidence,
    )


def _unique(mentions: list[EventMention]) -> list[EventMention]:
    seen: set[tuple] = set()
    out = []
    for m in mentions:
        key = (m.type, tuple(m.actors), m.location, m.status, m.background, m.evidence)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out
