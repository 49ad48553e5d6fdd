"""Annotators: each adds one kind of span to one sentence of a ``Document``.

Every annotator reads the sentence's precomputed forms (``Sentence.norm`` for word
lists, ``Sentence.cased`` for names) and returns spans tied to a clause; none splits or
lower-cases text again. Which annotator runs on which sentence is the document's
business: most sentences of an article are never annotated at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from consumers.extraction import names
from consumers.extraction.lexicon import NOT_EVENT, Cue, Entity, Gate, Gazetteer, Lexicon
from consumers.extraction.text import Sentence, memo

_TOKENS = re.compile(r"\w+")
_KNOWN_MAX = 50_000
"""Resolved name spellings kept at most (inflected forms make the set open-ended)."""


@dataclass(frozen=True)
class Hit:
    """A span found in one clause of a sentence."""

    clause: int
    start: int
    end: int


@dataclass(frozen=True)
class TypeHit(Hit):
    type: str


@dataclass(frozen=True)
class CueHit(Hit):
    cue: Cue


@dataclass(frozen=True)
class EntityHit(Hit):
    entity: Entity


def spans(hits: list, nested: bool = False) -> list:
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


def event_words(lex: Lexicon, s: Sentence, kinds: tuple[str, ...] | None = None) -> list[TypeHit]:
    """The words that name a kind of scheduled event ("Gipfel", "launch", "Wahl"), of the
    ``kinds`` the article may hold (all when not given)."""
    # Only clauses that may hold an event word (the article gate, word by word: ~1 us a
    # clause where one search of the alternation of every kind's words took ~5 us). A
    # clause holding only ``not_events`` phrases is skipped: its hits would all be
    # dropped below, and hits only compete within their clause.
    # One split of each clause answers every kind's gate (``Lexicon.kind_words``, a
    # ``WordTable``): a clause may hold an event word when it holds a literal of a kind
    # other than ``not_events`` (the article gate's ``may_hold``: its literals are those
    # kinds'), and a kind's words are searched only where its gate admits the clause.
    # The raw regexes' opening words a clause holds are looked up once (``_openings``: those
    # of every kind's raw regexes), and each raw regex is searched with them
    # (``search_held``), not after a split and lookup of the clause per kind.
    raw = lex.gate.raw if kinds is None or any(k != NOT_EVENT and k in lex.raw_kinds for k in kinds) else None  # else none matched in the article
    held: list[tuple[int, str, frozenset[str], list[tuple[str, ...]]]] = []
    for ci, c in enumerate(s.norm):
        found = lex.kind_words.held(c)
        if found and not found <= _NOT_EVENTS:
            held.append((ci, c, found, []))
        elif raw is not None and raw.search_held(c, opened := _openings(lex).found(c)):
            held.append((ci, c, found, [opened]))
    hits: list[TypeHit] = _acronyms(lex, s, kinds)
    if not held and not hits:
        return []
    for name in lex.type_words if kinds is None else kinds:
        raw, words = lex.type_gates[name].raw, lex.type_words[name]  # a kind's gate admits what its literals do not hold when its raw regex matches
        for ci, c, found, opened in held:
            if name in found or (raw is not None and raw.search_held(c, _opened(lex, c, opened)) is not None):
                hits += [TypeHit(ci, m.start(), m.end(), name) for m in words.finditer(c)]
    return words_of_hits(lex, s, hits)


def _acronyms(lex: Lexicon, s: Sentence, kinds: tuple[str, ...] | None) -> list[TypeHit]:
    """Events named by their acronym alone ("die ITB 2020", "CES 2021"; ``Lexicon.acronyms``),
    found whole and in capitals in the cased clauses, of the kinds the article may hold."""
    if not any(acronym in s.text for acronym in lex.acronym_kinds):
        return []  # a few substring searches; the regex only where one may stand
    found = [TypeHit(ci, m.start(), m.end(), lex.acronym_kinds[m.group(0)]) for ci, c in enumerate(s.cased) for m in lex.acronyms.finditer(c)]
    return found if kinds is None else [h for h in found if h.type in kinds]


def _opened(lex: Lexicon, clause: str, opened: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The opening words of the lexicon's raw regexes that a clause holds, looked up on
    first use and kept in ``opened`` for the clause's other kinds."""
    if not opened:
        opened.append(_openings(lex).found(clause))
    return opened[0]


_OPENINGS: dict[str, tuple[Lexicon, Gate]] = {}


