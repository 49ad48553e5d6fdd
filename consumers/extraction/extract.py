"""Event mentions from one article: the pure core of the extract stage.

The article becomes one ``Document`` (``document.py``): sentences, clauses, their cased
and lower-case forms, built once. Cheap substring tests pick the sentences that may name
an event; annotators (``annotators.py``) add event words, status cues, participants,
places and sources to those sentences on demand. The rules here read those layers: which
event word a cue belongs to, whether the claim is asserted (not a threat, a condition, a
question or a recounted older event), and which participants, place and date complete it.

Cost is linear in the article's length: sentences are capped in length (``text.py``),
every search for context stays within a fixed number of sentences, and an optional time
budget stops extraction early (``extract``).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from functools import cache
from datetime import date, timedelta

from consumers.extraction.annotators import CueHit, EntityHit, Hit, PlaceHit, TypeHit, fitting, gazetteer_hits, place_in
from consumers.extraction.document import WINDOW, Document, OverBudget, language_of
from consumers.extraction.lexicon import Cue, Entity, EventType, Gazetteer, Lexicon, event_types, gazetteer, editions_apart, lexicons, year_edition
from consumers.extraction import names
from consumers.extraction.names import EVENT, MEDIA, RUN, VENUE, generic_facility, opened_thing
from consumers.extraction.dates import earlier_month, event_date, event_days
from consumers.extraction.text import Sentence
from schemas import Article, EventMention, Status

__all__ = ["Extraction", "extract", "extract_events", "language_of"]

REACH = 30
"""Sentences either side searched for an event's place or role-bound participants: far
enough for any article's own story, bounded so the cost stays linear in its length."""
WEAK_REACH = 60
"""Characters between an event word and a weak cue ("will", "planned") that still make
it the event's claim; farther, a weak cue speaks of something else in the clause."""
GOVERNS = 24
"""Characters between a status noun and the event word it is of ("Verschiebung der
Visite", "cancellation of the race")."""
NOT_PARTICIPANTS = frozenset({"none", "adviser", MEDIA})
"""Kinds of name that never take part: storms and the like, a side's auditors and
lawyers, and who reports the news."""
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


@dataclass
class Analysis:
    """What one candidate sentence holds."""

    sentence: object
    types: list[TypeHit]
    cues: list[CueHit]
    entities: list[EntityHit]
    source: str | None
    source_clause: int | None
    source_span: tuple[int, int] | None = None
    source_spans: tuple[tuple[int, int, int], ...] = ()
    """Where each clause that gives a claim to someone names them (clause, start, end)."""


@dataclass
class Frame:
    """An event named in a sentence (with or without a status): what anaphora refer to."""

    sentence: int
    type: str
    actors: list[str]
    location: str | None
    took_place: bool | None
    also: tuple[str, ...] = ()
    """Further places coordinated with ``location`` for an event held at one place: one
    event at each (``EventType.per_place``)."""
    each: tuple[str, ...] = ()
    """Names coordinated right by the event word of an event known by its own name: one
    event each (``EventType.per_name``)."""
    definite: bool = False
    """The event word follows a definite article ("das Rennen", "the fair"): without a
    participant of its own it is an event named before (``_named_before``)."""
    other: bool = False
    """The event word follows a word of otherness ("four other Bundesliga games", "andere
    Spiele"): events besides the ones named, which lend them no participants."""
    edition: str | None = None
    """The round or edition its clause names (``_edition``), for a kind numbered so."""


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
    days: tuple[date, ...] = ()
    """The days its claim coordinates for a kind held on one day (``EventType.per_day``):
    one event each (``_each_day``); ``event_date`` is the first."""


@dataclass
class Extraction:
    """An article's mentions, and whether its time budget cut extraction short."""

    events: list[EventMention]
    over_budget: bool = False


def extract_events(article: Article) -> list[EventMention]:
    """The scheduled events an article reports, each with the status it claims (pure)."""
    return extract(article).events


def extract(article: Article, budget_seconds: float | None = None) -> Extraction:
    """``extract_events`` with a time budget: past it, extraction stops and the article
    keeps the mentions completed so far (``over_budget`` says so)."""
    deadline = None if budget_seconds is None else time.monotonic() + budget_seconds
    doc = Document.of(article, deadline)
    if doc is None:
        return Extraction([])
    done: list[EventMention] = []
    over_budget = False
    try:
        for i in doc.claim_sentences():
            doc.check_budget()
            for draft in _drafts(doc, _analysis(doc, i)):
                complete = _complete(draft, doc)
                if complete is not None:
                    done += [_mention(c, doc) for c in _each_place(complete) for c in _each_name(c) for c in _each_day(c)]
    except OverBudget:
        over_budget = True
    return Extraction(_article_level(done, doc), over_budget=over_budget)


def _article_level(mentions: list[EventMention], doc: Document) -> list[EventMention]:
    """The article's mentions after the rules that read them together: a visit's
    programme items left out, the next round numbered, a call-off that is a delay read as
    one, each mention once."""
    if not mentions:
        return mentions
    return _unique(_called_off_for_now(_next_editions(_programme_items(mentions, doc))))


def _analysis(doc: Document, i: int) -> Analysis:
    source, source_clause, span = doc.attribution(i)
    entities = doc.entities(i)
    types = [_short_form(doc, i, t) for t in _outside_event_names(doc.types(i), entities, doc.sents[i].cased, doc.lex.acronym_kinds)]
    types = [_specific_kind(doc, i, t) for t in types] if doc.lex.generic_words else types
    return Analysis(doc.sents[i], types, doc.cues(i), entities, source, source_clause, span, doc.source_spans(i) if source else ())


def _short_form(doc: Document, i: int, hit: TypeHit) -> TypeHit:
    """An event word written with its capital that is the first word of an event's name
    the article gives in full ("the Tour", "die Tour" beside "Tour de France") is that
    event's short form: of the full name's kind (a race, not a concert tour)."""
    cased = doc.sents[i].cased[hit.clause]
    word = cased[hit.start : hit.end]
    candidates = _short_forms(doc.lex.language).get(word) if word[:1].isupper() else None
    if not candidates or _CAPITAL_BEFORE.search(cased, max(0, hit.start - 40), hit.start):
        return hit  # after a capitalised word it ends another name ("My Songs Tour", "Le Tour")
    kind = next((k for name, k in candidates if name in doc.aliases.cased()), None)
    return hit if kind is None or kind == hit.type else TypeHit(hit.clause, hit.start, hit.end, kind)


_CAPITAL_BEFORE = re.compile(r"[A-ZÄÖÜ][\w'’.-]*\s+$")


def _specific_kind(doc: Document, i: int, hit: TypeHit) -> TypeHit:
    """A generic word for a vote ("die Abstimmung", "the polls", "the vote") names the
    specific event the headline and lead name ("Präsident Faye ... bei der Wahl ... Am
    Tag nach einer friedlichen Abstimmung"; "Italians vote in a referendum ... Polls
    opened at 7 a.m."): the election's vote, the referendum's polls (lexicon
    ``generic_words``). Its own sentence does not decide: "called to the polls in a
    referendum" names the one event by both words already."""
    kinds = doc.lex.generic_words.get(doc.sents[i].norm[hit.clause][hit.start : hit.end])
    kind = next((k for k in _lead_kinds(doc) if k in kinds), None) if kinds else None
    return hit if kind is None else TypeHit(hit.clause, hit.start, hit.end, kind)


def _lead_kinds(doc: Document) -> list[str]:
    """The kinds of event the headline and lead name by their words, in order (once per article)."""
    if "_lead_kinds" not in doc.__dict__:
        doc.__dict__["_lead_kinds"] = [t.type for j in doc.typed if doc.sents[j].in_lead for t in doc.types(j)]
    return doc.__dict__["_lead_kinds"]