def _openings(lex: Lexicon) -> Gate:
    """The gate of the opening words of every raw regex of the lexicon's kinds and of its
    article gate (``RawSearch.opening``): ``search_held`` of any of them needs only its
    own among the words found. Kept per language for the lexicon it was made from (a
    lexicon loaded anew, other data, gets its own)."""
    made = _OPENINGS.get(lex.language)
    if made is None or made[0] is not lex:
        raws = [g.raw for g in lex.type_gates.values()] + [lex.gate.raw]
        made = _OPENINGS[lex.language] = (lex, Gate(tuple(sorted({lit for raw in raws if raw is not None for lit in raw.opening.literals}))))
    return made[1]


def words_of_hits(lex: Lexicon, s: Sentence, hits: list[TypeHit]) -> list[TypeHit]:
    """The event words among a sentence's matches of the kinds' words: a name head only
    where it ends a name, a word that names another event word's frame dropped, nested
    matches resolved, apposed words of one kind joined."""
    if lex.name_heads:
        hits = [h for h in hits if h.type not in lex.name_head_kinds.get(s.norm[h.clause][h.start : h.end], ()) or (_heads_a_name(s.cased[h.clause], h) and not _word_of_kind_after(s.norm[h.clause], h, hits))]
    if lex.result_words or lex.beginning_words or lex.trip_words:  # first: a verb after a name is no word the name qualifies
        hits = _named_by_a_word(lex, s, hits)
    hits = [h for h in hits if not _names_the_frame(s.cased[h.clause], h, hits)]
    return _apposed([_whole_word(h, s.norm[h.clause]) for h in spans(hits) if h.type != NOT_EVENT], s, lex.and_words)


def _named_by_a_word(lex: Lexicon, s: Sentence, hits: list[TypeHit]) -> list[TypeHit]:
    """The hits less the results ("lost 2-1") of a clause that names their event by a word
    of its kind ("Arsenal lost 2-1 in the match against Chelsea") and the verbs of
    beginning ("opened on") of a clause that names any event by its word ("the Tokyo
    Paralympics opened on Tuesday") or of a sentence that names one of their kind ("The
    opening date ... stands: it is on track to open in June"), and trips ("is set to
    travel to Paris") of a sentence that names any event by its word: one event, whose
    frame is the word's, not a second one split off around the verb."""
    results = [h for h in hits if _spelt_by(lex.result_words, s, h)]
    beginnings = [h for h in hits if _spelt_by(lex.beginning_words, s, h)]
    trips = [h for h in hits if _spelt_by(lex.trip_words, s, h)]
    if not results and not beginnings and not trips:
        return hits
    words = [h for h in hits if h not in results and h not in beginnings and h not in trips]
    kinds, clauses, types = {(h.clause, h.type) for h in words}, {h.clause for h in words}, {h.type for h in words}
    return [
        h for h in hits
        if not (h in results and (h.clause, h.type) in kinds) and not (h in beginnings and (h.clause in clauses or h.type in types)) and not (h in trips and words)
    ]


def _spelt_by(words: dict[str, re.Pattern[str]], s: Sentence, hit: TypeHit) -> bool:
    """Whether a hit is a whole match of its kind's pattern in ``words``."""
    pattern = words.get(hit.type)
    found = pattern.match(s.norm[hit.clause], hit.start) if pattern is not None else None
    return found is not None and found.end() == hit.end


APPOSED_WORDS = 2
"""Words between two event words of one kind that still make them one noun phrase."""


def _apposed(hits: list[TypeHit], s: Sentence, and_words: frozenset[str]) -> list[TypeHit]:
    """Two event words of one kind with at most ``APPOSED_WORDS`` words and no "and"
    between them name one event ("der Rad-Klassiker Paris-Roubaix", "the ITB tourism
    fair", "den Start ihrer Mondrakete ins All"): one hit over both, so the event has
    one frame, not a second one without its participants."""
    out: list[TypeHit] = []
    for hit in hits:
        prev = out[-1] if out else None
        if prev is not None and prev.clause == hit.clause and prev.type == hit.type:
            gap = s.norm[hit.clause][prev.end : hit.start].split()
            if len(gap) <= APPOSED_WORDS and and_words.isdisjoint(gap) and not any(w in ",;:" for w in gap):
                out[-1] = TypeHit(prev.clause, prev.start, hit.end, prev.type)
                continue
        out.append(hit)
    return out


_NAME_BEFORE = re.compile(r"(?:^|[^\w'’-])(?:[A-ZÄÖÜ][\w'’.&-]*|\d{4})\s+$")
"""A capitalised word (or a year: "2020 Open") right before a name head."""


def _word_of_kind_after(clause: str, head: TypeHit, hits: list[TypeHit]) -> bool:
    """Whether the kind's own word follows a name head, lower-case words apart ("the BNP
    Paribas Open tennis tournament"): that word is the event word, the head is the
    name's."""
    return any(h.clause == head.clause and h is not head and 0 < h.start - head.end <= 25 and clause[head.end : h.start].replace(" ", "").isalpha() for h in hits)


def _names_the_frame(cased: str, hit: TypeHit, hits: list[TypeHit]) -> bool:
    """Whether a capitalised event word that ends a name stands right before another
    event word, which it qualifies ("Eras Tour concerts", "the World Cup final", "Olympic
    Games opening ceremony"): the event is the second, the name says whose it is."""
    if not cased[hit.start : hit.start + 1].isupper() or hit.start == 0:
        return False
    return any(h.clause == hit.clause and h.start == hit.end + 1 and cased[hit.end] == " " and cased[h.start : h.start + 1].islower() for h in hits)


def _heads_a_name(cased: str, hit: TypeHit) -> bool:
    """Whether a name head (``Lexicon.name_heads``) ends a name here: written with its
    capital after a capitalised word ("the French Open", "Geneva Expo"), outside a
    headline in Title Case, where every word has one."""
    word = cased[hit.start : hit.end]
    return word[:1].isupper() and not word.isupper() and _NAME_BEFORE.search(cased, max(0, hit.start - 40), hit.start) is not None and not names.title_case(cased)


_NOT_EVENTS = frozenset([NOT_EVENT])


def _whole_word(hit: TypeHit, clause: str) -> TypeHit:
    """A hit of a compound's head ("*streik") as the whole word ("Flugbegleiterstreik"),
    whose first letter says whether it is a noun. Widened only after overlaps are
    resolved: a word listed whole ("Friedensgespräche": negotiations) beats the head
    inside it ("*gespräche": talks)."""
    start = hit.start
    while start > 0 and clause[start - 1].isalnum():
        start -= 1
    return hit if start == hit.start else TypeHit(hit.clause, start, hit.end, hit.type)


def status_cues(lex: Lexicon, s: Sentence) -> list[CueHit]:
    """The words that claim a status ("abgesagt", "scrubbed", "kicked off").

    Cues for all kinds of event and those for some kinds ("scrubbed": launches) are
    resolved apart, so a kind's longer cue does not hide a general one inside it; the
    rule that picks an event's cue resolves the ones that fit it (``fitting``)."""
    hits = [CueHit(ci, m.start(), m.end(), cue) for ci, c in enumerate(s.norm) for cue in lex.cue_index.candidates(c) for m in cue.regex.finditer(c)]
    hits = _outside_not_events(lex, s, hits)
    groups: dict[frozenset[str], list[CueHit]] = {}
    for hit in hits:
        groups.setdefault(hit.cue.types, []).append(hit)
    return sorted((h for group in groups.values() for h in spans(group, nested=True)), key=lambda h: (h.clause, h.start))


def _outside_not_events(lex: Lexicon, s: Sentence, hits: list[CueHit]) -> list[CueHit]:
    """The cues that lie outside every ``not_events`` phrase: a cue word inside one is a
    name or an idiom ("the Met Police", "was met with"), no claim. A cue that is the whole
    phrase ("opening statements": a trial under way) was meant as one."""
    rx = lex.type_words.get(NOT_EVENT)
    if rx is None or not hits:
        return hits
    spans_by_clause = {ci: [m.span() for m in rx.finditer(s.norm[ci])] for ci in {h.clause for h in hits}}
    return [h for h in hits if not any(start <= h.start and h.end <= end and h.end - h.start < end - start for start, end in spans_by_clause[h.clause])]


def fitting(cues: list[CueHit], event_type: str) -> list[CueHit]:
    """The cues that speak of this kind of event, the longest where they overlap (of two
    as long, the kind's own: a match "abgesagt" is postponed, not cancelled)."""
    fit = sorted((c for c in cues if c.cue.fits(event_type)), key=lambda c: not c.cue.types)  # a kind's own cue first
    return spans(fit, nested=True) if len(fit) > 1 else fit