@cache
def _short_forms(language: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """The gazetteer's events of several words by their first word, with the kind their
    full name is a word of ("Tour" -> ("Tour de France", race))."""
    lex = lexicons()[language]
    found: dict[str, list[tuple[str, str]]] = {}
    for name, entity in gazetteer().by_name.items():
        first, _, rest = name.partition(" ")
        if entity.kind != EVENT or not rest:
            continue
        kind = next((k for k, rx in lex.type_words.items() if k in event_types() and rx.fullmatch(name.lower())), None)
        if kind is not None:
            found.setdefault(first, []).append((name, kind))
    return {first: tuple(names) for first, names in found.items()}


def _outside_event_names(types: list[TypeHit], entities: list[EntityHit], cased: tuple[str, ...] = (), acronyms: dict[str, str] | None = None) -> list[TypeHit]:
    """The event words that are no inner word of an event's own name: "Game" in "Game
    Developers Conference" names no game, the name's last word says what it is. An
    event's acronym is its name's kind word wherever it stands ("ITB Berlin")."""
    names = [(e.clause, e.start, e.end) for e in entities if e.entity.kind == "event"]
    if not names:
        return types
    return [t for t in types if (acronyms and cased[t.clause][t.start : t.end] in acronyms) or not any(c == t.clause and start <= t.start and t.end < end for c, start, end in names)]


def frames(doc: Document, i: int) -> list[Frame]:
    """The event words of sentence ``i`` as frames (cached on the document); none outside it."""
    if not doc.is_typed(i):
        return []
    cache = doc.__dict__.setdefault("_frames", {})
    if i not in cache:
        cache[i] = _frames(doc, _analysis(doc, i))
    return cache[i]


def _distance(a: Hit, b: Hit) -> int:
    """Closeness of two spans, measured at whichever ends are nearer; clauses apart are far."""
    return abs(a.clause - b.clause) * 1000 + min(abs(a.start - b.start), abs(a.end - b.end))


def eligible(entity: Entity, etype: EventType) -> bool:
    """May this entity take part in this kind of event (types.yaml ``participants``)?

    A person takes part when the type names no roles or names theirs (an open-vocabulary
    person of unknown role may take part unless the type is for heads only, e.g. summits,
    and names ``name`` too); an organisation when the type names its kind; an
    open-vocabulary name of unknown kind when the type admits ``name``s or names nobody.
    """
    allowed = etype.participants
    if entity.kind in NOT_PARTICIPANTS:
        return False
    if entity.kind == "person":
        if not entity.participant:
            return False
        return not allowed or entity.role in allowed or (entity.open and entity.role is None and "name" in allowed)
    if entity.open and entity.kind == "name":
        return not allowed or "name" in allowed
    if entity.open:
        return not allowed or entity.kind in allowed or "name" in allowed
    return entity.kind in allowed


def _frames(doc: Document, a: Analysis) -> list[Frame]:
    """One frame per event word: its participants and place, for mentions and anaphora."""
    types = event_types()
    actors: dict[int, list[str]] = {i: [] for i in range(len(a.types))}
    resumed = _subject_resumed(doc.lex, a.sentence) if len(a.types) > 1 else None
    causes = {ci: _causes(doc.lex, a, ci) for ci in {e.clause for e in a.entities}}
    listed = _listed_places(doc, a) if any(e.entity.open and e.clause > 0 for e in a.entities) else set()
    for ent in a.entities:
        if _is_source(a, ent) or (_named_as_place(doc, ent.entity) and not _named_as_side(doc.lex, a, ent)) or any(s <= ent.start < e for s, e in causes[ent.clause]):
            continue
        if _town_of(doc, a, ent) or _mediator(doc.lex, a.sentence, ent):
            continue  # "in the Saudi city of Jeddah": where the town is; "mediated by Qatar": no side
        if ent.entity.open and ent.entity.name in listed:
            continue  # "die Konzerte in Köln (Mittwoch) und Oberhausen (Donnerstag)": a place of the list, no side
        options = [
            (i, t)
            for i, t in enumerate(a.types)
            if (eligible(ent.entity, types[t.type]) or _national_side(doc.lex, a, ent, types[t.type])) and not (types[t.type].destination_no_side and _destination(doc.lex, a.sentence, ent))
            and not (types[t.type].host_no_side and _hosts(doc.lex, a.sentence, ent))
        ]
        if resumed is not None and ent.clause == 0:
            options = [o for o in options if o[1].clause >= resumed] or options  # the subject's own verb, past its description
        if options:
            i, _ = _governing(doc.lex, a, ent, options) or min(options, key=lambda o: _distance(o[1], ent))
            if ent.entity.name not in actors[i]:
                actors[i].append(ent.entity.name)
    actors = {i: _strongest(sorted(set(names)), a, doc.lex) for i, names in actors.items()}
    out = []
    for i, hit in enumerate(a.types):
        etype = types[hit.type]
        found = _bloc_host(a, hit) if etype.bloc_hosts and not _countries(doc.lex, a, hit, etype) else None  # "zwischen der EU und China": a pair, not the EU's own summit
        names = [found] if found else actors[i]
        thing = _object_name(doc.lex, a, hit, doc.places(a.sentence.index)[hit.clause]) if etype.object_named else None
        names = [thing] if thing else names
        if etype.seats_speak and (seats := _seats_paired(doc, a, hit)):
            names = sorted({*(n for n in names if n not in seats.values() and n not in seats), *seats.values()})
        if not names:
            names = _countries(doc.lex, a, hit, etype)
        if not thing and (pair := _compound_sides(doc.lex, a, hit, etype)):
            names = pair
        if etype.envoys_speak and names:
            names = _with_envoys_sides(doc, a, hit, names)
        cue = _cue_for(doc.lex, a, hit)
        place = _place(doc, a, hit, cue, names)
        if place is None and etype.host_no_side:
            place = _host_named(doc.lex, a, hit)
        if not names and etype.place_actor and (named := _place_of(doc, a, hit)):
            names, place = [named], place or named
        if not names and place and etype.place_actor:
            names = [place]
        also = _coordinated(doc, a, hit, place) if etype.per_place and place else ()
        each = (_coordinated_names(doc.lex, a, hit, names) or _shared_head(doc, a, hit, names)) if etype.per_name else ()
        edition = _edition(doc.lex, a, hit, names) if etype.editions else None
        out.append(Frame(a.sentence.index, hit.type, names, place, None if cue is None else cue.cue.status == Status.TOOK_PLACE, also, each, _definite(doc.lex, a, hit), _other(doc.lex, a, hit), edition))
    return out


EDITION_REACH = 40
"""Characters before an event's name searched for its ordinal or year ("the 64th Annual "),
and at most between an event word and the numbered edition noun that is its ("die vierte
Runde ihrer Atomgespräche")."""
NEXT = "next"
"""The edition of an event word a word of the next one stands before ("the next round"),
until the article's held round numbers it (``_next_editions``)."""


def _edition(lex: Lexicon, a: Analysis, hit: TypeHit, names: list[str]) -> str | None:
    """The round or edition an event word's clause names (``Lexicon.editions``): a number
    beside an edition noun that is no other event word's ("the fourth round of indirect
    Iran-US talks", "die 118. Auflage von Paris-Roubaix"), else a digit ordinal or a year
    right before, or a year right after, the event word or a recurring event's name among
    its participants ("the 124th Boston Marathon", "Glastonbury 2020", "die ITB 2020"),
    else the next one after the held one (``NEXT``: "the next round of talks")."""
    cased = a.sentence.cased[hit.clause]
    others = [(t.start, t.end) for t in a.types if t.clause == hit.clause and t is not hit]
    found = _counted_edition(lex, cased, hit.type, (hit.start, hit.end), others) or _named_edition(lex, a, hit, names)
    if found is None and lex.editions.following.search(cased[max(0, hit.start - EDITION_REACH) : hit.start]):
        return NEXT
    return found


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters between two spans of a clause (0 when they overlap)."""
    return max(0, b[0] - a[1], a[0] - b[1])


def _counted_edition(lex: Lexicon, cased: str, kind: str, span: tuple[int, int], others: list[tuple[int, int]] | None = None) -> str | None:
    """A number beside an edition noun of ``kind`` in a clause, the nearest to ``span``;
    with the clause's ``others`` event words, only one nearer to it than to any of them
    and within ``EDITION_REACH`` ("die vierte Runde ihrer Atomgespräche abgeschlossen und
    weitere Verhandlungen vereinbart": the fourth is the talks concluded, not the ones
    agreed)."""
    found = []
    for start, end, n in lex.editions.counted(cased, kind):
        gap = _gap((start, end), span)
        if others is not None and (gap > EDITION_REACH or any(_gap((start, end), o) < gap for o in others)):
            continue
        found.append((gap, n))
    return min(found)[1] if found else None


def _named_edition(lex: Lexicon, a: Analysis, hit: TypeHit, names: list[str]) -> str | None:
    """A digit ordinal or a year right before, or a year right after, the event word or
    a recurring event's name among ``names`` in its clause."""
    editions = lex.editions
    cased = a.sentence.cased[hit.clause]
    spans = [(hit.start, hit.end)] + [(e.start, e.end) for e in a.entities if e.clause == hit.clause and e.entity.kind == EVENT and e.entity.name in names]
    for start, end in spans:
        match = editions.before.search(cased[max(0, start - EDITION_REACH) : start]) or editions.after.match(cased[end : end + 8])
        if match is not None and (n := editions.number(match)) is not None:
            return n
    return None


def _place_of(doc: Document, a: Analysis, hit: TypeHit) -> str | None:
    """The known place an event word is of ("der Große Preis von Monaco", "the Tour of
    Flanders", "Großer Preis der USA"): for a kind its place names, the place is its name
    wherever it is held, as "the Monaco Grand Prix" is."""
    cased = a.sentence.cased[hit.clause]
    of = _AFTER_OF.match(cased, hit.end)
    if of is None or of.group("of").lower() not in doc.lex.of_words:
        return None
    at = of.end()  # the name after the of-word and any lower-case words ("Tour of the Basque Country")
    city = next((p.name for p in doc.places(a.sentence.index)[hit.clause] if p.start == at and not p.adjective), None)
    return city or next((e.entity.name for e in a.entities if e.clause == hit.clause and e.start == at and e.entity.kind == "country"), None)


def _governing(lex: Lexicon, a: Analysis, ent: EntityHit, options: list[tuple[int, TypeHit]]) -> tuple[int, TypeHit] | None:
    """The event word a pair of sides is of when the pair stands right after it ("das
    Duell zwischen St. Pauli und RB Leipzig als auch das Spiel zwischen ..."): both
    sides belong to it, however near the next event word stands to the second."""
    if lex.names is None or len(options) < 2:
        return None  # one event word to choose: the nearest is it
    cased = a.sentence.cased[ent.clause]
    span = next(((s, e) for s, e in names.side_spans(lex.names, cased) if s <= ent.start < e), None)
    if span is None:
        return None
    before = [o for o in options if o[1].clause == ent.clause and o[1].end <= span[0] and not any(t.clause == ent.clause and o[1].end <= t.start < span[0] for t in a.types)]
    return before[-1] if before and len(cased[before[-1][1].end : span[0]].split()) <= PAIR_REACH else None


PAIR_REACH = 2
"""Words between an event word and the pair of sides after it ("das Spiel | zwischen",
"the match on Sunday | between" is further)."""


DEFINITE_REACH = 3
"""Words before an event word in which a definite article makes it definite ("das für
Juni geplante Rennen" aside, "die geplante Messe", "the annual fair")."""


OTHER_REACH = 3
"""Words before an event word in which a word of otherness makes it other events ("four
other Bundesliga games")."""


def _other(lex: Lexicon, a: Analysis, hit: TypeHit) -> bool:
    """Whether an event word follows a word of otherness ("other", "andere") closely."""
    return not lex.other_words.isdisjoint(a.sentence.norm[hit.clause][: hit.start].split()[-OTHER_REACH:])


def _definite(lex: Lexicon, a: Analysis, hit: TypeHit) -> bool:
    """Whether an event word stands after a definite article (or a demonstrative) with
    at most a few words between ("das Rennen", "die diesjährige Messe", "the fair")."""
    return not lex.definite_words.isdisjoint(a.sentence.norm[hit.clause][: hit.start].split()[-DEFINITE_REACH:])


_AFTER_OF = re.compile(r"\W+(?P<of>\w+)\s+(?:(?:[a-zäöüß][\w-]*|\d+\.?)\s+){0,3}(?=[A-ZÄÖÜ\d])")


def _object_name(lex: Lexicon, a: Analysis, hit: TypeHit, places: list[PlaceHit] = ()) -> str | None:
    """What an event word is of ("Eröffnung der Elbphilharmonie", "opening of Berlin
    Brandenburg Airport"), else, for a verb ("Die Elbphilharmonie soll ... eröffnet
    werden"), its subject: the first run of capitalised words of its clause that names no
    person, whom the verb names as who opens it ("Merkel eröffnete den BER"). A facility
    named only by its kind after a city's adjective ("des Berliner Großflughafens", "des
    Stuttgarter Hauptbahnhofs") is the city's: the city names it (``places``: the clause's
    known places)."""
    if lex.names is None:
        return None
    cased = a.sentence.cased[hit.clause]
    after = _AFTER_OF.match(cased, hit.end)
    if after and after.group("of").lower() in lex.of_words:
        run = RUN.match(cased, after.end())
        if run is None:
            return None
        thing = opened_thing(lex.names, lex.language, run.group(0).split(), after.group("of").lower() in lex.names.genitive_words)
        city = next((p.name for p in places if p.adjective and p.start == run.start()), None)
        return city if city and thing and generic_facility(lex.names, thing.split()[-1]) else thing  # "des Berliner Großflughafens", "des Istanbuler Flughafens": the city's
    before = cased[: hit.start].split()
    if not cased[hit.start : hit.start + 1].islower() or (before and before[-1].lower() in lex.determiner_words):
        return None  # a noun with nothing it is of ("die Eröffnung", "its opening")
    people = [(e.start, e.end) for e in a.entities if e.clause == hit.clause and e.entity.kind == "person"]
    opener = False
    for run in RUN.finditer(cased):
        if run.start() >= hit.start and not opener:
            break  # the thing is the verb's subject ("The airport was opened in October 2018")
        if any(s < run.end() and run.start() < e for s, e in people):
            opener = True  # who opens it ("Erdogan inaugurated the new Istanbul Airport"): the thing is its object
            continue
        thing = opened_thing(lex.names, lex.language, run.group(0).split())
        if thing and not thing[:1].isdigit() and not lex.names.is_title(thing.lower()):
            city = next((p.name for p in places if p.adjective and p.start == run.start()), None)
            return city if city and generic_facility(lex.names, thing.split()[-1]) else thing  # "den neuen Istanbuler Flughafen": Istanbul's
    return None


def _destination(lex: Lexicon, sentence: Sentence, ent: EntityHit) -> bool:
    """Whether a name is where something goes ("to the ISS", "zur ISS")."""
    low = sentence.norm[ent.clause]
    return lex.names is not None and lex.names.destination_before.search(low, max(0, ent.start - 12), ent.start) is not None


def _named_as_place(doc: Document, entity: Entity) -> bool:
    """An untitled unknown name the article names as a place elsewhere ("in Las Vegas")."""
    return entity.open and entity.kind == "name" and doc.aliases.is_place(entity.name)


def _named_as_side(lex: Lexicon, a: Analysis, ent: EntityHit) -> bool:
    """Whether a name stands as one of two sides ("between Lyon and Marseille", "Lyon v
    Marseille", "against Marseille"): a side, though the article names its town as the
    venue too ("... in Lyon")."""
    if lex.names is None:
        return False
    cased = a.sentence.cased[ent.clause]
    return any(m.start() <= ent.start < m.end() for m in lex.names.sides.finditer(cased))


def _is_source(a: Analysis, ent: EntityHit) -> bool:
    """Whether a name only says who makes the sentence's claim: named as its source in a
    clause of its own ("..., sagte Peskow"). A source in the event's own clause may take
    part ("The RMT union announced a strike"); the rest of a source's clause is no
    source ("Buckingham Palace announced that King Charles ...")."""
    if any(t.clause == ent.clause for t in a.types):
        return False
    return any(clause == ent.clause and start <= ent.start < end for clause, start, end in a.source_spans)


def _subject_resumed(lex: Lexicon, s: Sentence) -> int | None:
    """The clause where a sentence goes on after its subject and a description of it set
    off by commas ("Die GSMA | ein Verband ... und Ausrichter des Mobile World Congress |
    hat die Messe abgesagt" -> 2); None when the sentence has no such description. The
    subject is a short first clause; the description opens with an article or relative
    pronoun (``apposition_starts``), the resuming clause with a finite verb
    (``subject_resumes``)."""
    clauses = s.norm
    if len(clauses) < 3 or len(clauses[0].split()) > 4 or not lex.apposition_starts.match(clauses[1]):
        return None
    return next((k for k in range(2, len(clauses)) if lex.subject_resumes.match(clauses[k])), None)


def _strongest(names: list[str], a: Analysis, lex: Lexicon) -> list[str]:
    """The participants the evidence is best for: a venue ("Barclays-Arena": where the
    concert is) only when nobody else is named (a venue that opens is the opening's); an
    untitled unknown name ("Hurricane Sandy", "Silence Breakers") only when no known or
    titled name is there."""
    kinds = {e.entity.name: e.entity for e in a.entities}
    names = [n for n in names if (e := kinds.get(n)) is None or e.kind != VENUE] or names
    weak = {n for n in names if (e := kinds.get(n)) is not None and e.open and e.kind == "name"}
    if len(weak) == len(names):
        return names
    weak -= _side_joined(lex, a, weak, set(names) - weak)
    return [n for n in names if n not in weak]


def _side_joined(lex: Lexicon, a: Analysis, weak: set[str], strong: set[str]) -> set[str]:
    """The untitled names joined to a stronger one as the other side of a pair ("Arsenal
    and Tottenham Hotspur", "FC Bayern gegen Union Berlin", "Chelsea's game against
    Aston Villa"): only a join word (``Lexicon.side_words``) and articles between them,
    after the event word, so the pair vouches for both."""
    hits = [e for e in a.entities if e.entity.name in weak or e.entity.name in strong]
    joined = {one.entity.name for one in hits if one.entity.name in weak and any(other.entity.name in strong and _joined(lex, a, one, other) for other in hits)}
    return joined | {one.entity.name for one in hits if one.entity.name in weak and (_opponent(lex, a, one) or _named_as_side(lex, a, one))}


def _opponent(lex: Lexicon, a: Analysis, one: EntityHit) -> bool:
    """Whether a name is the opponent shortly after an event word ("das Spiel gegen den AS
    Monaco", "the game against Aston Villa", "verlor am Freitag 0:2 gegen Bochum") or
    right after a result that is its own event word ("Real Madrid beat Barcelona 2-1"):
    the word of opposition says it is a side."""
    low = a.sentence.norm[one.clause]
    for t in a.types:
        if t.clause != one.clause or t.end > one.start:
            continue
        gap = low[t.end : one.start].split()
        if not gap and low[t.start : t.end] in lex.opponent_words:
            return True
        if len(gap) > OPPONENT_REACH:
            continue
        at = next((i for i in range(len(gap) - 1, -1, -1) if gap[i] in lex.opponent_words), None)
        if at is not None and lex.determiner_words.issuperset(gap[at + 1 :]):
            return True
    return False


OPPONENT_REACH = 5
"""Words between an event word and its opponent's word of opposition at most ("verlor am
Freitag 0:2 gegen Bochum"): further on, "against" is another matter's."""


def _joined(lex: Lexicon, a: Analysis, one: EntityHit, other: EntityHit) -> bool:
    """Whether two names of a clause are the two sides of a pair: only a join word
    (``Lexicon.side_words``) and articles between them, after the event word
    ("Chelsea's game against Aston Villa", "zwischen Deutschland und den Niederlanden")."""
    if one.clause != other.clause or one is other:
        return False
    left, right = (one, other) if one.end <= other.start else (other, one)
    gap = a.sentence.norm[one.clause][left.end : right.start].split()
    while gap and lex.names is not None and (gap[0] in ("'s", "’s") or lex.names.is_event_word(gap[0])):
        gap = gap[1:]  # "Chelsea's game against Aston Villa"
    return _join_gap(lex, gap)


def _join_gap(lex: Lexicon, gap: list[str]) -> bool:
    """Whether the words between two names join them as a pair: a join word, then
    articles at most ("und den", "and the")."""
    return bool(gap) and gap[0] in lex.side_words and lex.determiner_words.issuperset(gap[1:])


def _paired(lex: Lexicon, a: Analysis, left: EntityHit, right: EntityHit) -> bool:
    """Whether two names stand as a pair: joined by a join word (``_joined``) or by a
    hyphen in one compound ("EU-China")."""
    return _joined(lex, a, left, right) or a.sentence.norm[left.clause][left.end : right.start] == "-"


def _national_side(lex: Lexicon, a: Analysis, ent: EntityHit, etype: EventType) -> bool:
    """Whether a country is a side of a game: the kind has teams and the country is one
    of a pair ("Germany's friendly against the Netherlands", "Deutschland gegen
    Nordirland"): its national team."""
    return ent.entity.kind == "country" and "team" in etype.participants and any(_joined(lex, a, ent, other) for other in a.entities)


COMPOUND_GAP = frozenset({"-", "–", "/"})
"""What joins two sides written as one compound ("Iran-US", "EU–China", "Iran/US")."""


def _compound_sides(lex: Lexicon, a: Analysis, hit: TypeHit, etype: EventType) -> list[str]:
    """The two sides written as one compound right before the event word ("the fourth
    round of indirect Iran-US talks", "the EU-China summit", "the Germany–France
    consultations"), with at most a few lower-case words between ("indirect", "nuclear"):
    the sides the event is of, ahead of any other name in the sentence (who tells
    reporters of it, who suggested it, a mediator named further on). Empty when no such
    compound stands there or a side may not take part in this kind of event."""
    cased = a.sentence.cased[hit.clause]
    named = sorted((e for e in a.entities if e.clause == hit.clause and e.end <= hit.end), key=lambda e: e.start)
    for left, right in zip(named, named[1:]):
        gap = cased[right.end : hit.start if right.end <= hit.start else hit.end].split()  # or inside an event phrase ("round of indirect Iran-US talks")
        if cased[left.end : right.start] not in COMPOUND_GAP or len(gap) > PAIR_REACH or not all(w.islower() for w in gap):
            continue
        if left.entity.name != right.entity.name and all(_may_be_side(e, etype) for e in (left, right)):
            return sorted({left.entity.name, right.entity.name})
    return []


ENVOY_ROLES = frozenset({"minister", "envoy"})
"""Who speaks for a side at talks: a minister, an envoy or negotiator."""
ENVOY_GAP = 4
"""Words at most between a side and its envoy's name: the title ("Foreign Minister",
"chief Brexit negotiator")."""


def _with_envoys_sides(doc: Document, a: Analysis, hit: TypeHit, names: list[str]) -> list[str]:
    """``names`` and the side each envoy among them speaks for (``EventType.envoys_speak``):
    the country or bloc that qualifies the title of an envoy or minister no list holds
    ("chief EU negotiator Michel Barnier", "Iranian Foreign Minister Abbas Araghchi",
    "the UK's chief negotiator David Frost"; whom the gazetteer knows, it knows the
    country of: ``story_tracking.stands_for``). Reports name a round of talks by the
    negotiators in one article and by the sides in the next: both are one round. Where an
    envoy speaks for a side, the governments are the sides: a country or bloc named by its
    own name right after the event word ("talks with the United States") is the other."""
    sides = []
    for ent in a.entities:
        if ent.entity.name not in names or not ent.entity.open or ent.entity.kind != "person" or ent.entity.role not in ENVOY_ROLES:
            continue
        side = _titled_by(doc.lex, a, ent)
        if side and side not in names and side not in sides:
            sides.append(side)
    if not sides:
        return names
    return sorted({*names, *sides, *_other_government(doc, a, hit)})


def _other_government(doc: Document, a: Analysis, hit: TypeHit) -> list[str]:
    """A country or bloc named by its own name within a few words after an event word
    ("talks with the United States", "Gespräche mit den USA"), not after a place word
    ("talks in Vietnam"): the other side of talks an envoy comes to."""
    low = a.sentence.norm[hit.clause]
    rules = doc.lex.names
    for e in a.entities:
        if e.clause != hit.clause or e.start < hit.end or e.entity.kind not in ("country", "bloc") or _demonym(doc, a, e):
            continue
        if len(low[hit.end : e.start].split()) <= PAIR_REACH + 1 and (rules is None or rules.venue_before.search(low, max(0, e.start - 60), e.start) is None):
            return [e.entity.name]
    return []


def _titled_by(lex: Lexicon, a: Analysis, person: EntityHit) -> str | None:
    """The country or bloc that qualifies a person's title, right before it with only the
    title between (a possessive, an adjective's ending, lower- or upper-case title words;
    no comma, no join word, no other name)."""
    cased = a.sentence.cased[person.clause]
    before = [e for e in a.entities if e.clause == person.clause and e.end <= person.start]
    if not before:
        return None
    side = max(before, key=lambda e: e.end)
    if side.entity.kind not in ("country", "bloc"):
        return None
    gap = cased[side.end : person.start]
    words = gap.replace("-", " ").split()
    if any(c in gap for c in ",;:()\"") or len(words) > ENVOY_GAP or not words or any(w.lower() in lex.and_words for w in words):
        return None
    return side.entity.name


def _may_be_side(ent: EntityHit, etype: EventType) -> bool:
    """Whether a name in a compound of two sides may be one: it may take part, or it is a
    country or bloc and the kind is one governments hold (anyone's, or heads' whom their
    governments stand for)."""
    if eligible(ent.entity, etype):
        return True
    return ent.entity.kind in ("country", "bloc") and (not etype.participants or "country" in etype.participants or etype.participants == frozenset({"head"}))


def _bloc_host(a: Analysis, hit: TypeHit) -> str | None:
    """A bloc named right by a summit word ("EU-Gipfel", "summit of the EU") hosts it."""
    for ent in a.entities:
        if ent.entity.kind == "bloc" and ent.clause == hit.clause and (-3 <= ent.start - hit.end <= 70 or 0 <= hit.start - ent.end <= 2):
            return ent.entity.name
    return None


def _seats_paired(doc: Document, a: Analysis, hit: TypeHit) -> dict[str, str]:
    """Two seats of government named as a pair in an event word's clause ("Washington and
    Beijing", "zwischen Moskau und Kiew"), each written as the text has it -> its country:
    the governments that take part. Empty for one city, two of one country, or a city
    named by its adjective."""
    gaz = doc.gaz
    cased = a.sentence.cased[hit.clause]
    seats = [p for p in doc.places(a.sentence.index)[hit.clause] if p.name in gaz.seats and not p.adjective]
    for left, right in zip(seats, seats[1:]):
        gap = a.sentence.norm[hit.clause][left.end : right.start].split()
        countries = gaz.country_of.get(left.name), gaz.country_of.get(right.name)
        if _join_gap(doc.lex, gap) and countries[0] and countries[1] and countries[0] != countries[1]:
            return {cased[left.start : left.end]: countries[0], cased[right.start : right.end]: countries[1]}
    return {}


def _countries(lex: Lexicon, a: Analysis, hit: TypeHit, etype: EventType) -> list[str]:
    """Countries as participants: when they alone name enough sides, or when the type
    takes countries (an election's country). A summit of leaders named by no leader
    takes the two governments they lead when the clause names them as a pair ("The EU and
    China will hold a summit", "the EU-China summit"): each head stands for one; not the
    countries of leaders named with their titles ("US President Donald Trump and North
    Korean leader Kim Jong-un"), whose frame the article's context completes."""
    names = sorted({e.entity.name for e in a.entities if e.entity.kind == "country" and e.clause == hit.clause and not (etype.host_no_side and _hosts(lex, a.sentence, e)) and not _mediator(lex, a.sentence, e)})
    if "country" in etype.participants:
        return names[:1] if names else []  # one country holds an election
    if etype.participants == frozenset({"head"}):
        governments = [e for e in a.entities if e.entity.kind in ("country", "bloc") and e.clause == hit.clause]
        pair = next(((x, y) for x in governments for y in governments if x.end <= y.start and _paired(lex, a, x, y)), None)
        return sorted({pair[0].entity.name, pair[1].entity.name}) if pair and pair[0].entity.name != pair[1].entity.name else []
    if etype.participants:
        return []
    sides = sorted({*names, *(e.entity.name for e in a.entities if e.entity.kind == "bloc" and e.clause == hit.clause)})
    return sides if len(sides) >= max(2, etype.min_actors) else []  # "talks between Iran and the EU"


def _cue_for(lex: Lexicon, a: Analysis, hit: TypeHit) -> CueHit | None:
    """The status cue of an event word: nearest in its clause, else in a clause of its own.
    A cue that belongs to other kinds of event ("scrubbed" to launches) is not this one's;
    a weak planned cue ("the planned visit", "an upcoming summit") yields to any other
    cue of the clause ("... has been postponed")."""
    kind_cues = fitting(a.cues, hit.type)
    passing = [c for c in kind_cues if _in_passing(lex, a, c)]
    if any(_governs(lex, a, c, hit) for c in passing):
        return None  # "Trotz der Verschiebung der Visite ...": the event itself is named in passing
    fit = [c for c in kind_cues if not any(c is p for p in passing)]
    same = [c for c in fit if c.clause == hit.clause]
    typed = {t.clause for t in a.types}
    other = [c for c in fit if c.clause not in typed]
    weak = {id(c) for c in fit if c.cue.weak or _appositive(lex, a, c) or _attributive(lex, a, c, hit)}
    alone = sum(t.clause == hit.clause for t in a.types) == 1
    same = [c for c in same if id(c) not in weak or not _qualifies_another_noun(lex, a, c, hit)]
    pool = [c for c in same if id(c) not in weak or _distance(c, hit) <= WEAK_REACH or (alone and _ends_clause(a, c))] or [c for c in other if id(c) not in weak]
    recounted = {c.clause for c in pool if c.clause != hit.clause and lex.background.search(a.sentence.norm[c.clause])}
    best = min(pool, key=lambda c: (id(c) in weak, c.clause in recounted, _distance(c, hit))) if pool else None
    return _turned_after(lex, a, best, [c for c in fit if id(c) not in weak and (c.clause == hit.clause or c.clause not in typed)]) if best else None


ABSENT = Cue("absent", Status.CANCELLED, re.compile(r"(?!)"), negative=True)
"""The cue of an event said not to be at all (``Lexicon.absent``)."""


def _absent(lex: Lexicon, a: Analysis, hit: TypeHit) -> CueHit | None:
    """"There will be no Oktoberfest this year", "wird es kein Oktoberfest geben": the
    event is called off, whatever the future around it says."""
    found = lex.absent.search(a.sentence.norm[hit.clause], 0, hit.start)
    return CueHit(hit.clause, found.start(), found.end(), ABSENT) if found else None


def _turned_after(lex: Lexicon, a: Analysis, cue: CueHit, fit: list[CueHit]) -> CueHit:
    """The last cue told as a later turn than ``cue`` ("was delayed, and then cancelled",
    "zunächst verschoben und dann abgesagt"), else ``cue``: the event's status now."""
    for later in sorted(fit, key=lambda c: (c.clause, c.start), reverse=True):
        if (later.clause, later.start) <= (cue.clause, cue.end):
            break
        clause = a.sentence.norm[later.clause]
        since = cue.end if later.clause == cue.clause else 0
        if later.cue.status != cue.cue.status and lex.sequence_words.search(clause[since : later.start]):
            return later
    return cue


def _governs(lex: Lexicon, a: Analysis, cue: CueHit, hit: TypeHit) -> bool:
    """Whether a status noun is of the event word right after it ("Verschiebung der
    Visite", "postponement of the visit"): an of-word, then at most two more words."""
    if cue.clause != hit.clause or not 0 < hit.start - cue.end <= GOVERNS:
        return False
    gap = a.sentence.norm[cue.clause][cue.end : hit.start].split()
    return bool(gap) and gap[0] in lex.of_words and len(gap) <= 3


def _ends_clause(a: Analysis, cue: CueHit) -> bool:
    """Whether a cue is the last word of its clause: the participle that closes a German
    clause ("Weitere Konzerte sind am 11. April in Oberhausen geplant") speaks of the
    clause's subject however far it stands from it."""
    return not a.sentence.norm[cue.clause][cue.end :].strip(" .,;:!?)\"'")


def _qualifies_another_noun(lex: Lexicon, a: Analysis, cue: CueHit, hit: TypeHit) -> bool:
    """Whether a weak attributive cue ("planned", "upcoming", "geplante") before the event
    word stands with another noun: a preposition
    between them ("a planned attack on a Taylor Swift concert", "der geplante Anschlag auf
    das Konzert") puts the event word in that noun's phrase, and the plan is the other's."""
    clause = a.sentence.norm[cue.clause]
    if cue.end > hit.start or not lex.attributive_cues.fullmatch(clause[cue.start : cue.end]):
        return False
    return not lex.preposition_words.isdisjoint(clause[cue.end : hit.start].split())


ATTRIBUTE_GAP = 2
"""Words an attributive participle may stand before its event word ("the delayed
presidential election")."""


def _attributive(lex: Lexicon, a: Analysis, cue: CueHit, hit: TypeHit) -> bool:
    """A participle of a turn that qualifies the event word after a determiner ("the
    delayed presidential election", "die verschobene Wahl", "Nigeria's delayed vote")
    describes the event's past, as "the planned visit" does its plan: a weak cue, so the
    sentence's own claim wins ("sets March 24 as the new date for the delayed election")."""
    if cue.clause != hit.clause or cue.end > hit.start or cue.cue.status not in CALLED_OFF:
        return False
    low = a.sentence.norm[cue.clause]
    gap = low[cue.end : hit.start].split()
    before = low[: cue.start].split()[-1:]
    if gap and gap[0] in lex.of_words:
        return False  # a status noun the event is of ("die Aussetzung des Streiks"): the claim itself
    return len(gap) <= ATTRIBUTE_GAP and bool(before) and (before[0] in lex.determiner_words or before[0].endswith(("'s", "’s")))


def _appositive(lex: Lexicon, a: Analysis, cue: CueHit) -> bool:
    """A participle opening a clause inside the sentence ("The summit, postponed last week,
    will now take place on 12 June") describes the event, as "the planned visit" does: a
    weak cue, so the sentence's own claim wins. After a description set off by commas
    ("Organisers of the festival, which drew 200,000 people last year, cancelled this
    year's event") the participle is the sentence's own verb, resumed."""
    opening = lex.appositive.match(a.sentence.norm[cue.clause]) if cue.clause > 0 else None
    if opening is None or cue.start >= opening.end():
        return False
    return not (cue.clause >= 2 and lex.apposition_starts.match(a.sentence.norm[cue.clause - 1]))


def _in_passing(lex: Lexicon, a: Analysis, cue: CueHit) -> bool:
    """A cue named as the circumstance of something else ("Nach Verschiebungen ...
    gestartet", "despite the delay", "following the cancellation"; a status noun also with
    a name between: "after the Hurricane Sandy cancellation") is no claim of its own."""
    start = max(0, cue.start - 30)
    if lex.in_passing.search(a.sentence.norm[cue.clause][start : cue.start]):
        return True
    return cue.cue.spec in lex.in_passing_nouns and bool(lex.in_passing_named.search(a.sentence.cased[cue.clause][start : cue.start]))


def _place(doc: Document, a: Analysis, hit: TypeHit, cue: CueHit | None, sides: list[str] = ()) -> str | None:
    """Where an event is: the place of its own clause, else of its cue's, else of a short
    clause of the sentence (not a dateline's). A seat of government named bare, its
    country a side ("prompted Tehran to resume negotiations with Washington"), is that
    government (``_government_named``), not the venue."""
    typed = {t.clause for t in a.types}
    order = [hit.clause] + ([cue.clause] if cue and cue.clause not in typed else [])
    order += [i for i, c in enumerate(a.sentence.norm) if i not in typed and i != a.source_clause and i not in order and len(c.split()) <= 3 and not (i == 0 and _DATELINE.match(a.sentence.text))]
    for ci in order:
        taken = [(e.start, e.end) for e in a.entities if e.clause == ci and (e.entity.kind not in ("person", "country") or _demonym(doc, a, e))] + _causes(doc.lex, a, ci)
        taken += [(start, end) for clause, start, end in a.source_spans if clause == ci and not any(t.clause == ci and start <= t.start < end for t in a.types)]  # "the Kremlin said": who speaks, not where
        for _ in range(PLACES_PER_CLAUSE):
            place = place_in(doc.lex, a.sentence.cased[ci], doc.places(a.sentence.index)[ci], taken)
            if place is None or _government_named(doc, a.sentence.cased[ci], place, sides):
                break
            if _nearest_type(a, ci, place[1]) in (None, hit):
                return place[0]
            taken.append((place[1], place[1] + len(place[0])))  # another event word's: "Auftritte in Hamburg sowie die Konzerte in Köln"
    return None


PLACES_PER_CLAUSE = 4
"""Places of one clause tried for an event word, surest first: each event word of a
clause that names several ("neben dem Auftritt in der Leipziger Arena auch Auftritte in
Hamburg sowie die Konzerte in Köln") takes the one nearest it, not the clause's surest."""


_WORD_AFTER = re.compile(r"\S*\s+(?P<word>[\w'’-]+)")


def _government_named(doc: Document, cased: str, place: tuple[str, int], sides: list[str]) -> bool:
    """Whether a seat of government stands for its country, one of the event's sides: named
    bare (no place word before it: "in", "nach") and going on as a clause's subject or
    object does, a lower-case word after it that is no event word ("prompted Tehran to
    resume negotiations", "Moskau lehnt die Gespräche ab"). News prose names a government
    by its capital; the talks are not in Tehran. A city that qualifies the event ("the
    Tokyo Paralympics") or ends a place phrase ("southeast of Paris.") is a place."""
    name, start = place
    country = doc.gaz.country_of.get(name)
    rules = doc.lex.names
    if name not in doc.gaz.seats or country is None or country not in sides or rules is None:
        return False
    after = _WORD_AFTER.match(cased, start)
    word = after.group("word") if after else ""
    if not word.islower() or rules.is_event_word(word):
        return False
    return rules.venue_before.search(cased, max(0, start - 60), start) is None


_DATELINE = re.compile(r"\s*[A-ZÄÖÜ][\w'’. -]{1,30}?(?:,[^()]{0,30})?\s*\([A-Za-z][\w./ -]{0,24}\)")
"""A dateline opening a text: the place the report was written, then its agency ("Berlin
(AFP)", "LONDON, April 11 (Reuters)"). Its place is no event's venue."""


def _mediator(lex: Lexicon, sentence: Sentence, e: EntityHit) -> bool:
    """Whether a name is one of the mediators the sentence names ("talks between Israel and
    Hamas, mediated by Qatar, Egypt and the United States", "unter der Vermittlung des
    Golfstaats Oman", "Saudi, US and African mediators", "Oman vermittelt"): whoever
    mediates between the sides is none of them. The list may run on over the commas that
    split the sentence's clauses."""
    rules = lex.names
    if rules is None or not any(stem in clause for clause in sentence.norm for stem in rules.mediator_stems):
        return False
    before = ", ".join(sentence.cased[: e.clause] + (sentence.cased[e.clause][: e.start],))
    after = ", ".join((sentence.cased[e.clause][e.end :],) + sentence.cased[e.clause + 1 :])
    return rules.mediator_before.search(before) is not None or rules.mediator_after.match(after) is not None


HOST_PLACES = frozenset({"country", "region", "name"})
"""Kinds of name whose hosting makes them a place: a land, a region, a name of unknown
kind ("Montreal"); a person or a body that hosts a show presents it ("Taylor Swift will
host the Grammy Awards ceremony") and takes part."""


def _hosts(lex: Lexicon, sentence: Sentence, e: EntityHit) -> bool:
    """Whether a place is written as the host of what follows it (``host_words``: "Montreal
    will now play host to the first concert", "announced Brazil as the new hosts of the
    Copa América"): where a performance or a competition is held, no side of it."""
    return e.entity.kind in HOST_PLACES and lex.names is not None and lex.names.host_after.match(sentence.norm[e.clause], e.end) is not None


def _host_named(lex: Lexicon, a: Analysis, hit: TypeHit) -> str | None:
    """The country, region or unknown name the event word's clause writes as its host
    ("Pakistan will host the tournament", "Montreal will play host to the concert"):
    where the event is held, as a place preposition would say."""
    return next((e.entity.name for e in a.entities if e.clause == hit.clause and e.end <= hit.start and _hosts(lex, a.sentence, e)), None)


def _town_of(doc: Document, a: Analysis, e: EntityHit) -> bool:
    """Whether a country's adjective stands right before a word for a town (``town_nouns``:
    "talks in the Saudi city of Jeddah", "in der saudischen Hafenstadt Dschidda"): it says
    where the town lies, as a place preposition would, and is no side of the event."""
    rules = doc.lex.names
    return rules is not None and _demonym(doc, a, e) and rules.town_after.match(a.sentence.cased[e.clause], e.end) is not None


def _demonym(doc: Document, a: Analysis, e: EntityHit) -> bool:
    """Whether a country is named by its adjective ("the French presidential runoff"):
    the country's, never a place of its own ("in the French ...")."""
    return e.entity.kind == "country" and doc.gaz.demonym.fullmatch(a.sentence.cased[e.clause][e.start : e.end].lower()) is not None


def _causes(lex: Lexicon, a: Analysis, ci: int) -> list[tuple[int, int]]:
    """The phrases of cause in a clause, each up to the next event word or status cue or
    the clause's end ("postponed because of protests in France", "wegen der Proteste in
    Frankreich wurde der Staatsbesuch ...", "because the Pope needs rest"): a place in one
    is where the cause is, not where the event is; a name in one is what caused it, no
    side of it ("Wegen einer Erkrankung | verschiebt Sting" ends at the cue). A German
    finite verb ends one too: the subject after it is no cause ("Angesichts der Unruhen |
    hat Präsident Macron seinen Staatsbesuch abgesagt")."""
    if lex.names is None:
        return []
    low = a.sentence.norm[ci]
    ends = sorted(h.start for h in (*a.types, *a.cues) if h.clause == ci)
    out = []
    for m in lex.names.causes.finditer(low):
        end = next((e for e in ends if e >= m.end()), len(low))
        verb = lex.names.cause_ends.search(low, m.end(), end)
        out.append((m.start(), verb.start() if verb else end))
    return out


CALLED_OFF = frozenset({Status.CANCELLED, Status.POSTPONED, Status.ON_HOLD})
CAUSE_GAP = 4
"""Words a cause word may stand before the event word it names ("because of the planned
G20 summit", "wegen des Streiks")."""


def _a_cause(lex: Lexicon, a: Analysis, hit: TypeHit) -> bool:
    """Whether an event word is what a phrase of cause names ("postponed because of the
    strike", "wegen des G20-Gipfels verschoben"): the call-off or delay the clause tells
    is the other event's; the cause itself is on, planned ("wegen des Streikaufrufs für
    Donnerstag") or under way ("flights were cancelled because of the strike")."""
    if lex.names is None:
        return False
    low = a.sentence.norm[hit.clause]
    for m in lex.names.causes.finditer(low, 0, hit.start):
        gap = low[m.end() : hit.start]
        if len(gap.split()) <= CAUSE_GAP and not any(h.clause == hit.clause and m.end() <= h.start < hit.start for h in (*a.types, *a.cues)):
            return True
    return False


def _coordinated(doc: Document, a: Analysis, hit: TypeHit, place: str) -> tuple[str, ...]:
    """The other places of the event word's clause joined to its place by "und"/"and"
    ("am 11. April in Oberhausen und am 13. April in Köln"), in the order named; places
    named as two sides ("between Chicago and Detroit") are none."""
    ci = hit.clause
    cased = a.sentence.cased[ci]
    sides = list(names.side_spans(doc.lex.names, cased)) if doc.lex.names is not None else []
    found = [(p.start, p.end, p.name) for p in doc.places(a.sentence.index)[ci] if not any(s <= p.start < e for s, e in sides)]
    taken = sides + [(start, end) for start, end, _ in found]
    while len(found) < 4 and (unknown := names.open_place(doc.lex, cased, taken)) is not None:
        name, start = unknown
        found.append((start, start + len(name), name))
        taken.append((start, start + len(name)))
    found.sort()
    low = a.sentence.norm[ci]
    words = [t.start for t in a.types if t.clause == ci and t is not hit]
    runs: list[list[tuple[int, int, str]]] = []
    for f in found:  # places joined by "und"/"and", with no other event word between: one list
        if runs and doc.lex.and_words.intersection(low[runs[-1][-1][1] : f[0]].split()) and not any(runs[-1][-1][1] <= w < f[0] for w in words):
            runs[-1].append(f)
        else:
            runs.append([f])
    joined = next((r for r in runs if any(name == place for _, _, name in r)), runs[0] if runs else [])  # the event word's own place's list
    if joined and joined is runs[-1] and not cased[joined[-1][1] :].strip(_ASIDE_CHARS):
        joined += [(0, 0, name) for name in _listed_on(doc, a, ci)]
    places = list(dict.fromkeys(name for _, _, name in joined))
    return tuple(p for p in places if p != place) if place in places and len(places) > 1 else ()


_ASIDE_CHARS = " .,;:!?()[]"


def _listed_on(doc: Document, a: Analysis, ci: int) -> list[str]:
    """The places of an enumeration that goes on past the clause a place list ends
    ("in Leipzig, Köln und Oberhausen"; "in Vienna, Munich and Berlin were cancelled"):
    each following clause one place (the preposition before the first governs them all,
    so a place no list holds counts), one-word asides ("Leipzig (Montag), Köln") passed
    over, up to the member joined by "und"/"and", after which the sentence goes on. A
    list that never reaches its "and" is no enumeration."""
    return _list_after(doc, a, ci)[0]


def _list_after(doc: Document, a: Analysis, ci: int) -> tuple[list[str], int]:
    """``_listed_on``, and the clause the walk stopped at: the list's last, or the one
    that ended it."""
    out: list[str] = []
    for cj in range(ci + 1, len(a.sentence.cased)):
        cased = a.sentence.cased[cj]
        words = cased.split()
        last = bool(words) and words[0].lower() in doc.lex.and_words
        member = _list_member(doc, a, cj, len(words[0]) + 1 if last else 0)
        if member is None:
            if len(words) == 1 and not last:
                continue  # an aside: a weekday, a date
            return [], cj
        out.append(member[0])
        rest = cased[member[1] :]
        if last:
            return out, cj
        if rest.strip(_ASIDE_CHARS):
            tail = rest.split()
            joined = tail[0].lower() in doc.lex.and_words and (final := _list_member(doc, a, cj, member[1] + rest.index(tail[0]) + len(tail[0]) + 1))
            return (out + [final[0]] if joined else []), cj
    return [], len(a.sentence.cased)


def _listed_places(doc: Document, a: Analysis) -> set[str]:
    """The places an enumeration names past the clause its place list ends in
    (``_listed_on``): its members are places, never participants."""
    out: set[str] = set()
    ci, clauses = 0, a.sentence.cased
    while ci < len(clauses) - 1:
        places = doc.places(a.sentence.index)[ci]
        if places and not clauses[ci][max(p.end for p in places) :].strip(_ASIDE_CHARS):
            members, ci = _list_after(doc, a, ci)  # each clause walked once: a list's members end no list of their own
            out.update(members)
        else:
            ci += 1
    return out


def _list_member(doc: Document, a: Analysis, cj: int, start: int) -> tuple[str, int] | None:
    """The place a clause names at ``start``, and where it ends: a known place, or a
    proper name read as a place after the list's preposition."""
    for p in doc.places(a.sentence.index)[cj]:
        if p.start == start:
            return p.name, p.end
    member = a.sentence.cased[cj][start:]
    found = names.open_place(doc.lex, "in " + member, []) if member.strip() else None
    return (found[0], start + len(found[0])) if found is not None and found[1] == 3 else None


NAME_TO_WORD = 2
"""Lower-case words between coordinated names and the event word after them that still
make the names its own ("the Coachella and Stagecoach music festivals")."""


def _coordinated_names(lex: Lexicon, a: Analysis, hit: TypeHit, names: list[str]) -> tuple[str, ...]:
    """The event's names joined by "and"/"und" right before its word ("Coachella and
    Stagecoach Festival", "the X and Y music festivals") or right after it ("the
    festivals Coachella and Stagecoach"), in the order named: for an event known by
    its own name, each is an edition of its own. Names sharing the event word inside the
    last one are parallel: no longer than its head ("Coachella and Stagecoach Festival";
    "Coachella Valley Music and Arts Festival" is one name). Names farther from the word
    (organisers, the county that orders a call-off) are none of them."""
    low = a.sentence.norm[hit.clause]
    hits = sorted((e for e in a.entities if e.clause == hit.clause and e.entity.name in names), key=lambda e: e.start)
    chains: list[list[EntityHit]] = []
    for ent in hits:
        gap = low[chains[-1][-1].end : ent.start].split() if chains else []
        if chains and gap and gap[0] in lex.and_words and lex.determiner_words.issuperset(gap[1:]):
            chains[-1].append(ent)
        else:
            chains.append([ent])
    for chain in chains:
        first, last = chain[0], chain[-1]
        cased = a.sentence.cased[hit.clause]
        shared = hit.start < last.end and all(len(cased[e.start : e.end].split()) <= len(cased[last.start : hit.start].split()) for e in chain[:-1])
        before = last.start <= hit.start and (shared or (last.end <= hit.start and _lower_words(cased[last.end : hit.start], NAME_TO_WORD)))
        after = hit.end <= first.start and lex.determiner_words.issuperset(low[hit.end : first.start].split())
        if len(chain) > 1 and (before or after):
            return tuple(dict.fromkeys(e.entity.name for e in chain))
    return ()


def _shared_head(doc: Document, a: Analysis, hit: TypeHit, names: list[str]) -> tuple[str, ...]:
    """Two events known by name that share the head of the second's name ("the Olympic
    and Paralympic Games", "die Olympischen und Paralympischen Spiele"): the first word
    with that head names the other event when the gazetteer knows it, and the event
    word stands among them."""
    cased = a.sentence.cased[hit.clause]
    for ent in a.entities:
        words = cased[ent.start : ent.end].split()
        if ent.clause != hit.clause or ent.entity.name not in names or len(words) < 2:
            continue
        first = _CONJUNCT.search(cased, 0, ent.start)
        if first is None or first.group("and").lower() not in doc.lex.and_words or not first.start() <= hit.start < ent.end:
            continue
        candidate = f"{first.group('word')} {' '.join(words[1:])}"
        known = [h.entity.name for h in gazetteer_hits(doc.gaz, (candidate,), (candidate.lower(),)) if h.start == 0 and h.end == len(candidate)]
        if known and known[0] != ent.entity.name:
            return (known[0], ent.entity.name)
    return ()


_CONJUNCT = re.compile(r"(?P<word>[A-ZÄÖÜ][\w-]*)\s+(?P<and>\w+)\s+$")


def _lower_words(gap: str, limit: int) -> bool:
    """Whether a gap holds at most ``limit`` words, all lower case (modifiers of a noun)."""
    words = gap.split()
    return len(words) <= limit and all(w[:1].islower() for w in words)


def _nearest_type(a: Analysis, clause: int, start: int) -> TypeHit | None:
    """The event word of a clause closest to a position: a place belongs to that event."""
    here = [t for t in a.types if t.clause == clause]
    return min(here, key=lambda t: min(abs(t.start - start), abs(t.end - start))) if here else None


def _drafts(doc: Document, a: Analysis) -> list[Draft]:
    """Status claims of one sentence: one per event word with a cue, or one anaphoric."""
    out = []
    lex = doc.lex
    for hit, frame in zip(a.types, frames(doc, a.sentence.index), strict=True):
        cue = _absent(lex, a, hit) or _cue_for(lex, a, hit)
        if cue is not None and not (cue.cue.status in CALLED_OFF and _a_cause(lex, a, hit)):
            out += _claim(doc, a, frame, cue, {hit.clause, cue.clause})
        out += _recounted_turn(doc, a, hit, frame, cue)
    if not out and a.types and (turn := _affected(doc, a)) is not None:
        out += [replace(turn, frame=frame, evidence=a.sentence.text, in_lead=a.sentence.in_lead, event_date=None, confidence=round(turn.confidence * 0.9, 3), notes=[]) for frame in frames(doc, a.sentence.index) if _hit_by(frame, turn.frame)]
    anaphoric = [i for i in {0} | {c.clause for c in a.cues} if lex.anaphors.search(a.sentence.norm[i]) or lex.event_anaphors.search(a.sentence.norm[i])] if not a.types and a.cues else []
    frame = _referent(a.sentence.index, doc, any(lex.event_anaphors.search(a.sentence.norm[i]) for i in anaphoric)) if anaphoric else None
    fit = fitting(a.cues, frame.type) if frame is not None else []
    fit = [c for c in fit if not c.cue.weak]
    if frame is not None and fit and (0 in anaphoric or fit[0].clause in anaphoric):
        frame = _anaphor_edition(lex, a, frame, anaphoric)
        out += [replace(d, confidence=round(d.confidence * 0.9, 3)) for d in _claim(doc, a, frame, fit[0], {fit[0].clause})]
    return out


LAST_YEAR_REACH = 40
"""Characters before a cue in which words of last year ("one year after it was
cancelled") date the turn it tells to last year's edition."""


def _recounted_turn(doc: Document, a: Analysis, hit: TypeHit, frame: Frame, taken: CueHit | None) -> list[Draft]:
    """Last year's call-off or delay, told beside this edition's news in the event word's
    sentence ("The New York City marathon will return on Sunday, one year after it was
    cancelled", "returns one year after Hurricane Sandy cancellation"): a cue of a turn
    the event word did not take, or took only as a circumstance (``_in_passing``), right
    after words of last year (``Lexicon.last_year``), in the event word's clause or one
    without an event word, is last year's edition's turn (background, its own story)."""
    if not event_types()[frame.type].editions:
        return []
    norm, typed = a.sentence.norm, {t.clause for t in a.types}
    for c in fitting(a.cues, hit.type):
        if c is taken or (taken is not None and (c.clause, c.start) == (taken.clause, taken.start)) or c.cue.status not in CALLED_OFF or c.cue.weak:
            continue
        if (c.clause != hit.clause and c.clause in typed) or not doc.lex.last_year.search(norm[c.clause][max(0, c.start - LAST_YEAR_REACH) : c.start]):
            continue
        told = replace(frame, edition=frame.edition if frame.edition is not None and frame.edition != NEXT else None)
        recounted = _recounted_edition(doc, told, norm[c.clause][: c.start])
        return [replace(d, frame=recounted, background=True, event_date=None) for d in _claim(doc, a, recounted, c, {c.clause})]
    return []


AFFECTED_REACH = 2
"""Sentences before a list of what a turn hits ("Betroffen sind ...") in which that turn is told."""


def _affected(doc: Document, a: Analysis) -> Draft | None:
    """The turn a sentence that lists what it hits ("Betroffen sind die Konzerte in Köln
    (Mittwoch) und Oberhausen (Donnerstag)", "Affected are the concerts in Dublin") takes
    from the two sentences just before: the latest claim there of its events' family or of
    a series they are part of (``EventType.part_of``), neither recounted nor hedged. Such a list names the events a delay or call-off
    told in general ("verschiebt vier seiner Konzerte in Deutschland") falls on, each
    with its place, and says no status of its own."""
    lex = doc.lex
    listing = next((c for c in a.sentence.norm if lex.affected.search(c)), None)
    if listing is None or lex.negations.search(listing):
        return None  # "Betroffen sind die Konzerte in Köln nicht": spared, not hit
    types = event_types()
    families = {f for t in a.types for f in (types[t.type].family, *types[t.type].part_of)}
    for i in range(a.sentence.index - 1, max(-1, a.sentence.index - AFFECTED_REACH - 1), -1):
        if doc.is_typed(i) and doc.cues(i):
            told = [d for d in _drafts(doc, _analysis(doc, i)) if types[d.frame.type].family in families and not d.background and d.modality is None]
            if told:
                return told[-1]
    return None


def _hit_by(frame: Frame, turned: Frame) -> bool:
    """Whether a turn of ``turned`` falls on ``frame``: one family, or ``turned`` the
    series ``frame`` is one of (``EventType.part_of``)."""
    types = event_types()
    return _same_family(frame, turned) or types[turned.type].family in types[frame.type].part_of


def _anaphor_edition(lex: Lexicon, a: Analysis, frame: Frame, clauses: list[int]) -> Frame:
    """The event an anaphor refers to, with the edition the anaphor names ("The 2021
    edition has been postponed", of the race named before): its own, not the one named
    before (last year's, or none)."""
    if not event_types()[frame.type].editions:
        return frame
    edition = next((n for i in sorted(clauses) if (n := _counted_edition(lex, a.sentence.cased[i], frame.type, (0, 0))) is not None), None)
    return frame if edition is None else replace(frame, edition=edition)


def _referent(index: int, doc: Document, generic: bool = False) -> Frame | None:
    """The event an anaphoric sentence ("Dies sei ... geplant") refers to: the last one
    named within ``WINDOW`` sentences before (at the article's start, after), else, for
    a sentence of the lead or a definite generic event noun (``generic``: "the event",
    "die Veranstaltung"), the article's main event (``Document.main_event_sentence``)."""
    before = [f for i in range(index - 1, index - WINDOW - 1, -1) if i >= 0 for f in reversed(frames(doc, i))]
    after = [f for i in range(index + 1, index + WINDOW + 1) if i < len(doc.sents) for f in frames(doc, i)] if index < WINDOW else []
    main = doc.main_event_sentence() if generic or doc.sents[index].in_lead else None
    return (before or after or (frames(doc, main)[:1] if main is not None else []) or [None])[0]


def _claim(doc: Document, a: Analysis, frame: Frame, cue: CueHit, clauses: set[int]) -> list[Draft]:
    """The claim a cue makes about an event, or nothing when it asserts none: floated
    ideas, threats and demands before the cue in its clause ("threatened to cancel",
    "fordert die Absage"), and a condition in a clause before it ("if the talks fail, ...")."""
    lex = doc.lex
    s = a.sentence
    text = " ".join(s.norm[c] for c in sorted(clauses))
    clause = s.norm[cue.clause]
    if lex.floated.search(text) or lex.not_claims.search(clause[: cue.start]) or lex.not_claims_after.search(clause[cue.end :]) or any(lex.conditions.match(s.norm[i]) for i in range(cue.clause)):
        return []
    if cue.clause > 0 and lex.complementizers.match(clause) and lex.not_claims.search(s.norm[cue.clause - 1]):
        return []  # "Hofer forderte, dass die Wahl wie geplant stattfindet": a demand
    status: Status | None = cue.cue.status
    negated = not cue.cue.negative and _negates(lex, clause[max(0, cue.start - 25) : cue.end], cue.end - cue.start)
    if negated:
        status = None if cue.cue.negation_drops else Status.CANCELLED if cue.cue.negation_cancels else lex.negation_flip.get(cue.cue.status, cue.cue.status)
        if status is None:
            return []
        if status == Status.CANCELLED and not event_types()[frame.type].recurring and lex.time_expressions.search(clause):
            status = Status.POSTPONED  # "wird nicht im Jahr 2017 stattfinden": off that date, not off
    counterfactual = status in (Status.TOOK_PLACE, Status.PLANNED) and not negated and bool(lex.counterfactual.search(clause))
    if counterfactual:
        status = Status.PLANNED  # "hätte ab 19. September stattgefunden": the plan it had, recounted
    elif status == Status.TOOK_PLACE and not negated and _prospect(lex, clause, cue):
        status = Status.PLANNED  # "will cast their ballots", "streiken ab Donnerstag": an outcome to come
    if status in (Status.PLANNED, Status.ON_HOLD) and not counterfactual and lex.later_than_planned.search(text):
        status = Status.POSTPONED  # "soll später als bisher geplant stattfinden", "wird nicht wie geplant eröffnen": a delay
    hedge = _hedge(doc, a, clauses)
    asks = lex.questions.search(s.norm[-1]) is not None and lex.presupposing.match(s.norm[0]) is None
    modality = "question" if asks else hedge
    typed = {t.clause for t in a.types}
    own = {c.clause for c in a.cues} - clauses  # a clause with a cue of its own recounts for itself
    context = text + " " + " ".join(c for i, c in enumerate(s.norm) if i not in typed and i not in own)
    background = bool(lex.background.search(context)) or any(bool(lex.background.search(s.norm[i])) for i in clauses) or _earlier_year(_with_time_adverbial(lex, s.norm, clauses, typed), doc.published)
    background = background or counterfactual or (status == Status.PLANNED and bool(lex.background_planned.search(context)))
    past = background or status == Status.TOOK_PLACE
    when = next((d for i in sorted(clauses) if (d := event_date(lex, _with_apposition(s.norm, i, a.source_clause), doc.published, past))), None)
    days = _days(doc, frame, s.norm, past)
    when = days[0] if days else when
    moved_to = bool(lex.new_date.search(text)) and not lex.old_date.search(text)  # the date is the new one: ahead, whatever its year
    background = background or (_turn_of_a_past_date(status, when, doc.published) and not moved_to)
    background = background or (status == Status.TOOK_PLACE and when is None and earlier_month(lex, context, doc.published))  # "approved the bill in August"
    background = background or (status in (Status.CANCELLED, Status.POSTPONED) and when is None and not moved_to and earlier_month(lex, text, doc.published))  # "für vergangenen Oktober geplant, wurde dann abgesagt"
    if cue.cue.dated and not _ahead(lex, text, when, doc.published, negated, bool(lex.future_tense.search(clause[: cue.start]))):
        return []  # a date names a plan only while it lies ahead
    confidence = (0.8 + (0.15 if s.in_lead else 0.0)) * (0.3 if modality == "question" else 0.4 if modality else 1.0)
    if background:
        frame = _recounted_edition(doc, frame, _with_time_adverbial(lex, s.norm, clauses, typed))
    draft = Draft(frame, status, clause[cue.start : cue.end], s.text, negated, modality, _source(doc, a, text), background, s.in_lead, when, round(confidence, 3), days=days)
    return [draft] + _last_edition_too(doc, draft, context)


def _days(doc: Document, frame: Frame, norm: list[str], past: bool) -> tuple[date, ...]:
    """The days a claim's sentence coordinates, for a kind held on one day
    (``EventType.per_day``: "Schon Dienstag und Mittwoch musste sie ihre Auftritte
    absagen", "the shows on 3 and 10 March"), read across its clauses, as a list's commas
    split them ("Die Konzerte am Freitag, Samstag und Sonntag ...")."""
    if not event_types()[frame.type].per_day:
        return ()
    return tuple(event_days(doc.lex, ", ".join(norm), doc.published, past))


def _last_year(doc: Document) -> str | None:
    """The year before the article's, as an edition ("2020" in 2021)."""
    return None if doc.published is None else str(doc.published.year - 1)


def _recounted_edition(doc: Document, frame: Frame, text: str) -> Frame:
    """A recounted turn of a numbered kind dated to an earlier year befell that year's
    edition: "In 2020 Oktoberfest was cancelled", "after last year's tournament did not
    take place", "Bereits das im vergangenen Jahr geplante Festival war gestrichen
    worden", in a report of this year's, are last year's call-offs (``Lexicon.last_year``,
    or a year before the article's as their time, ``Lexicon.year_of``), a story of their
    own, not this one's turn."""
    if frame.edition is not None or not event_types()[frame.type].editions or doc.published is None:
        return frame
    years = [int(m.group("year")) for m in doc.lex.year_of.finditer(text)]
    if years and max(years) < doc.published.year:
        return replace(frame, edition=str(max(years)))
    return replace(frame, edition=_last_year(doc)) if doc.lex.last_year.search(text) else frame


def _last_edition_too(doc: Document, draft: Draft, text: str) -> list[Draft]:
    """The same turn for last year's edition, when the claim says it befalls the event
    again (``Lexicon.repeated``, in the claim's clauses or one without an event word or a
    cue of its own: "muss zum zweiten Mal in Folge ausfallen", "For the second year in a
    row, organizers of the Glastonbury Festival have been forced to cancel the event"): a
    recounted call-off or delay of that edition, beside this one's news."""
    frame = draft.frame
    if draft.background or draft.status not in CALLED_OFF or not event_types()[frame.type].editions or not doc.lex.repeated.search(text):
        return []
    year = str(int(frame.edition) - 1) if year_edition(frame.edition) else _last_year(doc) if frame.edition is None else None
    if year is None:
        return []
    return [replace(draft, frame=replace(frame, edition=year), status=REPEATED_AS[draft.status], background=True, event_date=None, notes=[])]


REPEATED_AS = {Status.CANCELLED: Status.CANCELLED, Status.POSTPONED: Status.POSTPONED, Status.ON_HOLD: Status.CANCELLED}
"""Last year's status, of a turn said to befall an event again: a call-off or delay is
the same; a doubt that it takes place "for the second year in a row" says last year's did
not take place."""


PROSPECT_REACH = 80
"""Characters before a cue in which a future or a wish ("will", "hopes to", "soll")
makes the outcome it states one to come."""

def _prospect(lex: Lexicon, clause: str, cue: CueHit) -> bool:
    """Whether an outcome is one to come: a future or a wish before it ("will cast their
    ballots", ``prospective``), or a time ahead before it or after it up to the next
    coordinated verb ("Am kommenden Montag streiken die Lokführer", "streiken ab
    Donnerstag"; ``future_times``). "beat Dortmund and face Real next week" keeps its
    result."""
    before = clause[max(0, cue.start - PROSPECT_REACH) : cue.start]
    after = lex.clause_joins.split(clause[cue.end :], maxsplit=1)[0]
    return bool(lex.prospective.search(before) or lex.future_times.search(before) or lex.future_times.search(after))


DATED_HORIZON = 183
"""Days ahead a date without a year may name a plan: "am 12. Juni" in an article of 20
June is last week's (recounted), not next year's."""
FUTURE_HORIZON = 366
"""Days ahead such a date may lie after a future ("will hold a presidential election on
May 29", in October: next May's)."""


def _ahead(lex: Lexicon, text: str, when: date | None, published: date | None, negated: bool, future: bool = False) -> bool:
    """Whether a date after an event word names it as planned: it lies ahead of the
    article (within ``DATED_HORIZON`` days, ``FUTURE_HORIZON`` after a ``future`` tense,
    unless it names its year), the claim is not negated and its clause does not recount
    ("war", "was")."""
    if negated or when is None or published is None or when <= published or lex.past_markers.search(text):
        return False
    return bool(_YEAR.search(text)) or (when - published).days <= (FUTURE_HORIZON if future else DATED_HORIZON)


APPOSITION_WORDS = 4
"""A clause this short after a claim's clause is an apposition of it ("on Tuesday, December 11")."""


def _with_apposition(clauses: list[str], i: int, source_clause: int | None = None) -> str:
    """A claim's clause with a short clause after it: "will be held on Tuesday, December
    11" is dated by the day and month the comma sets apart, not by the next Tuesday. A
    short clause that says who speaks ("..., the palace said today") dates the saying,
    not the event: it is no apposition."""
    after = clauses[i + 1] if i + 1 < len(clauses) and i + 1 != source_clause else ""
    return f"{clauses[i]} {after}" if after and len(after.split()) <= APPOSITION_WORDS else clauses[i]


RECOUNTED_TURN_DAYS = 14
"""A delay or call-off of a date this long before the article is an earlier turn."""


def _turn_of_a_past_date(status: Status, when: date | None, published: date | None) -> bool:
    """A delay or call-off of a date weeks before the article recounts an earlier turn
    ("the marathon was postponed from April 20 to Sept. 14", in a May report that it is
    now cancelled): the article's news is another claim."""
    if status not in (Status.POSTPONED, Status.CANCELLED) or when is None or published is None:
        return False
    return when < published - timedelta(days=RECOUNTED_TURN_DAYS)


def _negates(lex: Lexicon, window: str, cue_length: int) -> bool:
    """Whether a negation before a cue (or inside it) turns it. A determiner between the
    negation and the cue puts the cue in a noun phrase of its own, outside the negation's
    scope ("gave no reason for the cancellation", "keine Begründung für die Absage")."""
    cue_start = len(window) - cue_length
    for match in lex.negations.finditer(window):
        between = window[match.end() : cue_start].split()
        if not lex.determiner_words.intersection(between):
            return True
    return False


def _hedge(doc: Document, a: Analysis, clauses: set[int]) -> str | None:
    """The hedge word of a claim ("könnte", "may"), if any. A hedge written with a capital
    inside its clause is a name ("Theresa May"), not a hedge; an adjective of another
    noun hedges that noun, not the claim."""
    s = a.sentence
    for ci in sorted(clauses):
        for match in doc.lex.hedges.finditer(s.norm[ci]):
            if match.start() != 0 and s.cased[ci][match.start() : match.start() + 1].isupper():
                continue
            if doc.lex.hedge_adjectives.fullmatch(match.group(0)) and not _hedges_event(a, ci, match.end()):
                continue
            return match.group(0)
    return None


HEDGED_NOUN_REACH = 12
"""Characters between a hedge adjective and the event word it qualifies ("ein mögliches
neues Treffen")."""


def _hedges_event(a: Analysis, clause: int, end: int) -> bool:
    """Whether an event word follows a hedge adjective closely: the adjective qualifies
    that event, not another noun of the clause."""
    return any(t.clause == clause and 0 <= t.start - end <= HEDGED_NOUN_REACH for t in a.types)


def _with_time_adverbial(lex: Lexicon, clauses: list[str], claim: set[int], typed: set[int]) -> str:
    """A claim's clauses with the short clause that opens the sentence before them, when
    it names no event and says when (``dating_openers``): "In 2019, Liverpool beat
    Tottenham 2-0 in the final" is dated by the year the comma sets apart; "Erster
    Spielausfall seit 2011: ..." is not."""
    text = " ".join(clauses[c] for c in sorted(claim))
    first = min(claim)
    if first > 0 and 0 not in typed and len(clauses[0].split()) <= APPOSITION_WORDS and lex.dating_openers.match(clauses[0]):
        return f"{clauses[0]} {text}"
    return text


def _earlier_year(text: str, published: date | None) -> bool:
    """A claim dated to an earlier year than the article ("met in 2019 in Osaka") recounts
    another event: background, never this story's news."""
    if published is None:
        return False
    years = [int(y) for y in _YEAR.findall(text)]
    return bool(years) and max(years) < published.year


def _source(doc: Document, a: Analysis, text: str) -> str | None:
    """Who claims it: named in the sentence, else (Konjunktiv I) in one just before."""
    if a.source:
        return a.source
    if doc.lex.reported_speech.search(text):
        for i in range(a.sentence.index - 1, a.sentence.index - WINDOW - 1, -1):
            if i >= 0 and (source := doc.source(i)):
                return source
    return None


def _complete(d: Draft, doc: Document) -> Draft | None:
    """Fill missing participants and place from the context; None if still incomplete."""
    etype = event_types()[d.frame.type]
    if d.frame.other and len(d.frame.actors) < etype.min_actors:
        return None  # "four other Bundesliga games": not the events the article names
    frame = replace(d.frame, actors=list(d.frame.actors))
    lead = _not_its_destination(_lead_actors(frame, etype, doc), frame, etype, doc) if not frame.actors else None
    named = _named_before(frame, doc) if not lead and frame.definite and not frame.actors and frame.location is None else None
    main = _main_frame(doc)
    if lead:
        frame.actors = lead
    elif named is not None:
        frame.actors, frame.location = list(named.actors), named.location
        frame.edition = frame.edition or named.edition
    elif main is not None and main.sentence != frame.sentence and _same_family(main, frame) and (_weak_actors(frame, doc) or _nationals_only(frame, etype, doc, main)):
        theirs = [n for n in main.actors if _eligible_name(n, etype, doc.gaz)]  # a sub-event has sides of its own
        frame.actors = theirs if len(theirs) >= etype.min_actors else frame.actors
    wider = None if lead else _not_its_destination(_wider_frame(frame, etype, doc), frame, etype, doc)
    if wider:
        frame.actors = wider
    elif len(frame.actors) < etype.min_actors:
        frame.actors = _inherit_actors(frame, etype, doc)
        d.confidence = round(d.confidence * 0.9, 3)
    if EVENT in etype.participants and (named := _event_names(frame, doc)):
        frame.actors = named
    if frame.location is None and (frame.actors or etype.place_actor):
        frame.location = _inherit_place(frame, d.status, doc)
    if etype.place_actor and frame.location and frame.location not in frame.actors:
        frame.actors = sorted(frame.actors + [frame.location])  # the host names the edition: "the Tokyo Olympics"
    if len(frame.actors) < etype.min_actors:
        return None
    return replace(d, frame=frame)


def _not_its_destination(names: list[str] | None, frame: Frame, etype: EventType, doc: Document) -> list[str] | None:
    """Borrowed participants without what the frame's own sentence names as where the
    event goes, for kinds whose destination is no side (``destination_no_side``): "Start
    zur ISS verschoben" borrows no "Raumstation ISS" from the next sentence ("der Startplan
    der nächsten Crew für die Internationale Raumstation ISS"), whatever the name's longer
    form there. None when nothing is left."""
    if not names or not etype.destination_no_side:
        return names
    gone = _destinations(frame, doc)
    kept = [n for n in names if not _one_of(n, gone)]
    return kept or None


def _destinations(frame: Frame, doc: Document) -> set[str]:
    """The names the frame's own sentence gives as where something goes ("zur ISS")."""
    sentence = doc.sents[frame.sentence]
    return {e.entity.name for e in doc.entities(frame.sentence) if _destination(doc.lex, sentence, e)}


def _one_of(name: str, names: set[str]) -> bool:
    """Whether a name is one of ``names`` in a longer or shorter form ("Raumstation ISS",
    "ISS")."""
    return any(name == n or name.endswith(" " + n) or n.endswith(" " + name) for n in names)


def _named_before(frame: Frame, doc: Document) -> Frame | None:
    """The event a definite event word with no participant of its own speaks of ("Das
    Radrennen Rund um Köln war für Juni geplant. Das Rennen wurde abgesagt."; "The fair
    was due to open on 4 March. The fair has been called off."): the last event of its
    family named before it, in its paragraph or within ``WINDOW`` sentences, with
    participants a reader would take for ones (not only untitled unknown names:
    ``_weak_actors``), or, for a kind its place names, with a place."""
    family = event_types()[frame.type].family
    paragraph = doc.sents[frame.sentence].paragraph
    for j in range(frame.sentence - 1, -1, -1):
        if doc.sents[j].paragraph != paragraph and frame.sentence - j > WINDOW:
            return None
        for other in reversed(frames(doc, j)):
            if event_types()[other.type].family == family and (not _weak_actors(other, doc) or (other.location and event_types()[other.type].place_actor)):
                return other
    return None


def _each_day(d: Draft) -> list[Draft]:
    """A claim about events on coordinated days, one per day (``Draft.days``)."""
    return [d] + [replace(d, event_date=day, days=()) for day in d.days[1:]]


def _each_place(d: Draft) -> list[Draft]:
    """A claim about events at coordinated places, one per place."""
    frame = d.frame
    return [d] + [replace(d, frame=replace(frame, location=place, also=())) for place in frame.also]


def _each_name(d: Draft) -> list[Draft]:
    """A claim about coordinated editions of events known by name, one per name (with the
    place that names an edition, if the event has one)."""
    frame = d.frame
    if not frame.each:
        return [d]
    kept = [n for n in frame.actors if n == frame.location and n not in frame.each]
    return [replace(d, frame=replace(frame, actors=sorted([name, *kept]), each=())) for name in frame.each]


def _main_frame(doc: Document) -> Frame | None:
    """The article's main event: the first event its headline and lead name with
    participants of its own that are not weak (worked out once per article)."""
    if "_main" not in doc.__dict__:
        lead = [f for i in doc.typed if doc.sents[i].in_lead for f in frames(doc, i) if len(f.actors) >= 2 or not _weak_actors(f, doc)]
        doc.__dict__["_main"] = lead[0] if lead else None
    return doc.__dict__["_main"]


def _same_family(a: Frame, b: Frame) -> bool:
    types = event_types()
    return types[a.type].family == types[b.type].family


def _weak_actors(frame: Frame, doc: Document) -> bool:
    """Whether a frame names no participant of its own that a reader would take for one:
    none at all, only its place ("a conference in Barcelona"), or only untitled unknown
    names ("the Omicron variant", "MeToo"). Such an
    event word in an article about an event of its family speaks of that event ("the
    derby", "die Eröffnung"); its own weak names or names merely nearby do not make it
    another one."""
    if not frame.actors:
        return True
    kinds = {e.entity.name: e.entity for e in doc.entities(frame.sentence)}
    return all(n == frame.location or ((e := kinds.get(n)) is not None and e.open and e.kind == "name") for n in frame.actors)


def _nationals_only(frame: Frame, etype: EventType, doc: Document, main: Frame) -> bool:
    """Whether a hosted event's sides are only countries, its visitor's by an adjective
    ("The Japanese royals' state visit to the UK", "der Staatsbesuch eines französischen
    Präsidenten in Deutschland"), in an article whose main event of its family names
    people: the adjective stands for the visitor the main event names, not for a
    country's visit of its own."""
    if not etype.hosted or not any((e := doc.gaz.by_name.get(n)) is None or e.kind == "person" for n in main.actors):
        return False
    hits = {e.entity.name: e for e in doc.entities(frame.sentence)}
    countries = [hits.get(n) for n in frame.actors]
    if not countries or any(e is None or e.entity.kind != "country" for e in countries):
        return False
    a = _analysis(doc, frame.sentence)
    return any(_demonym(doc, a, e) for e in countries if e is not None)


def _lead_actors(frame: Frame, etype: EventType, doc: Document) -> list[str] | None:
    """The participants of the first event of the frame's family that the headline and
    lead name with any (even untitled unknown names: "Sting-Konzert in Leipzig fällt
    aus"): an event word with no participant of its own later in the article ("Das
    Konzert soll nachgeholt werden") speaks of the story's event, whose participants the
    headline and lead name, not of whoever is named in the sentences around it (the
    arena's manager quoted, a photographer's credit), when they are salient (``_salient``)."""
    for i in doc.typed:
        if not doc.sents[i].in_lead:
            continue
        for other in frames(doc, i):
            names = [n for n in other.actors if n != other.location and _eligible_name(n, etype, doc.gaz) and _salient(n, doc)]
            if event_types()[other.type].family == etype.family and len(names) >= etype.min_actors:
                return names
    return None


def _salient(name: str, doc: Document) -> bool:
    """Whether a name of the lead is the story's: a gazetteer's name (spelt in many ways:
    "Kim Jong-un"), one a title or kind makes known ("King Charles III", "Queen Camilla"),
    or an untitled unknown name the article repeats (its headline counts); an untitled
    name met once ("People" opening a sentence) is no story's."""
    if name in doc.gaz.by_name:
        return True
    entity = doc.aliases.entities.get(name)
    if entity is not None and entity.kind != "name":
        return True
    return doc.aliases.cased().count(name) + (name in doc.title) >= 2


def _event_names(frame: Frame, doc: Document) -> list[str] | None:
    """For a kind known by its own name (a race, a fair, a festival), the name of the
    event the frame speaks of, when its own participants hold none: an organiser, a
    rider, a winner or a sponsor ("Wie die UCI bekannt gab, wird der Frühjahrsklassiker
    verschoben", "Gilbert won the race") is no edition's identity, the name is
    ("Paris-Roubaix"). The name is the article's: the first the headline and lead give
    an event of the family, else the nearest within ``WINDOW`` sentences, else the first
    event the lead names at all (an article that names several events of a kind, "the
    tournament" is the one it is about, not the one named last). None when the frame
    names an event itself, or a place of its own (another event: "the road race at the
    world championships in Martigny"), or no name is found."""
    if frame.location is not None or any(_kind_of(n, doc) == EVENT for n in frame.actors) or _name_by_event_word(frame, doc):
        return None
    family = event_types()[frame.type].family
    lead = [i for i in doc.typed if doc.sents[i].in_lead]
    for j in lead + _nearby(frame.sentence, WINDOW):
        if j >= len(doc.sents) or not doc.is_typed(j):
            continue
        named = {e.entity.name for e in doc.entities(j) if e.entity.kind == EVENT}
        for other in frames(doc, j):
            found = sorted(n for n in other.actors if n in named)
            if found and not other.each and event_types()[other.type].family == family:
                return found
    return _lead_event(doc, family)


_BY_WORD = re.compile(r"\s*(?:[\w'’-]+\s+){0,2}?$")


def _name_by_event_word(frame: Frame, doc: Document) -> bool:
    """Whether one of a frame's own names stands right by an event word of its sentence,
    at most two words apart ("its sister festival Stagecoach", "the Stagecoach
    festival"): the word names it, it is the event's own name."""
    types = doc.types(frame.sentence)
    for e in doc.entities(frame.sentence):
        if e.entity.name not in frame.actors:
            continue
        clause = doc.sents[frame.sentence].norm[e.clause]
        if any(t.clause == e.clause and (_BY_WORD.match(clause[t.end : e.start]) if t.end <= e.start else _BY_WORD.match(clause[e.end : t.start]) if e.end <= t.start else False) for t in types):
            return True
    return False


def _kind_of(name: str, doc: Document) -> str | None:
    """The kind of a participant's entity, known or open."""
    entity = doc.gaz.by_name.get(name) or doc.aliases.entities.get(name)
    return None if entity is None else entity.kind


def _lead_event(doc: Document, family: str) -> list[str] | None:
    """The first event the headline and lead name by its name, with no event word ("The
    2021 edition of Paris-Roubaix has been postponed"): the article's subject, unless
    the lead makes it a participant of an event of another family (the Games whose
    opening ceremony a sentence reports). Worked out once per article and family."""
    cache = doc.__dict__.setdefault("_lead_event", {})
    if family not in cache:
        lead = [s.index for s in doc.sents if s.in_lead]
        other = {n for i in lead if doc.is_typed(i) for f in frames(doc, i) if event_types()[f.type].family != family for n in f.actors}
        found = next((e.entity.name for i in lead for e in doc.entities(i) if e.entity.kind == EVENT and e.entity.name not in other), None)
        cache[family] = [found] if found else None
    return cache[family]


def _nearby(index: int, limit: int) -> list[int]:
    return [j for k in range(1, limit + 1) for j in (index - k, index + k) if j >= 0]


def _wider_frame(frame: Frame, etype: EventType, doc: Document) -> list[str] | None:
    """Participants of a nearby frame of the same family that names more of them (not
    one naming several editions: those are several events' names, not one's)."""
    family = etype.family
    for j in [frame.sentence] + _nearby(frame.sentence, WINDOW):
        for other in frames(doc, j) if doc.is_typed(j) and doc.named(j) else []:
            if other.each:
                continue
            allowed = {n for n in other.actors if _eligible_name(n, etype, doc.gaz)}
            if other is not frame and event_types()[other.type].family == family and set(frame.actors) < allowed and len(allowed) >= etype.min_actors:
                return sorted(allowed)
    return None


def _inherit_actors(frame: Frame, etype: EventType, doc: Document) -> list[str]:
    """Eligible participants named nearby (for role-bound types: up to ``REACH`` away)."""
    limit = REACH if etype.participants else WINDOW
    names = list(frame.actors)
    gone = _destinations(frame, doc) if etype.destination_no_side else set()
    for j in [frame.sentence] + _nearby(frame.sentence, limit):
        if j >= len(doc.sents):
            continue
        names += [
            e.entity.name for e in doc.entities(j)
            if eligible(e.entity, etype) and e.entity.name not in names and not _named_as_source(doc, j, e) and not _named_as_place(doc, e.entity)
            and not (etype.destination_no_side and (_destination(doc.lex, doc.sents[j], e) or _one_of(e.entity.name, gone)))
            and not (etype.host_no_side and _hosts(doc.lex, doc.sents[j], e)) and not _mediator(doc.lex, doc.sents[j], e)
        ]
        if len(names) >= etype.min_actors:
            break
    return sorted(set(names))


def _named_as_source(doc: Document, j: int, ent: EntityHit) -> bool:
    """Whether a name is where sentence ``j`` names who makes its claim ("Wie „Sky News“
    berichtet", "according to Reuters"): a source is no participant."""
    return doc.attribution(j)[0] is not None and any(clause == ent.clause and start <= ent.start < end for clause, start, end in doc.source_spans(j))


def _eligible_name(name: str, etype: EventType, gaz: Gazetteer) -> bool:
    entity = gaz.by_name.get(name)
    return entity is None or eligible(entity, etype) or entity.kind in ("bloc", "country")


def _inherit_place(frame: Frame, status: Status, doc: Document) -> str | None:
    """The place the article gives the same event elsewhere (a held one for held events),
    nearest first within ``REACH`` sentences (of two as near, the first by name)."""
    family = event_types()[frame.type].family
    took = status == Status.TOOK_PLACE
    mine = set(frame.actors)
    best: tuple[int, str] | None = None
    for j, other in _placed(doc):
        k = abs(j - frame.sentence)
        if k > REACH or (best is not None and (k, other.location) >= best):
            continue
        theirs = set(other.actors)
        related = (mine & theirs and (mine <= theirs or theirs <= mine)) if mine else k <= WINDOW
        if event_types()[other.type].family == family and related and (other.took_place is True) == took:
            best = (k, other.location)
    return best[1] if best else None


def _placed(doc: Document) -> list[tuple[int, Frame]]:
    """The frames of the article that name a place, worked out once per article."""
    cache = doc.__dict__.get("_placed")
    if cache is None:
        cache = doc.__dict__["_placed"] = [(j, f) for j in doc.typed if doc.named(j) for f in frames(doc, j) if f.location]
    return cache


def _mention(d: Draft, doc: Document) -> EventMention:
    etype = event_types()[d.frame.type]
    return EventMention(
        type=d.frame.type,
        actors=sorted({doc.aliases.resolve(a) for a in d.frame.actors}),
        location=d.frame.location,
        event_date=_in_edition_year(d.event_date, d.frame.edition, d.evidence),
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
        edition=d.frame.edition,
    )


def _next_editions(mentions: list[EventMention]) -> list[EventMention]:
    """The next round or edition after the one the article reports as held, numbered:
    "The fourth round ... has concluded in Muscat ... the next round of the talks will be
    announced by Oman" speaks of the fifth. Without a held one numbered (the next round
    is the one ahead: "the next round have been moved to May 7"), it names none."""
    if not any(m.edition == NEXT for m in mentions):
        return mentions
    held = [(m, int(m.edition)) for m in mentions if m.status == Status.TOOK_PLACE and not m.background and m.edition and m.edition.isdigit() and year_edition(m.edition) is None]
    out = []
    for m in mentions:
        if m.edition == NEXT:
            last = max((n for h, n in held if event_types()[h.type].family == event_types()[m.type].family and set(h.actors) & set(m.actors)), default=None)  # the next one may be elsewhere
            m = m.model_copy(update={"edition": None if last is None else str(last + 1)})
        out.append(m)
    return out


def _in_edition_year(when: date | None, edition: str | None, evidence: str) -> date | None:
    """A date the sentence gives without its year, of an edition named by its year, in
    that year: "The 2021 edition of the Boston Marathon is scheduled for April 19", read
    in 2020, is dated 19 April 2021, not the past April the date alone would be. A year
    the sentence writes stands ("Olympia 2020 ... vom 23. Juli 2021": put off a year)."""
    year = year_edition(edition)
    if when is None or year is None or when.year == year or str(when.year) in evidence:
        return when
    try:
        return when.replace(year=year)
    except ValueError:  # 29 February
        return when


def _same_event(a: EventMention, b: EventMention) -> bool:
    """Two mentions of one article that speak of one event: same family, a participant
    in common, no two different places, no two different editions ("Veranstalter
    verschieben MWC 2021" does not make "die Absage des MWC 2020" a delay)."""
    types = event_types()
    return (
        types[a.type].family == types[b.type].family
        and bool(set(a.actors) & set(b.actors))
        and (a.location is None or b.location is None or a.location == b.location)
        and not editions_apart(a.edition, b.edition)
    )


def _called_off_for_now(mentions: list[EventMention]) -> list[EventMention]:
    """A cancellation the same article reports as a delay ("sagt den Besuch ab ... wird
    verschoben", "called off ... will be rescheduled") is a postponement: news says
    "abgesagt" of a date as often as of an event. Recounted claims change nothing."""
    delayed = [m for m in mentions if m.status == Status.POSTPONED and not m.background and not m.modality]
    if not delayed:
        return mentions
    return [
        m.model_copy(update={"status": Status.POSTPONED})
        if m.status == Status.CANCELLED and not m.background and any(_same_event(m, d) for d in delayed)
        else m
        for m in mentions
    ]


def _programme_items(mentions: list[EventMention], doc: Document) -> list[EventMention]:
    """Without the items of the programme of the article's main event.

    A report on a state visit lists what the visitor will do there: "He also will meet
    with members of the French Senate and the couple will attend a State Banquet", "After
    his Vatican visit, Charles will meet Italy's Prime Minister", "In Juba ist unter
    anderem eine Zusammenkunft mit Binnenflüchtlingen geplant". Each is planned because
    the visit is; the visit's story carries the news, and such an item read as a story
    of its own is one no subscriber follows (and, named by its host alone, as often a
    misreading). An item is a claim of a kind on the main event's ``programme``
    (types.yaml: a meeting, not a summit), planned, told in the body. The headline or
    lead's own claims stay, and so do a turn of its own (a meeting called off, one held)
    and an event placed before or after the main one ("will be followed by a meeting
    between ...", "vor seiner Krönung": lexicon ``beside_programme``)."""
    main = _main_frame(doc)
    items = event_types()[main.type].programme if main is not None else frozenset()
    if not items:
        return mentions
    return [m for m in mentions if m.in_lead or m.status != Status.PLANNED or m.type not in items or doc.lex.beside_programme.search(m.evidence.lower())]


def _unique(mentions: list[EventMention]) -> list[EventMention]:
    seen: set[tuple] = set()
    out = []
    for m in mentions:
        key = (m.type, tuple(m.actors), m.location, m.event_date, m.status, m.background, m.evidence)  # one per day of a list (``_each_day``)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out