def entities(found: list[EntityHit | tuple[int, names.Name]], aliases: names.Aliases) -> list[EntityHit]:
    """Participants: the names ``named`` found in a sentence, the open-vocabulary ones
    made the article's entities (``aliases``), in the order of the sentence."""
    hits = [h if isinstance(h, EntityHit) else EntityHit(h[0], h[1].start, h[1].end, e) for h in found if isinstance(h, EntityHit) or (e := aliases.entity(h[1])) is not None]
    return sorted(hits, key=lambda h: (h.clause, h.start))


def named(lex: Lexicon, gaz: Gazetteer, s: Sentence, known_places: list[list[PlaceHit]]) -> list[EntityHit | tuple[int, names.Name]]:
    """Gazetteer names first (the fast path), then (clause, name) for each name no list
    holds, found by the open-vocabulary rules of ``names`` outside the gazetteer's names
    and places: a function of the sentence's text alone."""
    known = gazetteer_hits(gaz, s.cased, s.norm)
    hits: list[EntityHit | tuple[int, names.Name]] = [
        _cup_of(lex, s.cased[h.clause], _parliament(lex, gaz, s.cased[h.clause], h))
        for h in known
        if not _demonym_in_name(lex, gaz, s.cased[h.clause], h) and not _names_an_event(lex, s.cased[h.clause], h) and not _club_as_place(lex, s.cased[h.clause], s.norm[h.clause], h) and not _place_in_club(lex, s.cased[h.clause], h)
        and not _holder_named_after(lex, s.cased[h.clause], h, known) and not _letter_compound(s.cased[h.clause], h)
    ]
    hits += _events_of_places(gaz, s, known_places, known)
    for ci, (cased, low) in enumerate(zip(s.cased, s.norm, strict=True)):
        taken = [(h.start, h.end) for h in hits if isinstance(h, EntityHit) and h.clause == ci]
        hits += [(ci, found) for found in names.open_names(lex, cased, low, taken, [(p.start, p.end) for p in known_places[ci]], first_clause=ci == 0, before=s.norm[ci - 1] if ci else "")]
    if _OUTLET_DATELINE.match(s.text) and len(s.cased) > 1 and s.cased[0].startswith("(") and ")" not in s.cased[0][:-1]:
        return [h for h in hits if (h.clause if isinstance(h, EntityHit) else h[0]) != 0]  # the bracket is clause 0
    return hits


_NAME_REST = re.compile(r"[ -](?P<one>[\w'’]+)(?:[ -](?P<two>[\w'’]+))?")
"""Up to two words after a place, joined by a space or a hyphen."""


def _events_of_places(gaz: Gazetteer, s: Sentence, known_places: list[list[PlaceHit]], known: list[EntityHit]) -> list[EntityHit]:
    """A city the gazetteer knows right before the rest of the name of a recurring event
    held there names that event, over both ("the London marathon", "the New York City
    marathon", "der Berliner Marathon"; ``Gazetteer.place_events``), where no gazetteer
    name is found already: wire copy writes the kind's word in lower case, German the
    city as its adjective, and the city alone as the participant would file the report
    apart from the event's other reports. As in the name written in full, the city is
    then part of the name, not a venue of its own."""
    if not gaz.place_events:
        return []
    out: list[EntityHit] = []
    for ci, found in enumerate(known_places):
        for place in found:
            rest = _NAME_REST.match(s.norm[ci], place.end) if place.is_city else None
            if rest is None:
                continue
            one, two = rest.group("one"), rest.group("two")
            named = [(gaz.place_events.get((place.name, f"{one} {two}")), rest.end())] if two else []
            named.append((gaz.place_events.get((place.name, one)), rest.end("one")))
            event, end = next(((e, end) for e, end in named if e is not None), (None, 0))
            if event is not None and not any(h.clause == ci and h.start < end and place.start < h.end for h in known):
                out.append(EntityHit(ci, place.start, end, event))
    return out


_OUTLET_DATELINE = re.compile(r"\([^()]{1,40}\)\s*(?:--?|–|—)\s")
"""A sentence that opens with an outlet in brackets and a dash ("(KABC) -- The
festivals ..."): the rest of a dateline, whose first clause names who reports."""


_NEXT_WORD = re.compile(r" ([A-ZÄÖÜ][\w'’.-]*)")
_EVENT_NAME_REST = re.compile(r"(?:\s+[A-ZÄÖÜ][\w'’-]*){1,3}")


def _parliament(lex: Lexicon, gaz: Gazetteer, cased: str, hit: EntityHit) -> EntityHit:
    """A country named before a word for its parliament ("the UK parliament", "Turkey's
    parliament", "Hungarian lawmakers", "das türkische Parlament") stands for that chamber
    (``Gazetteer.parliament_of``), over both words: the side of a vote is the chamber."""
    if hit.entity.kind != "country" or lex.names is None or (chamber := gaz.parliament_of.get(hit.entity.name)) is None:
        return hit
    after = lex.names.parliament_after.match(cased, hit.end)
    return hit if after is None else EntityHit(hit.clause, hit.start, after.end(), chamber)


def _club_as_place(lex: Lexicon, cased: str, low: str, hit: EntityHit) -> bool:
    """Whether a club named by its town ("Dortmund", "Bayern") stands after a place
    preposition ("das Konzert in Dortmund", "Unwetter in Bayern"): there it is the town or
    region, not the team, unless a score follows ("in Dortmund 2:1" is no phrase news writes
    of a place)."""
    if hit.entity.kind != "team" or lex.names is None or names.scored(cased, hit.end):
        return False
    return lex.names.place_before.search(low, max(0, hit.start - 12), hit.start) is not None


_PREFIX_BEFORE = re.compile(r"(?:^|\s)([A-Za-z]{2,6})\s+$")


def _place_in_club(lex: Lexicon, cased: str, hit: EntityHit) -> bool:
    """Whether a country or region is the town of a club named after it, behind its
    prefix ("gegen den AS Monaco"): the club is the name, not the country."""
    if hit.entity.kind not in ("country", "region") or lex.names is None or not lex.names.club_prefixes:
        return False
    before = _PREFIX_BEFORE.search(cased, max(0, hit.start - 8), hit.start)
    return before is not None and before.group(1) in lex.names.club_prefixes


def _cup_of(lex: Lexicon, cased: str, hit: EntityHit) -> EntityHit:
    """A country or region after a word for a cup ("Copa America", "Coppa Italia",
    "Coupe de France"; ``cup_words`` in ``names.yaml``) names the competition, over both
    words: the cup is the participant, as it is where the place is written in the
    cup's language ("Copa América"), and the place is no side of it."""
    if hit.entity.kind not in ("country", "region") or lex.names is None:
        return hit
    cup = lex.names.cup_before.search(cased, max(0, hit.start - 12), hit.start)
    if cup is None:
        return hit
    name = cased[cup.start() : hit.end]
    return EntityHit(hit.clause, cup.start(), hit.end, Entity(name, "event", None, True, None, open=True))


_LETTER_BEFORE = re.compile(r"(?<![\w'’.-])[A-Za-zÄÖÜ]-$")
"""One letter and a hyphen, ending where a name starts ("U-", "S-", "T-")."""


def _letter_compound(cased: str, hit: EntityHit) -> bool:
    """Whether a gazetteer name is the head of a compound whose first part is one letter
    ("die Londoner U-Bahn", "die S-Bahn", "T-Mobile"): the compound is a common noun or a
    name of its own, not the entity its head names alone ("Bahn" = Deutsche Bahn, as in
    "Bahn-Streik")."""
    return _LETTER_BEFORE.search(cased, max(0, hit.start - 3), hit.start) is not None


def _names_an_event(lex: Lexicon, cased: str, hit: EntityHit) -> bool:
    """Whether a country or region is the first word of an event's name that ends in a
    capitalised event word ("the Monaco Grand Prix", "the Bahrain Grand Prix", "the
    Chinese Grand Prix"): the event's name is the participant, the place is in its name
    (English writes a name's words capitalised, so only a capitalised event word counts;
    German, which capitalises every noun, only a name head: "die French Open")."""
    if hit.entity.kind not in ("country", "region") or lex.names is None or not cased[hit.start : hit.start + 1].isupper():
        return False
    rest = _EVENT_NAME_REST.match(cased, hit.end)
    if rest is None:
        return False
    words = [w.rstrip(".,;:!?") for w in rest.group(0).split()]
    if lex.language != "en":
        return words[-1].lower() in lex.name_heads
    return any(lex.names.event_words.fullmatch(" ".join(words[i:]).lower()) is not None for i in range(len(words)))


def _demonym_in_name(lex: Lexicon, gaz: Gazetteer, cased: str, hit: EntityHit) -> bool:
    """Whether a country adjective is the first word of a longer name ("Indian Wells",
    "British Airways", "Deutsche Bahn"): written with a capital and followed by a
    capitalised word that is no title and no event word. Before a title ("Indian Prime
    Minister", "French President") or an event word ("the French Open" aside, "Chinese
    New Year") it is the country; lower case ("die deutsche Regierung") it is an adjective."""
    if hit.entity.kind != "country" or lex.names is None or not cased[hit.start : hit.start + 1].isupper():
        return False
    if not gaz.demonym.fullmatch(cased[hit.start : hit.end].lower()):
        return False
    after = _NEXT_WORD.match(cased, hit.end)
    if after is None:
        return False
    rules = lex.names
    words = cased[after.start(1) :].lower().split()[:3]
    titled = any(rules.is_title(" ".join(words[:size]).rstrip(".,;:!?")) for size in range(1, len(words) + 1))
    return not titled and not rules.is_event_word(after.group(1).rstrip(".,;:!?"))


_NAME_AFTER = re.compile(r"\s+([A-ZÄÖÜ][\w'’.-]+)\s+[A-ZÄÖÜ]")


def _holder_named_after(lex: Lexicon, cased: str, hit: EntityHit, known: list[EntityHit]) -> bool:
    """Whether a person the gazetteer knows by an office ("US President", "russische
    Außenminister") is followed by the name of whoever holds it in this text ("US President
    Joe Biden"): the office names that person, not the one the gazetteer holds it for
    today. The name is another known person starting right after it, or a first name and
    a surname."""
    if hit.entity.kind != "person":
        return False
    after = [h for h in known if h.clause == hit.clause and h.entity.kind == "person" and hit.end < h.start <= hit.end + 2 and cased[hit.end : h.start].isspace()]
    if after:
        return any(h.entity is not hit.entity for h in after)  # "US-Präsident Donald Trump": the same person
    name = _NAME_AFTER.match(cased, hit.end)
    return name is not None and lex.names is not None and name.group(1) in lex.names.first_names


def gazetteer_hits(gaz: Gazetteer, cased: tuple[str, ...], low: tuple[str, ...]) -> list[EntityHit]:
    """Every gazetteer name in the clauses, resolved to its canonical entity. ``low``
    holds the clauses in lower case (``str.lower`` of ``cased``)."""
    hits: list[EntityHit] = []
    for ci, (clause, lowered) in enumerate(zip(cased, low, strict=True)):
        passed = gazetteer_gates(gaz, clause)
        for text, finder, bit, table, known in ((lowered, gaz.any_lower, _PEOPLE, gaz.people, gaz.known_lower), (clause, gaz.any_cased, _CASED, gaz.cased, gaz.known_cased)):
            if not passed & bit:
                continue  # no name's word is there: the long alternation is not searched
            for match in finder.finditer(text):
                entity = _entity(table, match.group(0), known)
                if entity is not None:
                    hits.append(EntityHit(ci, match.start(), match.end(), entity))
    return hits


_PEOPLE, _CASED, _PLACE = 1, 2, 4
"""The gazetteer's gates (``pieces_gate``): a piece of a person's or organisation's name
in lower case (``Gazetteer.lower_gate``), of a name that keeps its case
(``cased_gate``), of a place's name (``place_gate``)."""


def gazetteer_gates(gaz: Gazetteer, clause: str) -> int:
    """Which of the gazetteer's gates a cased clause passes (bits ``_PEOPLE``, ``_CASED``,
    ``_PLACE``; a gate the gazetteer lacks lets every clause pass): one split and one
    lookup per word answer all three, where each gate's ``holds_any`` split the clause
    and looked its words up. The people gate is asked of the lower-case clause:
    lower-casing keeps white space where it is (``str.lower`` maps no other character
    to white space), so the lower-case clause's words are its words lower-cased. A
    word's answer is worked out once per process (``Gazetteer.gates_by_word``), and a
    clause's too (``_CLAUSE_GATES``): its places and its names ask it in turn. Both
    are kept for the gates they were worked out with: a gazetteer given other gates
    starts afresh."""
    gates = (gaz.lower_gate, gaz.cased_gate, gaz.place_gate)
    if len(gaz.gates_of_words) != len(gates) or any(a is not b for a, b in zip(gaz.gates_of_words, gates, strict=True)):
        gaz.gates_by_word.clear()
        gaz.gates_of_words = gates
    return _CLAUSE_GATES.get((id(gaz), *map(id, gates), clause), _clause_gates, gaz, clause)


_CLAUSE_GATES = memo()


def _clause_gates(gaz: Gazetteer, clause: str) -> int:
    """``gazetteer_gates``, worked out."""
    by_word = gaz.gates_by_word
    if len(by_word) > _GATE_WORDS_MAX:
        by_word.clear()
    passed = (_PEOPLE if gaz.lower_gate is None else 0) | (_CASED if gaz.cased_gate is None else 0) | (_PLACE if gaz.place_gate is None else 0)
    for word in clause.split():
        bits = by_word.get(word)
        if bits is None:
            bits = by_word[word] = _word_gates(gaz, word)
        passed |= bits
    return passed


_GATE_WORDS_MAX = 200_000


def _word_gates(gaz: Gazetteer, word: str) -> int:
    """``gazetteer_gates`` of one word, for the gates the gazetteer has."""
    people = gaz.lower_gate is not None and gaz.lower_gate.holds_any("", (word.lower(),))
    cased = gaz.cased_gate is not None and gaz.cased_gate.holds_any("", (word,))
    place = gaz.place_gate is not None and gaz.place_gate.holds_any("", (word,))
    return (_PEOPLE if people else 0) | (_CASED if cased else 0) | (_PLACE if place else 0)


def _entity(table: list[tuple[re.Pattern[str], Entity]], text: str, known: dict[str, Entity | None]) -> Entity | None:
    """The first entity one of whose names is exactly this text (remembered: the same
    few names recur in every article)."""
    if text not in known:
        if len(known) >= _KNOWN_MAX:
            known.clear()
        known[text] = next((e for rx, e in table if rx.fullmatch(text)), None)
    return known[text]


@dataclass(frozen=True)
class PlaceHit:
    """A known place named in a clause: a city, or a country after "in"."""

    start: int
    end: int
    name: str
    is_city: bool
    adjective: bool = False
    """Named by its German adjective ("Kölner"): the city qualifies the noun after it."""


def places(gaz: Gazetteer, s: Sentence) -> list[list[PlaceHit]]:
    """The known places of each clause of a sentence (one scan per clause for cities,
    one for countries after a preposition)."""
    out = []
    for cased in s.cased:
        found = []
        for match in gaz.any_place.finditer(cased) if gazetteer_gates(gaz, cased) & _PLACE else ():
            text = match.group(0)
            if text not in gaz.known_places:
                gaz.known_places[text] = next(((name, is_city) for rx, name, is_city in gaz.places if rx.fullmatch(text)), None)
            if (place := gaz.known_places[text]) is not None:
                found.append(PlaceHit(match.start(), match.end(), place[0], True, text in gaz.city_adjectives))
        for match in gaz.country_after_in.finditer(cased):
            country = _entity(gaz.cased, match.group("name"), gaz.known_cased)
            if country is not None and country.kind == "country":
                found.append(PlaceHit(match.start("name"), match.end(), country.name, False))
        out.append(found)
    return out


def place_in(lex: Lexicon, clause: str, known: list[PlaceHit], taken: list[tuple[int, int]] = ()) -> tuple[str, int] | None:
    """The most specific place named in a (cased) clause: a known city, else a country
    after "in", else an unknown name after "in"/"at" that reads as a place; and where.
    Spans in ``taken`` are names of something else ("Bayern München"); a place named as
    one of two sides ("zwischen Gladbach und Köln", "Chicago vs. Detroit") is no venue."""
    if known and lex.names is not None and (sides := names.side_spans(lex.names, clause)):
        taken = [*taken, *sides]
    ranked = [((_venue_rank(lex, clause, p, known), p.start), p.name) for p in known if not any(start <= p.start < end for start, end in taken)]
    found = [(rank, name) for rank, name in ranked if rank[0] is not None]
    if not found:
        return names.open_place(lex, clause, taken)
    (_, start), name = min(found)
    return name, start


_QUALIFIES = re.compile(r"(?:(?P<own>['’]s\b)|-\w| (?P<word>[\w'’-]+))")
_OWNED = re.compile(r"(?:\s+[\w'’-]+){1,3}")
"""The noun a possessive city owns, with up to two words before it ("new international airport")."""


def _venue_rank(lex: Lexicon, clause: str, place: PlaceHit, known: list[PlaceHit]) -> int | None:
    """How surely a known place is where the clause's event is, best first: a city after a
    place preposition ("in Paris", "at the Tokyo ...", "im nordrhein-westfälischen
    Oberhausen"), a country after one, a city that qualifies the name or event word after
    it ("the Paris summit", "London's Wembley", "Leipzig-Konzert", "Hamburg
    Elbphilharmonie"), a city otherwise named bare. None for a bare city that is one of
    two places joined by "and" ("Beijing and Tokyo are working to arrange a visit",
    "Paris and Berlin postponed the council"): the two sides, each its government; and
    for a dateline run into the text ("Berlin Die ... Konsultationen"): where the report
    was written."""
    if not place.is_city:
        return 1
    rules = lex.names
    if rules is None or rules.venue_before.search(clause, max(0, place.start - 60), place.start):
        return 0
    after = _QUALIFIES.match(clause, place.end)
    word = after.group("word") if after else None
    if place.adjective:  # every German noun is capitalised: only a venue is where the city says
        return 2 if _venue_named(rules, clause, place.end) else None
    if word is not None and word[:1].isupper() and word.lower() in rules.not_names:
        return None
    if after and after.group("own") and not _owns_venue(rules, clause, after.end()):
        return None
    if after and (word is None or word[:1].isupper() or rules.is_event_word(word)):
        return 2
    return None if _paired(lex, clause, place, known) else 3


def _owns_venue(rules: names.NameRules, clause: str, end: int) -> bool:
    """Whether a city in the possessive owns a venue, a building or the event ("London's
    Wembley", "Berlin's new international airport", "Munich's Oktoberfest"): the city is
    where it is. A city owning anything else ("Tehran's nuclear programme", "Moscow's
    troops") stands for its government, as a capital does in news prose: no venue."""
    owned = _OWNED.match(clause, end)
    words = owned.group(0).split() if owned else []
    if words and words[0][:1].isupper():
        return True
    return any(rules.is_event_word(w.lower()) or names.generic_facility(rules, w) for w in words)


_NEXT_WORDS = re.compile(r"(?:\s+[A-ZÄÖÜ][\w'’-]*){1,3}")


def _venue_named(rules: names.NameRules, clause: str, end: int) -> bool:
    """Whether the capitalised words after a city's adjective name a venue ("Kölner
    Lanxess Arena", "Münchner Olympiastadion"), not something the city has elsewhere
    ("Berliner Großflughafen", in Schönefeld). An event after it ("Münchner
    Oktoberfest") is left to the clause's other places for now: the city would join a
    festival's participants, and a story on a city is announced only once confirmed."""
    run = _NEXT_WORDS.match(clause, end)
    words = run.group(0).split() if run else []
    return any(any(w.lower().endswith(h) for h in rules.venue_heads) for w in words)


def _paired(lex: Lexicon, clause: str, place: PlaceHit, known: list[PlaceHit]) -> bool:
    """Whether a place is joined to another named place by an and-word ("Beijing and Tokyo")."""
    between = [clause[place.end : p.start] if p.start >= place.end else clause[p.end : place.start] for p in known if p is not place]
    return any(b.split() and all(w in lex.and_words for w in b.lower().split()) for b in between)


def source_spans(lex: Lexicon, s: Sentence) -> tuple[tuple[int, int, int], ...]:
    """Where every clause of a sentence that says who makes a claim names its source, as
    (clause, start, end): a sentence may give one claim to one source and the next to
    another ("X announced that ..., according to Variety")."""
    found = []
    for ci, (clause, low) in enumerate(zip(s.cased, s.norm, strict=True)):
        if lex.attribution_words.isdisjoint(_TOKENS.findall(low)):
            continue
        for rx in lex.attribution:
            match = rx.search(clause)
            if match is not None:
                found.append((ci, *match.span("who")))
                break
    return tuple(found)


def attribution(lex: Lexicon, gaz: Gazetteer, s: Sentence) -> tuple[str | None, int | None, tuple[int, int] | None]:
    """Who a sentence says makes its claim ("sagt Peskow", "laut CNN"), in which clause,
    and where the source is named there: the first of ``source_spans``."""
    spans = source_spans(lex, s)
    if not spans:
        return None, None, None
    ci, start, end = spans[0]
    return canonical_source(gaz, s.cased[ci][start:end]), ci, (start, end)


def canonical_source(gaz: Gazetteer, who: str) -> str:
    """A known person or organisation when named, else the first few words."""
    known = [h.entity for h in sorted(gazetteer_hits(gaz, (who,), (who.lower(),)), key=lambda h: h.start) if h.entity.kind != "country"]
    if known:
        return known[0].name
    words = re.sub(r"[^\w\s-]", "", who).split()[:5]
    while len(words) > 1 and words[-1].islower() and len(words[-1]) <= 3:
        words.pop()  # the cut left a dangling preposition or article ("… des Präsidialamtes in")
    return " ".join(words)
