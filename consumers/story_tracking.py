"""Filing event mentions under stories, keeping their status, raising alerts (pure).

A story's identity is its event family + participants + place (+ a time window), never
its status: a status change updates the story, it does not fork it. Trump–Putin in
Alaska and Trump–Putin in Budapest are two stories; a mention that names no place joins
the story of the same people that fits it best.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import NamedTuple

from consumers.alert_policy import AlertPolicy, alert_policy, announces_at_once, early_took_place, held_news_waits, move_waits, repeated_turn, undated_return
from consumers.corroboration import confirming_sources
from consumers.extraction.lexicon import event_types, gazetteer, lexicons, year_edition
from consumers.story_status import MIN_CONFIDENCE, STAGE, WINDOW, Decision, counted, decide_timed, instant, is_backward, source_key, step, timed, window_of
from schemas import Alert, AlertKind, ArticleEvents, EventMention, Status, Story, TimelineEntry


@dataclass
class TrackResult:
    """What one article did: changed stories, the story of each mention, alerts."""

    stories: dict[str, Story] = field(default_factory=dict)
    assignments: list[str | None] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    claims: dict[str, TimelineEntry] = field(default_factory=dict)
    """The claim each story got from this article (what its timeline gains)."""


NAMES_MEMO = 1 << 16
"""How many participants, places and name sets each memo below keeps: they come from the
articles (open vocabulary), so a long-running worker must forget the rarest."""
names_memo = lru_cache(maxsize=NAMES_MEMO)
KINDS_MEMO = 1 << 8
"""Memos keyed by a mention's kind of event: the lexicons ship a few dozen, but the type
is an open string on the events stream (anyone with Redis access can write one)."""
CUES_MEMO = 1 << 12
"""Memos keyed by a claim's cue: the words that carried the status, as open as the type."""


@lru_cache(maxsize=KINDS_MEMO)
def family(event_type: str) -> str:
    """Types of one family (summit, meeting, talks) can be one story."""
    known = event_types().get(event_type)
    return known.family if known else event_type


_NAME_WORD = re.compile(r"[^\W_][\w'’.-]*", re.UNICODE)
_GENERIC_WORDS = frozenset(
    "the der die das den dem des von van de la le und and of for fc sc sv vfl ac club team mission"
    " flughafen airport stadion stadium".split()
)
_ROMAN = re.compile(r"(x{0,3})(ix|iv|v?i{0,3})")
_ROMAN_VALUE = {"i": 1, "v": 5, "x": 10}


def _numeral(word: str) -> str:
    """A Roman numeral as its number ("iii" -> "3"); any other word as it is."""
    if not word or not _ROMAN.fullmatch(word):
        return word
    values = [_ROMAN_VALUE[c] for c in word]
    return str(sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)))


@names_memo
def name_words(name: str) -> frozenset[str]:
    """The distinctive words of a participant's name, lowered ("Pittsburgh Steelers" ->
    {pittsburgh, steelers}); articles, club abbreviations and the like do not count.

    A number is a word, and a Roman numeral after the first word is that number:
    "Artemis I" and "Artemis 1" are one mission, "Artemis III" another; "Charles III" is
    "Charles 3" ("Charles" alone stays a shorter name of him).

    A word that names a place (``place_words``: a city, region or country in German or
    English, a city's German adjective) is that place's own name: "Bayern München" and
    "Bayern Munich", "AC Mailand" and "AC Milan", "Tokio 2020" and "Tokyo 2020" are one
    participant, as a German and an English report of one event name it.

    Outlets spell one name with or without its accents and hyphens ("Ola Källenius",
    "Ola Kallenius"; "Kim Jong-un", "Kim Jong Un"; "Recep Tayyip Erdoğan", "Erdogan"):
    words are compared folded (``fold``) and a hyphenated word is the words it joins.
    """
    words = [p.strip(".'’") for w in _NAME_WORD.findall(fold(name)) for p in w.split("-")]
    words = [w for w in words if w]
    words = [words[0], *(_numeral(w) for w in words[1:])] if words else words
    return frozenset(p for w in words if w not in _GENERIC_WORDS for p in place_word(w)) or frozenset({name.lower()})


def fold(text: str) -> str:
    """Lower case without accents ("Erdoğan" -> "erdogan", "Källenius" -> "kallenius", "ß" -> "ss")."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _folded_places() -> dict[str, tuple[str, ...]]:
    """``place_words`` folded: a one-word name of a place -> the words of its own name."""
    return {fold(k): tuple(w for w in fold(v).split() if w not in _GENERIC_WORDS) for k, v in gazetteer().place_words.items()}


@names_memo
def place_word(word: str) -> tuple[str, ...]:
    """The words a name word stands for: the place's own name's when it names a place."""
    return _folded_places().get(word) or (word,)


@names_memo
def named_events(names: frozenset[str]) -> frozenset[str]:
    """The recurring events named among the participants ("Olympic Games", "Oktoberfest")."""
    by_name = gazetteer().by_name
    return frozenset(n for n in names if (e := by_name.get(n)) is not None and e.kind == "event")


@names_memo
def stands_for(name: str) -> str | None:
    """The country a participant stands for: a country itself, or a person the gazetteer
    knows as one country's (its head, a minister). One report names France and Germany,
    the next Macron and Scholz: one government consultation."""
    entity = gazetteer().by_name.get(name)
    if entity is None:
        return None
    return entity.name if entity.kind == "country" else entity.country if entity.kind == "person" else None


def same_name(a: str, b: str) -> bool:
    """Two spellings of one name: equal, or the words of one inside those of the other;
    never two names the gazetteer knows as two ("Saxony" and "Saxony-Anhalt", "Saxony"
    and "Lower Saxony")."""
    if a == b:
        return True
    by_name = gazetteer().by_name
    if a in by_name and b in by_name:
        return False
    wa, wb = name_words(a), name_words(b)
    return wa <= wb or wb <= wa


def same_entity(a: str, b: str) -> bool:
    """Two names of one participant: the same name (``same_name``), or a country and a
    person who stands for it (``stands_for``: "Macron" and "France").

    Articles name a participant by a longer or shorter form ("Olaf Scholz", "Scholz"; "the
    Pittsburgh Steelers", "Steelers"), so participants match by entity, not by string.
    "Borussia Dortmund" and "Borussia Mönchengladbach" share a word but neither holds the
    other: two participants; so are two people of one country ("Trump", "Rubio").
    """
    if same_name(a, b):
        return True
    ca, cb = stands_for(a), stands_for(b)
    return ca is not None and cb is not None and (ca == b or cb == a)


@names_memo
def hosts_of(location: str | None) -> frozenset[str]:
    """The names that are the event's place: the place and those holding it (the city of
    a venue, the country)."""
    return frozenset(set(around(location)) - {None, ""}) if location else frozenset()


@names_memo
def guests(names: frozenset[str], location: str | None) -> frozenset[str]:
    """The participants other than the host: the place itself, its country, and whoever
    stands for that country ("Macron" at a visit to Paris, "Munich" at its Oktoberfest).

    One report of a state visit names the guest and the host, the next the guest and his
    wife: the host is where the event is, not who it is about. Empty when every
    participant is the host (then the names themselves are compared)."""
    hosts = hosts_of(location)
    if not hosts:
        return names
    return frozenset(n for n in names if n not in hosts and stands_for(n) not in hosts)


def _token(country: str) -> str:
    return country.lower().replace(" ", "_")


@names_memo
def _index_words(name: str) -> frozenset[str]:
    """The words a story is filed under for one participant: its name's words, ``#C`` for
    a country C, ``@C`` for a person who stands for C."""
    country = stands_for(name)
    if country is None:
        return name_words(name)
    return name_words(name) | {("#" if country == name else "@") + _token(country)}


@names_memo
def _lookup_words(name: str) -> frozenset[str]:
    """The words a mention looks one participant up by: its name's words, ``#C`` (stories
    naming the country C it is or stands for) and, for a country, ``@C`` (stories naming
    a person who stands for it)."""
    country = stands_for(name)
    if country is None:
        return name_words(name)
    return name_words(name) | {"#" + _token(country)} | ({"@" + _token(country)} if country == name else set())


def _placed(terms: set[str], location: str | None) -> list[str]:
    return sorted(terms | ({f"{t}@{location}" for t in terms} if location else set()))


def _word_pairs(fam: str, words: list[frozenset[str]]) -> set[str]:
    """``fam:x+y`` for each word x of one participant and y of another."""
    return {f"{fam}:{'+'.join(sorted((x, y)))}" for i, wa in enumerate(words) for wb in words[i + 1:] for x in wa for y in wb}


ALONE, GUEST_ALONE = "!1", "!g"
"""Marks of the terms of stories of one participant (``ALONE``) and of stories whose
guests are one participant beside their host (``GUEST_ALONE``: Modi at a meeting with
Merz in Hamburg), kept apart so that a report of two parties does not read the second
kind, which it cannot join (``_guest_alone_terms``)."""


def _terms(fam: str, actors: list[str], words_of: Callable[[str], frozenset[str]], mention: bool, alone: str = ALONE) -> set[str]:
    """The terms of one participant set (``candidate_terms``, ``story_terms``); ``alone``
    marks the words of a set of one."""
    words = [words_of(a) for a in actors]
    if mention and len(actors) == 1:
        return {f"{fam}:{w}" for w in words[0]}
    terms = set() if mention else {f"{fam}:{w}" for ws in words for w in ws}
    if len(actors) == 1:
        return terms | {f"{fam}:{w}{alone}" for w in words[0]}
    return terms | _word_pairs(fam, words) | ({f"{fam}:{w}{ALONE}" for ws in words for w in ws} if mention else set())


def _guest_alone_terms(event_type: str, names: frozenset[str], location: str | None) -> set[str]:
    """The ``GUEST_ALONE`` terms a mention of two or more participants looks up: those of
    its guests' words where it could join a story filed under them.

    Such a story has one guest G beside its host. A mention whose guests are one name
    finds it under that name's words, and one naming two or more of its participants
    under a pair term; any other mention can join it only through its guests (``_fit``),
    two or more names that cannot all be G, so only at a place that holds the story's or
    lies within it (``_within``) and only if every guest of the mention that is no G
    stands for no country (``_other_party``). With Modi and Zelensky as guests, a story
    of Modi's visit to Germany is another event whatever G is, since G can be at most one
    of them; without a place, Modi and Rutte are too. At 50,000 live stories these
    stories were a third of the heads the lookup fetched, and one of 7,746 could take
    the mention. A mention of a hosted kind naming no place may meet a story at its
    host (``_hosted_fit``): it looks them all up."""
    if len(names) < 2:
        return set()
    fam = family(event_type)
    mine = guests(names, location)
    if location is None and _kind_flag(event_type, "hosted"):
        mine = names
    elif location is None or len(mine) < 2 or len({c for n in mine if (c := stands_for(n)) is not None}) > 1:
        return set()
    return {f"{fam}:{w}{GUEST_ALONE}" for n in mine for w in _lookup_words(n)}


def candidate_terms(mention: EventMention) -> list[str]:
    """Index terms to look a mention's candidate stories up by.

    A story can only take a mention whose participants (as entities, ``same_entity``)
    equal, hold or lie within its own, or whose guests (``guests``) do. So a mention of
    two or more participants looks up each pair of words of two of them (every story
    holding both, or lying within them with two or more participants, is filed under
    that pair) and each word alone among one-participant stories (``!1``); a mention of
    one participant looks up every story naming its words. The same again for its
    guests. Each also with the place (``@place``). Words, not whole names, so that
    "Steelers" finds the story of the "Pittsburgh Steelers"; pairs, so that a popular
    name brings in only its stories with the same companion; a country and the people
    who stand for it are found by the country's token (``_lookup_words``).
    """
    return candidate_terms_of(mention.type, mention.actors, mention.location)


def candidate_terms_of(event_type: str, names: Iterable[str], location: str | None) -> list[str]:
    """``candidate_terms`` of a mention of this type, these participants and this place."""
    fam, names = family(event_type), frozenset(names)
    terms = _terms(fam, sorted(names), _lookup_words, mention=True)
    if (guest := guests(names, location)) and guest != names:
        terms |= _terms(fam, sorted(guest), _lookup_words, mention=True)
    terms |= _guest_alone_terms(event_type, names, location)
    terms |= {f"{fam}:{w}" for e in named_events(names) for w in name_words(e)}
    if _kind_flag(event_type, "one_subject") and len(names) > 1:
        terms |= {f"{fam}:{w}" for n in names if stands_for(n) is None for w in name_words(n)}  # each possible subject (``_shared_subject``)
    if location is None and _kind_flag(event_type, "hosted"):
        for host in _places_among(names):
            if guest := guests(names, host):
                terms |= _terms(fam, sorted(guest), _lookup_words, mention=True)
    return _placed(terms | _host_terms(event_type, location), location)


def _places_among(names: frozenset[str]) -> list[str]:
    """The participants that are places (a city or country the gazetteer knows)."""
    gaz = gazetteer()
    return sorted(n for n in names if n in gaz.country_of or ((e := gaz.by_name.get(n)) is not None and e.kind == "country"))


def story_terms(story: Story) -> list[str]:
    """Terms a story is indexed under: each participant word (for one-participant
    mentions), each pair of words of two participants, or ``!1`` words for a
    one-participant story (and so for its guests); also with its place."""
    return story_terms_of(story.type, story.actors, story.location)


def story_terms_of(event_type: str, names: Iterable[str], location: str | None) -> list[str]:
    """``story_terms`` of a story of this type, these participants and this place."""
    fam, names = family(event_type), frozenset(names)
    terms = _terms(fam, sorted(names), _index_words, mention=False)
    if (guest := guests(names, location)) and guest != names:
        terms |= _terms(fam, sorted(guest), _index_words, mention=False, alone=GUEST_ALONE)
    return _placed(terms | _host_terms(event_type, location), location)


@names_memo
def _host_terms(event_type: str, location: str | None) -> frozenset[str]:
    """``fam:w`` for each word of the place (and the city holding a venue, not the
    country) of an event whose place names it (a ``place_actor`` kind): a story is filed,
    and a mention looks it up, under its place as under a participant, so that "the
    festival in Munich" meets the Oktoberfest and the race reported by its winner meets
    the race reported by its name (``_place_named_fit``)."""
    kind = event_types().get(event_type)
    if location is None or kind is None or not kind.place_actor:
        return frozenset()
    return frozenset(f"{family(event_type)}:{w}" for w in _host_words(location))


@names_memo
def _host_words(location: str) -> frozenset[str]:
    """The words of a place and of the places holding it but its country (unless it is one)."""
    country = _country(location)
    return frozenset(w for p in around(location) if p == location or p != country for w in name_words(p))


def _hash(*parts: object) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode()).hexdigest()[:16]


@names_memo
def _country(place: str | None) -> str | None:
    return gazetteer().country_of.get(place or "", place)


@names_memo
def around(place: str) -> frozenset[str]:
    """The place and the places that hold it: a venue, its city (gazetteer ``in``) and
    its country ("Wembley", "London", "United Kingdom")."""
    within = gazetteer().within
    held, at = [place], place
    while (up := within.get(at)) is not None and up not in held:
        held.append(up)
        at = up
    return frozenset({*held, *(c for h in held if (c := _country(h)))})


def _nested_places(a: str, b: str) -> bool:
    """One place holds the other (or they are one): a venue in its city, a city in its country."""
    return a == b or a in around(b) or b in around(a)


@lru_cache(maxsize=KINDS_MEMO)
def _window_days(event_type: str) -> int:
    known = event_types().get(event_type)
    return known.window_days if known else 10


class _Probe(NamedTuple):
    """What matching needs of a mention, worked out once rather than per candidate story."""

    family: str
    actors: frozenset[str]
    location: str | None
    event_date: date | None
    window_days: int
    open_days: int
    """How long a story not yet held nor called off stays open (the kind's ``open_days``)."""
    status: Status
    recounted_held: bool
    """A recounted held event with a place: it does not join a story without one."""
    words: frozenset[str]
    """The distinctive words of all participants (``_match_words``): a story sharing none cannot be it."""
    guests: frozenset[str]
    """The participants other than the host of its place (``guests``)."""
    background: bool
    at: datetime | None
    """When the reporting article speaks (its event time)."""
    events: frozenset[str]
    """The recurring events named among the participants (``named_events``)."""
    by_place: bool
    """Its kind's place names the event (``place_actor``) and it names a place."""
    one_per_place: bool
    """Its kind holds one event at a place within its window (``one_per_place``)."""
    per_place: bool
    """Its kind is held at one place of many (``per_place``: a tour's concerts)."""
    per_day: bool
    """Its kind is held on one day (``per_day``: a concert): two stated days are two events."""
    hosted: bool
    """Its kind has a guest and a host whose place it is (``hosted``: a visit)."""
    one_subject: bool
    """Its kind is of one subject, its own name or its company's (``one_subject``: a race, a launch)."""
    two_sides: bool
    """Its kind is played by two sides (``two_sides``: a match)."""
    edition: str | None = None
    """The round or edition the report names (``EventMention.edition``)."""

    @classmethod
    def of(cls, mention: EventMention, at: datetime | None = None) -> _Probe:
        held = mention.status == Status.TOOK_PLACE
        return cls(
            family=family(mention.type),
            actors=frozenset(mention.actors),
            location=mention.location,
            event_date=mention.event_date,
            window_days=_window_days(mention.type),
            open_days=_open_days(mention.type),
            status=mention.status,
            recounted_held=mention.background and mention.location is not None and held,
            words=_words_of(tuple(mention.actors)),
            guests=guests(frozenset(mention.actors), mention.location),
            background=mention.background,
            at=instant(at) if at is not None else None,
            events=named_events(frozenset(mention.actors)),
            by_place=mention.location is not None and _kind_flag(mention.type, "place_actor"),
            one_per_place=_kind_flag(mention.type, "one_per_place"),
            per_place=_kind_flag(mention.type, "per_place"),
            per_day=_kind_flag(mention.type, "per_day"),
            hosted=_kind_flag(mention.type, "hosted"),
            one_subject=_kind_flag(mention.type, "one_subject"),
            two_sides=_kind_flag(mention.type, "two_sides"),
            edition=mention.edition,
        )


@lru_cache(maxsize=KINDS_MEMO)
def _kind_flag(event_type: str, flag: str) -> bool:
    known = event_types().get(event_type)
    return bool(known and getattr(known, flag))


def _covered(names: Iterable[str], by: Iterable[str]) -> bool:
    """Every one of ``names`` is one of the participants ``by`` names (by entity), and
    two or more of them are not all one of ``by``: "Trump" and "Biden" both stand for
    the United States, but are not within a report of "the United States and Russia"."""
    others, covers = list(by), []
    for n in names:
        cover = frozenset(o for o in others if same_entity(n, o))
        if not cover:
            return False
        covers.append(cover)
    return len(covers) < 2 or len(covers[0]) > 1 or any(c != covers[0] for c in covers[1:])


def _actor_score(probe: _Probe, story: Story) -> int | None:
    """2 same participants, 1 one set inside the other, 0 so but one side names only the
    host (``guests``), None otherwise (by entity).

    Two reports naming the same recurring event ("Olympic Games", "Oktoberfest") are of
    one event whoever else they name ("the IOC", "Japan", "Tokyo").
    """
    return _actors_fit(probe, story.actors, story.location)


def _actors_fit(probe: _Probe, names: Iterable[str], location: str | None) -> int | None:
    """``_actor_score`` against these participants, of an event at this place: the
    participants, or else their guests (``guests``: the host named on one side only)."""
    return _fit(probe.actors, probe.location, tuple(names), location)


@lru_cache(maxsize=1 << 17)
def _fit(actors: frozenset[str], place: str | None, names: tuple[str, ...], location: str | None) -> int | None:
    """``_actors_fit`` by what it depends on: the mention's participants and place (its
    guests and named events follow from them, as in ``_Probe.of``) and the
    story's. Remembered: a mention meets many stories of the same participants and place
    (a pair of leaders' meetings in one city), and the same mentions recur."""
    theirs = frozenset(names)
    if not actors or not theirs:
        return None
    score = _actors_relation(actors, theirs)
    mine, others = guests(actors, place), guests(theirs, location)
    if score is None and mine and others and (mine != actors or others != theirs):
        guest_score = _actors_relation(mine, others)
        if guest_score == 2 or (guest_score is not None and _within(place, location) and not _other_party(mine, others)):
            score = guest_score
    if score is None and not named_events(actors).isdisjoint(theirs):
        score = 1
    if score and bool(mine) != bool(others):
        score = 0  # one side names only the host ("a festival in Munich"): the weakest fit
    return score


PLACE_NAMED_DAYS = 30
"""How near in time (at least: three of the kind's windows) an undated report joined by a
weak fit must come to the story it joins (``_near_in_time``)."""


def _place_named_fit(probe: _Probe, story: Story) -> int | None:
    """0 when the place names the event and no participant sets it apart, None otherwise.

    For a kind whose place names it (``place_actor``: a festival, a race, an election), a
    report naming only the place ("the festival in Munich", ``guests`` empty) is the
    kind's story at that place or one holding it (the Oktoberfest in Munich), and the
    other way round; for a kind held once at a place within its window
    (``one_per_place``: a race) so is any report there (the winner's race in Berlin is
    the Berlin Marathon). The weakest fit, and only near in time: stated dates within
    the kind's window, else reported within ``PLACE_NAMED_DAYS`` (or three windows) of
    the story's last report or its date. Next year's edition stays apart; so do two
    events named each by its own name (the Olympic and the Paralympic Games in Tokyo).
    """
    return 0 if _place_named(probe, tuple(story.actors), story.location) and _near_in_time(probe, story) else None


def _subject_fit(probe: _Probe, names: tuple[str, ...]) -> int | None:
    """0 (the weakest fit) when the mention's kind is of one subject (``one_subject``: a
    race, a launch, a company's meeting) and it shares that subject with the story's
    participants (``_shared_subject``), None otherwise. "Daimler" with "Livestream" in
    one report of the shareholder meeting, "Daimler" with "Ola Källenius" in the next;
    "Artemis 1" with "Florida", "Artemis I" with NASA and Orion: one event each. The
    stated dates, the kind's horizons and the places still apply."""
    return 0 if probe.one_subject and _shared_subject(probe.actors, names) else None


def _pair_fit(probe: _Probe, names: tuple[str, ...]) -> int | None:
    """1 when the mention's kind is played by two sides (``two_sides``: a match) and it
    names two sides the story names too, whatever else either names (a club named in
    passing, "the lead over Leverkusen"): the two sides are the match. None otherwise; the
    place and time still decide (the return leg is played elsewhere)."""
    return 1 if probe.two_sides and _shared_pair(probe.actors, names) else None


@lru_cache(maxsize=1 << 16)
def _shared_pair(actors: frozenset[str], names: tuple[str, ...]) -> bool:
    """Whether two participants of one set are two distinct participants of the other (by entity)."""
    matched = [frozenset(b for b in names if same_entity(a, b)) for a in actors]
    matched = [m for m in matched if m]
    return any(len(x | y) >= 2 for i, x in enumerate(matched) for y in matched[i + 1:])


@lru_cache(maxsize=1 << 16)
def _shared_subject(actors: frozenset[str], names: tuple[str, ...]) -> bool:
    """Whether two participant sets, neither within the other, share their subject: a
    name in common that is no person or country (the race's, the mission's, the company
    whose meeting it is), and whatever else each names is no person or country of the
    gazetteer nor a recurring event of its own, and not a numbered name on both sides
    (two missions, two editions: "Crew-5", "Crew-6")."""
    shared = [a for a in actors if stands_for(a) is None and any(same_entity(a, b) for b in names)]
    if not shared:
        return False
    mine = [a for a in actors if not any(same_entity(a, b) for b in names)]
    theirs = [b for b in names if not any(same_entity(a, b) for a in actors)]
    rest = frozenset(mine + theirs)
    if any(stands_for(n) is not None for n in rest) or named_events(rest):
        return False
    return not (any(_numbered(n) for n in mine) and any(_numbered(n) for n in theirs))


def _numbered(name: str) -> bool:
    return any(c.isdigit() for c in name)


def _place_named(probe: _Probe, names: tuple[str, ...], location: str | None) -> bool:
    """``_place_named_fit`` short of its test of time: what it asks of a story's
    participants and place, the same for every story of them (``find_story``'s groups)."""
    if not probe.by_place or location is None or not _nested_places(probe.location, location):
        return False
    return probe.one_per_place or not probe.guests or not guests(frozenset(names), location)


def _near_in_time(probe: _Probe, story: Story) -> bool:
    """The test of time of the weak fits (``_place_named_fit``, ``_unplaced_venue``), which
    join reports no participant or place ties: stated dates within the kind's window,
    else the report within ``PLACE_NAMED_DAYS`` (or three windows) of the story's last
    report or its date."""
    if probe.event_date is not None and story.event_date is not None:
        return abs((probe.event_date - story.event_date).days) <= probe.window_days
    if probe.at is None:
        return True
    horizon = timedelta(days=max(3 * probe.window_days, PLACE_NAMED_DAYS))
    if probe.at - _last_report(story) <= horizon:
        return True
    return story.event_date is not None and abs(probe.at.date() - story.event_date) <= horizon


def _other_party(mine: frozenset[str], others: frozenset[str]) -> bool:
    """Whether the guests one side names beyond the other's include a party of its own (a
    country, or a person who stands for one): Merz with Macron in Paris and Merz with
    Trump in Paris are two meetings; Charles III with Macron in France and Charles III
    with Camilla in Paris are one visit."""
    small, big = (mine, others) if _covered(mine, others) else (others, mine)
    return any(stands_for(n) is not None and not any(same_entity(n, o) for o in small) for n in big)


def _within(a: str | None, location: str | None) -> bool:
    """Both places known and one holds the other (or the same): then the host one report
    names and the other leaves out is one host. A story without a place may be another
    meeting of the guest (with someone else, elsewhere) and takes only the same guests."""
    return a is not None and location is not None and _nested_places(a, location)


@lru_cache(maxsize=1 << 16)
def _actors_relation(mine: frozenset[str], theirs: frozenset[str]) -> int | None:
    """``_actor_score`` of two participant sets; remembered, since the same pairs of
    sets meet again and again (a story's participants, each mention naming them)."""
    if mine.issubset(theirs) or mine.issuperset(theirs):  # the usual case: same spelling
        inside, around = mine.issubset(theirs), mine.issuperset(theirs)
    else:
        inside, around = _covered(mine, theirs), _covered(theirs, mine)
    return 2 if inside and around else (1 if inside or around else None)


def _place_score(probe: _Probe, story: Story) -> int | None:
    """2 same place, 1 one holds the other (a venue in its city, a city in its country:
    ``around``), 0 one side unknown, None apart."""
    a, b = probe.location, story.location
    if a is None or b is None:
        return None if probe.recounted_held and b is None else 0
    if a == b:
        return 2
    return 1 if _nested_places(a, b) else None


@lru_cache(maxsize=KINDS_MEMO)
def _open_days(event_type: str) -> int:
    """A story of this kind not yet held or called off, unreported this long, is not what
    a new report speaks of (``open_days`` in types.yaml)."""
    known = event_types().get(event_type)
    return known.open_days if known else OPEN_STORY_DAYS


OPEN_STORY_DAYS = 180
"""A story not yet held or called off, unreported this long, is not what a new report
speaks of; a delayed one is awaited for its kind's ``open_days`` (this unless the kind
says: an election put off is awaited longer than a match)."""
DELAYED_STORY_DAYS = 365
"""How long a delayed story keeps a new one naming it otherwise from being announced:
the news of an event put off may not come before its new date. Also the least time a
story put off, unreported since, still takes a later stated date as its new one
(``_still_awaited``)."""


def _last_report(story: Story) -> datetime:
    return instant(story.timeline[-1].at) if story.timeline else instant(story.status_since)


def _fits_time(probe: _Probe, story: Story) -> bool:
    """Stated dates further apart than the type's window are different events, except
    that a story put off is met at a later date (its new one) and, by a report that does
    not say it was held, at an earlier one (the date it was moved from: "the trial set
    for 9 September was postponed" after the story learnt its new date); reports far
    apart in time when the dates are not stated are different events too (the same pair
    meeting years later), and so is a forward-looking report after the story was held
    (the next edition). A report long after, stating a date, of a story open without one,
    is judged by that date (``_dated_within``): "the race had been scheduled for April 11
    but was postponed", in a report of the race in October, speaks of the delay reported
    on April 1, however long the story has been silent since. For a kind held on one
    day (``per_day``: the shows of a week in one hall) two stated days are two events,
    short of the put-off exceptions."""
    if probe.event_date is not None and story.event_date is not None:
        days = (probe.event_date - story.event_date).days
        if abs(days) <= (0 if probe.per_day else probe.window_days):
            return True
        if days > 0:  # whether the story is put off (``_put_off``) is asked only where it matters
            return (days <= probe.open_days and _date_passed(probe, story)) or _still_awaited(probe, story, _put_off(probe, story)) or _called_off_for(probe, story, days)
        return -probe.open_days <= days < 0 and probe.status != Status.TOOK_PLACE and _put_off(probe, story)
    if probe.at is None:
        return True
    delayed = _put_off(probe, story)
    finished = story.status in (Status.TOOK_PLACE, Status.CANCELLED)
    horizon = timedelta(days=max(3 * probe.window_days, 30) if finished else probe.open_days if delayed else OPEN_STORY_DAYS)
    if probe.at - _last_report(story) > horizon and not _awaited(probe, story) and not _dated_within(probe, story, horizon, finished):
        return False
    if story.status == Status.TOOK_PLACE and STAGE[probe.status] < STAGE[Status.TOOK_PLACE] and not probe.background:
        return probe.at <= instant(story.status_since) + timedelta(days=1)
    return True


def _put_off(probe: _Probe, story: Story) -> bool:
    """Whether a story is put off: postponed or on hold, or planned again without a new
    date once its date has passed while a source's last word on it is still the delay
    (a report that "the visit will celebrate ..." after the delay, without a date, does
    not tell that it is held on the old one: the story still awaits its new date)."""
    if story.status in (Status.POSTPONED, Status.ON_HOLD):
        return True
    return _date_passed(probe, story) and any(s in (Status.POSTPONED, Status.ON_HOLD) for s in story.source_status.values())


def _dated_within(probe: _Probe, story: Story, horizon: timedelta, finished: bool) -> bool:
    """Whether a report long after a story open without a date speaks of it by the date it
    states: that date within the story's horizon of its last report, and no move back
    (a delay recalled, the event held; a plan that would undo the delay is as often the
    next edition's)."""
    if probe.event_date is None or finished or is_backward(story.status, probe.status):
        return False
    return abs(probe.event_date - _last_report(story).date()) <= horizon


def _still_awaited(probe: _Probe, story: Story, delayed: bool) -> bool:
    """Whether a story put off still awaits its new date when a report states a later
    one: unless it has gone unreported longer than its kind's ``open_days``, and at least
    ``DELAYED_STORY_DAYS`` (an event put off is made up within about a year: the concert
    put off in March and again in November, the state visit of July made up next May).
    A plan of the same parties after a longer silence is a new event: the consultations
    put off in October 2022 and unreported since are not the ministers' meeting planned
    after a state visit in May 2024."""
    if not delayed:
        return False
    return probe.at is None or probe.at - _last_report(story) <= timedelta(days=max(probe.open_days, DELAYED_STORY_DAYS))


YEAR_DAYS = 365
"""Editions of a recurring event a year apart (within the kind's window) are two events."""


def _called_off_for(probe: _Probe, story: Story, days: int) -> bool:
    """Whether a story called off is what a report of a later date speaks of: in the
    days its call-off is the news (``DELAY_NEWS``), the later date a report states is the
    one that was called off, which the story may never have learnt ("the state election
    planned for September 26 cannot take place", of an election first set for April
    and put off). Within the kind's ``open_days`` of the story's date and short of next
    year's edition; later on, a plan of a later date is another event (the next
    edition announced after this one was called off)."""
    if story.status != Status.CANCELLED or days > probe.open_days or days >= YEAR_DAYS - probe.window_days:
        return False
    return probe.at is not None and probe.at - instant(story.status_since) <= DELAY_NEWS


def _awaited(probe: _Probe, story: Story) -> bool:
    """A story planned for a stated date is awaited until that date (and the kind's
    window after it), however long the news was silent: the opening set for 31 October a
    year ago is what a report of the opening on 31 October speaks of; so is a story put
    off to a date it learnt (the concert moved to next June). Not a story held or called
    off, nor one whose date has passed."""
    return (
        story.status not in (Status.TOOK_PLACE, Status.CANCELLED) and story.event_date is not None and probe.at is not None
        and (probe.at.date() - story.event_date).days <= probe.window_days
    )


def _date_passed(probe: _Probe, story: Story) -> bool:
    """A story still planned whose date passed without its being held was put off (the
    report of the delay may have gone unread): a later date is its new one, if within
    the kind's ``open_days`` of the old (``_fits_time``): the derby planned for February
    and unreported since is not what a report of the derby the next February speaks of."""
    return story.status == Status.PLANNED and probe.at is not None and story.event_date is not None and probe.at.date() > story.event_date


@lru_cache(maxsize=1 << 17)
def _nested_fit(actors: frozenset[str], place: str | None, names: tuple[str, ...], location: str | None) -> int | None:
    """``_fit`` of a story whose participants equal, hold or lie within the mention's, or
    share a distinctive word with them (``_match_words``: a story sharing none cannot be
    it); None for any other. The first test ``_score`` makes of each candidate, by what
    it depends on, remembered like ``_fit``: most of a mention's candidates are stories
    of the same participants and place."""
    theirs = frozenset(names)
    nested = not actors.isdisjoint(theirs) and (actors.issubset(theirs) or actors.issuperset(theirs))
    if not nested and _words_of(tuple(sorted(actors))).isdisjoint(_words_of(names)):
        return None
    return _fit(actors, place, names, location)


@lru_cache(maxsize=1 << 16)
def _words_of(actors: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(_match_words(a) for a in actors))


@names_memo
def _match_words(name: str) -> frozenset[str]:
    """A name's words and ``^C`` for the country C it is or stands for: two participant
    sets that share none of these share no entity."""
    country = stands_for(name)
    return name_words(name) | ({"^" + _token(country)} if country else set())


def _score(probe: _Probe, story: Story) -> int | None:
    """``match_score`` for a mention already probed; the cheapest rejections come first."""
    return _scored(probe, story, _or_weak_fits(probe, story, _actor_score(probe, story)))


def _or_weak_fits(probe: _Probe, story: Story, fit: int | None) -> int | None:
    """A participant fit found, else the weak ones: ``_hosted_fit``, ``_subject_fit``, ``_pair_fit``, else ``_place_named_fit``."""
    if fit is None:
        fit = _hosted_fit(probe, tuple(story.actors), story.location)
    if fit is None:
        fit = _subject_fit(probe, tuple(story.actors))
    if fit is None:
        fit = _pair_fit(probe, tuple(story.actors))
    return _place_named_fit(probe, story) if fit is None else fit


def _hosted_fit(probe: _Probe, names: tuple[str, ...], location: str | None) -> int | None:
    """For a kind with a guest and a host (``hosted``: a visit), a mention naming no place
    but the story's host as a side ("Xi Jinping and Japan" beside the state visit in
    Japan told as "Xi and Suga") names that place: its participants are judged as if it
    said where (``_fit``: the host is no guest). Another party named beside the host
    still sets it apart (``_other_party``)."""
    if not probe.hosted or probe.location is not None or location is None or probe.actors.isdisjoint(hosts_of(location)):
        return None
    return _fit(probe.actors, location, names, location)


def _scored(probe: _Probe, story: Story, actors: int | None) -> int | None:
    """``_score`` with the story's participant fit known."""
    if actors is None or family(story.type) != probe.family:
        return None
    return _scored_in_family(probe, story, actors)


def _scored_in_family(probe: _Probe, story: Story, actors: int | None) -> int | None:
    """``_scored`` of a story of the mention's family (``find_story`` tests the family
    once per group)."""
    if actors is None or not _same_edition(probe, story) or not _fits_time(probe, story):
        return None
    if story.status == Status.TOOK_PLACE and probe.status != Status.TOOK_PLACE and probe.location != story.location:
        return None
    place = _place_score(probe, story)
    if place is None and actors == 2 and _unplaced_venue(probe, story):
        place = 0
    return None if place is None else actors * 3 + place


def _same_edition(probe: _Probe, story: Story) -> bool:
    """Whether the report may be of the story's round or edition: a report naming none
    may (no report is split off for leaving the number out), as may one of a story that
    names none yet; two ordinals must be equal ("the fourth round", "the fifth round"),
    two years too ("Glastonbury 2020", "Glastonbury 2021") unless the story's date or the
    report's lies in the other's year (the Games of 2020 put off and held in 2021 are
    named by either). An ordinal and a year number editions two ways ("the 50th
    Glastonbury", "Glastonbury 2020") and never tell them apart. A year edition is not
    held before its year: a story without an edition dated in an earlier year is an
    earlier edition ("Glastonbury 2021" of a story dated June 2020). A recounted edition
    of a year ("In 2020 Oktoberfest was cancelled", told in 2021) is a story without an
    edition only when that story is of its year: dated in it, else, undated, decided in
    it (its status since); a year's edition postponed into the next is named in the news
    of it, not recounted, so this year's story never takes last year's recounted turn."""
    mine, theirs = probe.edition, story.edition
    if mine is None:
        return not _recounted_only(probe, story)
    year = year_edition(mine)
    if theirs is None and year is not None and probe.background:
        return (story.event_date.year if story.event_date is not None else story.status_since.year) == year
    if theirs is None:
        return year is None or story.event_date is None or story.event_date.year >= year
    their_year = year_edition(theirs)
    if year is None or their_year is None:
        return mine == theirs or (year is None) != (their_year is None)
    return (
        year == their_year
        or (story.event_date is not None and story.event_date.year == year)
        or (probe.event_date is not None and probe.event_date.year == their_year)
    )


def _recounted_only(probe: _Probe, story: Story) -> bool:
    """Whether a story is an edition of a year before the report's that only recounting
    told (never announced: "Last year's edition of the race was cancelled", in a report of
    this year's delay): this year's news naming no edition is not of it, nor a recounted
    plan dated in a later year ("In diesem Jahr sollte das Oktoberfest vom 18. September
    ... stattfinden")."""
    year = year_edition(story.edition)
    if story.announced or year is None or probe.at is None or year >= probe.at.year:
        return False
    return not probe.background or (probe.event_date is not None and probe.event_date.year > year)


def _unplaced_venue(probe: _Probe, story: Story) -> bool:
    """Whether two places apart by the gazetteer may be one: one is a venue it does not
    place (``venue``: "the Elysée Palace", "Capella Hotel") and the other a city it knows,
    the reports name the same participants, their kind is not held at one place of many
    (``per_place``: a tour's concerts, a club's matches stay apart by place), and they are
    near in time (``_near_in_time``). A city in one report, its venue in the next: one
    event; the same people in two known cities, or at a place that is no venue ("the
    Korean Peninsula"), stay two."""
    if probe.per_place or probe.location is None or story.location is None:
        return False
    a, b = probe.location, story.location
    if not ((venue(a) and _city(b)) or (venue(b) and _city(a))):
        return False
    return _near_in_time(probe, story)


@names_memo
def venue(place: str) -> bool:
    """A place the gazetteer does not know whose name has a venue word (``venue_words``)."""
    gaz = gazetteer()
    return place not in gaz.country_of and place not in gaz.by_name and not name_words(place).isdisjoint(_venue_words())


@cache
def _venue_words() -> frozenset[str]:
    return frozenset(w for v in gazetteer().venue_words for w in name_words(v))


def _city(place: str) -> bool:
    """A city (or venue) the gazetteer places."""
    return place in gazetteer().country_of


def match_score(mention: EventMention, story: Story) -> int | None:
    """How well a mention fits a story (higher is better), None when it cannot be it."""
    return _score(_Probe.of(mention), story)


StoryGroups = dict[tuple[tuple[str, ...], str | None, str], list[Story]]
"""Stories by participants, place and kind: what ``find_story``'s participant fit depends on."""


def by_participants(stories: Mapping[str, Story]) -> StoryGroups:
    """``stories`` grouped for ``find_story``: a mention is tested once per group (its
    participant fit, the weak fits' conditions on participants and place, its family)
    instead of once per story. An article's candidates are mostly stories of the same
    few pairs of leaders in the same cities (three stories a group on the realistic mix),
    and every mention of an article meets the same candidates."""
    groups: StoryGroups = {}
    for story in stories.values():
        groups.setdefault((tuple(story.actors), story.location, story.type), []).append(story)
    return groups


def find_story(
    mention: EventMention, stories: Mapping[str, Story], article_id: str = "", at: datetime | None = None, groups: StoryGroups | None = None,
) -> Story | None:
    """The best-fitting story; ties go to the one whose status changed last, then to the
    one more reports told (then id).

    A story that already holds this article wins outright, so a re-delivered article is
    filed exactly as the first time (idempotence). ``at`` is the reporting article's
    publication time; an undated article (known only by its arrival) is not judged by time.
    Two stories of the same people that one article started at once (the trial in New
    York it reports, the one in Los Angeles it mentions in passing) fit a later report
    naming no place alike: it speaks of the one the news follows, not of the aside.
    """
    probe = _Probe.of(mention, at)
    scored = []
    for (names, location, kind), members in (by_participants(stories) if groups is None else groups).items():
        tested, fit = _group_fit(probe, names, location, kind)
        if not tested:
            continue
        for s in members:
            if (score := _member_score(probe, s, fit)) is not None:
                scored.append((score + (100 if article_id in s.article_ids else 0), s.status_since, s.reports, s.story_id, s))
    return max(scored, key=lambda t: t[:4])[4] if scored else None


def _group_fit(probe: _Probe, names: tuple[str, ...], location: str | None, kind: str) -> tuple[bool, int | None]:
    """``find_story``'s test of a group of stories (participants, place, kind): whether
    its stories are scored at all, and their participant fit (``_nested_fit``, else the
    weak fits; None: the place-named one, timed per story)."""
    if family(kind) != probe.family:
        return False, None
    fit = _nested_fit(probe.actors, probe.location, names, location)
    if fit is None:
        if not (probe.hosted or probe.one_subject or probe.two_sides or probe.by_place):  # no weak fit can hold (``_hosted_fit``, ``_subject_fit``, ``_pair_fit``, ``_place_named``)
            return False, None
        fit = _hosted_fit(probe, names, location)
        if fit is None:
            fit = _subject_fit(probe, names)
        if fit is None:
            fit = _pair_fit(probe, names)
        if fit is None and not _place_named(probe, names, location):
            return False, None
    return True, fit


def _member_score(probe: _Probe, story: Story, fit: int | None) -> int | None:
    """``find_story``'s score of one story of a group that ``_group_fit`` let through."""
    actors = fit if fit is not None else (0 if _near_in_time(probe, story) else None)
    return _scored_in_family(probe, story, actors)


def probe_of(mention: EventMention, at: datetime | None = None) -> _Probe:
    """What ``find_story`` tests stories against for a mention of an article published at ``at``."""
    return _Probe.of(mention, at)


def may_take(probe: _Probe, story: Story) -> bool:
    """Whether ``find_story`` could file the mention of ``probe`` under ``story`` (its
    score is not None): the same tests, on the fields they read (type, participants,
    place, date, status, status_since, the last claim's time, the sources' statuses, the
    edition),
    so a view of a head holding just those (``story_store.HeadView``) answers as the
    decoded story would. A story it cannot take needs no decoding to file the mention."""
    tested, fit = _group_fit(probe, tuple(story.actors), story.location, story.type)
    return tested and _member_score(probe, story, fit) is not None


@names_memo
def _actor_order(name: str) -> tuple[int, str]:
    """Gazetteer order (people as listed, the main actor first), unknown names last."""
    names = [e.name for _, e in gazetteer().entities]
    return (names.index(name) if name in names else len(names), name)


def story_title(event_type: str, actors: list[str], location: str | None, edition: str | None = None) -> str:
    """A readable title: "Trump–Putin summit in Budapest"; an edition leads it as
    readers name one, a year as it is and an ordinal as an English one, whatever the
    language of the reports ("2021 Wimbledon–All England Club tournament", "7th
    Iran–European Union negotiation round in Vienna")."""
    label = event_types()[event_type].label if event_type in event_types() else event_type
    who = "–".join(sorted(actors, key=_actor_order))
    lead = "" if edition is None else f"{edition if year_edition(edition) else ordinal(edition)} "
    return f"{lead}{who} {label}" + (f" in {location}" if location else "")


def ordinal(number: str) -> str:
    """"7" as "7th", "22" as "22nd", "113" as "113th"."""
    n = int(number)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def new_story_ids(mention: EventMention, article_id: str) -> tuple[str, str]:
    """The ids a story started by ``mention`` takes (``_new_story``): the first, or the
    second when a story the article meets already has the first."""
    key = (family(mention.type), ",".join(sorted(mention.actors)), mention.location or "", mention.event_date or "")
    key += (mention.edition,) if mention.edition is not None else ()  # another round of the same sides: another id
    return "st-" + _hash(*key), "st-" + _hash(*key, article_id)


def _new_story(mention: EventMention, article: ArticleEvents, stories: dict[str, Story]) -> Story:
    first, other = new_story_ids(mention, article.article_id)
    story_id = other if first in stories else first
    return Story(
        story_id=story_id,
        title=story_title(mention.type, mention.actors, mention.location, mention.edition),
        type=mention.type,
        actors=sorted(mention.actors),
        location=mention.location,
        event_date=mention.event_date,
        status=mention.status,
        status_since=article.event_time,
        edition=mention.edition,
    )


def merge_participants(known: list[str], new: Iterable[str]) -> list[str]:
    """The story's participants with a report's added; one name per entity, the fullest,
    and a person rather than the country he or she stands for ("Rubio" for "United
    States" in a story of Rubio's meeting)."""
    names = list(known)
    for name in new:
        same = [i for i, n in enumerate(names) if same_name(n, name)]
        country = stands_for(name)
        if same:
            if all(len(name_words(name)) > len(name_words(names[i])) for i in same):
                names[same[0]] = name
        elif country == name and any(stands_for(n) == name for n in names):
            continue  # a person of the story already stands for this country
        elif country is not None and country in names:
            names[names.index(country)] = name
        else:
            names.append(name)
    return sorted(dict.fromkeys(names))


def _new_date(story: Story, mention: EventMention, at: datetime | None, before: _Move | None = None) -> date | None:
    """The story's date after this report: its own, the report's when it had none, or
    the report's later one when the event was put off (postponed, on hold, or its date
    passed while still planned) and the report is news, not a recounting: the visit
    postponed from March and held in September is dated in September, so a report of
    the September days is still its story.

    One report moves the story once (``before``: the date it had before this report and
    the mention that moved it): of the later dates the report states, a plan's before a
    delay's, then the first. "The Tour will begin on August 29 ... and finish on the
    Champs-Elysees on September 20": the race is dated from its start, where its first
    stage is reported; "postponed after the ban on gatherings until July 15" dates the
    ban, not the race."""
    if before is not None:
        moved = _new_date(story.model_copy(update={"event_date": before.old}), mention, at)
        if moved is None or moved == before.old:
            return story.event_date
        return min((moved, mention), (story.event_date, before.mention), key=lambda d: (d[1].status != Status.PLANNED, d[0]))[0]
    old, new = story.event_date, mention.event_date
    if old is None or new is None:
        return old or new
    put_off = story.status in (Status.POSTPONED, Status.ON_HOLD) or (story.status == Status.PLANNED and at is not None and instant(at).date() > old)
    moved = (new - old).days > _window_days(mention.type)
    return new if put_off and moved and not mention.background else old


class _Move(NamedTuple):
    """A report's move of a story's date (``_new_date``): the date it had, and the mention that moved it."""

    old: date | None
    mention: EventMention


def _widen(story: Story, mention: EventMention, at: datetime | None = None, before: _Move | None = None) -> Story:
    """A story learns participants, a more precise place, a date (``_new_date``; ``before``:
    the move of its date this report already made), a more specific type, and the round
    or edition a report that is news names, when it had none."""
    types = event_types()
    actors = merge_participants(story.actors, mention.actors)
    location = story.location
    if mention.location and (location is None or (mention.location != location and location in around(mention.location))):
        location = mention.location
    rank = {t: types[t].rank if t in types else 0 for t in (story.type, mention.type)}
    etype = mention.type if rank[mention.type] > rank[story.type] else story.type
    edition = story.edition if story.edition is not None or mention.background else mention.edition  # a recounted round names another one
    update = {
        "actors": actors,
        "location": location,
        "type": etype,
        "event_date": _new_date(story, mention, at, before),
        "edition": edition,
        "title": story_title(etype, actors, location, edition),
    }
    if all(getattr(story, name) == value for name, value in update.items()):
        return story  # nothing learnt (the usual case): no copy
    return story.model_copy(update=update)


def _claim_order(m: EventMention) -> tuple[bool, bool, float]:
    """Which of an article's mentions speaks for it: news, then headline/lead, then confidence."""
    return (not m.background, m.in_lead, m.confidence)


DELAY_NEWS = timedelta(days=7)
"""How long the dates in reports of a delay are the delay's own ("postponed to 14
September"); later, a new date is a new plan (``article_claim``)."""


@lru_cache(maxsize=CUES_MEMO)
def rescheduling_cue(cue: str) -> bool:
    """Whether a delay cue sets a new date ("rescheduled", "verlegt"; ``rescheduling``)."""
    return any(lex.rescheduling.fullmatch(cue) for lex in lexicons().values())


def article_claim(mentions: list[EventMention], story: Story, article: ArticleEvents) -> EventMention:
    """The mention that speaks for an article on a story (``_claim_order``), except that a
    new date after a delay is the news: on a story delayed for longer than ``DELAY_NEWS``,
    a plan with a date to come wins over the delay the article recalls ("could not take
    place as planned on 1 April ... will be held on 8 July"), and a delay cue that sets
    that date ("have been rescheduled for April 3") plans the event again."""
    best = max(mentions, key=_claim_order)
    if best.status != story.status or story.status not in (Status.POSTPONED, Status.ON_HOLD) or not story.announced:
        return best
    at = instant(article.event_time)
    if at - instant(story.status_since) < DELAY_NEWS:
        return best  # the delay is this week's news: a date in the same reports belongs to it
    dated = [
        m for m in mentions
        if not m.background and m.event_date is not None and m.event_date >= at.date()
        and (m.status == Status.PLANNED or (m.status == Status.POSTPONED and rescheduling_cue(m.cue)))
    ]
    if not dated:
        return best
    new = max(dated, key=_claim_order)
    return new if new.status == Status.PLANNED else new.model_copy(update={"status": Status.PLANNED})


def _entry(article: ArticleEvents, m: EventMention) -> TimelineEntry:
    return TimelineEntry(
        status=m.status,
        at=article.event_time,
        article_id=article.article_id,
        source=article.source,
        agency=article.agency,
        url=article.url,
        evidence=m.evidence,
        attributed_to=m.attributed_to,
        background=m.background,
        confidence=m.confidence,
    )


def _alert(kind: AlertKind, story: Story, article: ArticleEvents, m: EventMention, old: Status | None, sources: int) -> Alert:
    return Alert(
        alert_id="al-" + _hash(story.story_id, kind.value, old, story.status, article.article_id),
        kind=kind,
        story_id=story.story_id,
        story_title=story.title,
        event_type=story.type,
        actors=story.actors,
        location=story.location,
        country=_country(story.location) if story.location else None,
        language=article.language,
        event_date=story.event_date,
        parent_id=story.parent_id,
        from_status=old,
        to_status=story.status,
        evidence=m.evidence,
        article_id=article.article_id,
        source=article.source,
        url=article.url,
        attributed_to=m.attributed_to,
        sources_count=sources,
        sources=story.sources,
        confidence=round(min(1.0, m.confidence * (0.8 + 0.1 * min(sources, 2))), 3),
        event_time=article.event_time,
        published_at=article.published_at,
        received_at=article.received_at,
    )


def _filed(timeline: list[TimelineEntry], entry: TimelineEntry) -> list[TimelineEntry]:
    """``timeline`` (in event-time order) with ``entry`` in its place."""
    key = (instant(entry.at), entry.article_id)
    i = len(timeline)
    while i and (instant(timeline[i - 1].at), timeline[i - 1].article_id) > key:
        i -= 1
    return [*timeline[:i], entry, *timeline[i:]]


def _latest_if_newest(latest: dict[str, Status], window: list[tuple[datetime, TimelineEntry]], at: datetime, entry: TimelineEntry) -> None:
    """A late claim is its source's latest when no newer claim of that source is in the
    window (any newer one would be: it is newer than the late claim)."""
    key = source_key(entry)
    inside = bool(window) and at >= window[0][0]
    if entry.confidence >= MIN_CONFIDENCE and ((inside and not any(a > at and source_key(e) == key for a, e in window)) or key not in latest):
        latest[key] = entry.status


def well_known(actors: Iterable[str]) -> bool:
    """Every participant is a name the gazetteer holds (not one read from the text alone)."""
    by_name = gazetteer().by_name
    names = list(actors)
    return bool(names) and all(n in by_name for n in names)


def _announce(timeline: list[TimelineEntry], m: EventMention, status: Status, policy: AlertPolicy | None = None) -> bool:
    """Whether a story not yet announced is now: some article reported it as news, and
    this claim announces it at once (``announces_at_once``: a firm headline on well-known
    participants) or enough articles confirm it (``announce_after_reports``).

    A story that one article mentions in passing, or whose participants are names read
    from that one article alone, is as often a misreading as a story: it is tracked from
    the first mention, and subscribers hear of it when a second article confirms it.
    A recounting confirms only that the event was held ("a day before Zelensky's visit to
    the White House", as ``recounted_move`` lets it move the story): a recounted plan or
    delay ("the opening was put off several times in recent years") says nothing new of
    a story one passing mention started, and is as often another edition's. Nor does a
    sentence that does not name the event (``named_claim_confidence``, ``move_waits``)."""
    policy = policy or alert_policy()
    if not any(not e.background for e in timeline):
        return False  # known only from recounted background: never announced on its own
    if status == Status.TOOK_PLACE:  # only a story held can be one first heard of as held (the timeline is read only then)
        claims = counted(timeline)
        held = {source_key(e) for e in claims if e.status == Status.TOOK_PLACE}
        if claims and held_news_waits(claims[0].status, status, len(held), bool(named_events(frozenset(m.actors))), policy):
            return False
    if announces_at_once(m, well_known(m.actors), policy):
        return True
    confirming = {
        e.article_id for e in timeline
        if (not e.background or e.status == Status.TOOK_PLACE) and e.confidence >= policy.named_claim_confidence
    }
    return len(confirming) >= policy.announce_after_reports


def unheld(current: Status, new: Status) -> bool:
    """A move away from took_place: an event held is not un-held. A later plan, delay or
    call-off of "it" is the next edition's (or a misreading), never this story's turn."""
    return current == Status.TOOK_PLACE and new != Status.TOOK_PLACE


FRESH_DELAY = timedelta(days=14)
"""A delay or call-off reported within this long is not undone by a weak plan without a date."""


@lru_cache(maxsize=CUES_MEMO)
def weak_cue(cue: str) -> bool:
    """Whether a claim's cue is a weak one (``weak_cues``: "will", "wird", "geplant",
    "scheduled"): an attribute of the event more than news of a decision."""
    return any(c.weak and c.regex.fullmatch(cue) for lex in lexicons().values() for c in lex.cues)


def weak_return(current: Status, since: datetime, new: Status, m: EventMention, at: datetime) -> bool:
    """Whether a move back (a delay or call-off to planned) rests on a weak cue that is no
    news of a new decision, and the story stays put:

    - without a date within ``FRESH_DELAY`` of the delay: "the vote will ..." a few days
      after "the vote is postponed" tells of the event;
    - once the delay is older than the kind's ``open_days`` (``stale_delay``), unless it
      is the news of the report, a new date in its headline or lead ("the vote will be
      held on 24 March"): "the state visit will be followed on Tuesday by a meeting" in
      the body, or "Europe will be a topic of Macron's visit again" without a date, in
      a report on the visit made up a year on, tell of its programme, not that the
      event put off is planned again.

    A new date soon after the delay, a strong cue ("is on for", "findet statt") or a weak
    plan whose delay is not that old does move it back."""
    if not is_backward(current, new) or not weak_cue(m.cue):
        return False
    waited = instant(at) - instant(since)
    if waited < FRESH_DELAY:
        return m.event_date is None
    return stale_delay(m.type, waited) and not (m.in_lead and m.event_date is not None)


def stale_delay(event_type: str, waited: timedelta) -> bool:
    """Whether a story of this kind put off ``waited`` ago has waited longer than its kind
    keeps a story open (``open_days``): a delay that old is not undone in passing."""
    return waited > timedelta(days=_open_days(event_type))


def held_back(
    story: Story, m: EventMention, new: Status, sources: int, at: datetime, policy: AlertPolicy | None = None, left: Iterable[Status] = (),
) -> bool:
    """Whether a move waits for confirmation (``move_waits``): one source's sentence that
    does not name its event ("a diplomatic source said after the meeting", in a report on
    what replaced a postponed meeting, is not news that the postponed one was held), a
    turn told only in the body of a report, a report that the event was held before
    its date came, a weak undated return to planned (``undated_return``), or a body
    report taking the story again to a status it has left (``repeated_turn``; ``left``:
    ``statuses_left`` of the story before this report). The claim is filed and the
    story stays where it is until a firm report or a second independent source says it."""
    policy = policy or alert_policy()
    backward = is_backward(story.status, new)
    doubtful = (
        early_took_place(new, story.event_date, at, policy)
        or undated_return(backward, weak_cue(m.cue), m, policy)
        or repeated_turn(backward, new, set(left), m, policy)
    )
    return move_waits(m, sources, doubtful, policy)


def statuses_left(story: Story) -> set[Status]:
    """The statuses some source's latest report still gives the story, other than its
    current one (``source_status``, kept however long the story runs): the turns a
    ``repeated_turn`` would take it back to."""
    return set(story.source_status.values()) - {story.status}


def moves_announced(current: Status, since: datetime, new: Status, m: EventMention, at: datetime) -> bool:
    """Whether a move the status rule accepts turns an announced story (and alerts): not
    when it un-holds a held event (``unheld``) nor when it is a ``weak_return``."""
    return not unheld(current, new) and not weak_return(current, since, new, m, at)


def _apply(
    story: Story, article: ArticleEvents, m: EventMention, entry: TimelineEntry, created: bool, shadow: bool = False, policy: AlertPolicy | None = None,
) -> tuple[Story, list[Alert]]:
    """Add the article's claim to a story and decide its status (late articles only fill in).

    Reads only the claims within the status window (``window_of``) and the sources'
    latest statuses, so the cost does not grow with the story's length; the story's
    ``timeline`` may be the whole of it or only that window (a stored head).
    """
    window = [] if created else window_of(timed(story.timeline))
    at = instant(entry.at)
    late = bool(window) and at < window[-1][0]
    latest = dict(story.source_status)
    updated = story.model_copy(update={
        "timeline": _filed(story.timeline, entry),
        "sources": sorted({*story.sources, article.source or article.article_id}),
        "article_ids": [*story.article_ids, article.article_id],
        "version": story.version + 1,
        "reports": story.reports + 1,
        "source_status": latest,
    })
    if late:
        _latest_if_newest(latest, window, at, entry)
        decided = None
    else:
        decided = step(None if created or not story.source_status else story.status, story.status_since, window, (at, entry), latest)
    if created or not story.announced:
        if decided is not None and not created and decided[0] != story.status and (
            not moves_announced(story.status, story.status_since, decided[0], m, at) or held_back(updated, m, decided[0], _confirming(updated, decided), at, policy, statuses_left(story))
        ):
            decided = None  # held back before the announcement too: it is announced without that move
        if decided is not None or created:
            updated.status, updated.status_since = (decided[0], decided[1]) if decided else (m.status, article.event_time)
        if (late and not created) or shadow or not _announce(updated.timeline, m, updated.status, policy):
            # a recounted past event, or one passing mention, is filed (its story keeps
            # its status) but announced only once it is the news of an article
            updated.announced = False
            return updated, []
        updated.announced = True
        decision = Decision(decided[0], decided[1], entry, decided[2]) if decided else None
        return updated, _announcement(updated, article, m, timed(updated.timeline), decision)
    if decided is None or decided[0] == story.status or not moves_announced(story.status, story.status_since, decided[0], m, at):
        return updated, []
    if held_back(updated, m, decided[0], _confirming(updated, decided), at, policy, statuses_left(story)):
        return updated, []
    old = story.status
    updated.status, updated.status_since = decided[0], decided[1]
    return updated, [_alert(AlertKind.STATUS_CHANGED, updated, article, m, old, decided[2])]


def _confirming(story: Story, decided: tuple[Status, datetime, int]) -> int:
    """Independent sources behind a move the status rule accepts that confirm it: those
    whose latest word is the new status, and that said it since the story took the
    status it would leave (``confirming_sources``)."""
    return min(decided[2], confirming_sources(story.timeline, decided[0], story.status_since))


def _announcement(
    story: Story, article: ArticleEvents, m: EventMention, claims: list[tuple[datetime, TimelineEntry]], decision: Decision | None
) -> list[Alert]:
    """Announce a story with the status path it took before it was announced.

    A story confirmed by its second report whose status moved meanwhile (planned in the
    first article, postponed in this one) is announced as it began, from the first
    report's evidence, then with the move this article reports: the subscriber learns
    the story and its turn, each with its own evidence and source. One confirmed in the
    same status is announced with the report that waited for confirmation, unless this
    one is surer: a headline held back ("Emperor's UK state visit postponed over
    virus") is the news, released by the passing line, teaser or recounting that
    confirmed it, not told by it.
    """
    sources = decision.sources if decision else 1
    earlier = [(at, e) for at, e in claims if e.article_id != article.article_id and not e.background]
    before = decide_timed(earlier) if earlier else None
    if before is not None and before.status == story.status and (m.background or _held_report_tells(before.basis, m, article)):
        return [_entry_alert(story, before.basis, sources)]  # told by its news, not by the recounting or passing line that confirmed it
    if before is None or before.status == story.status:
        return [_alert(AlertKind.STORY_NEW, story, article, m, None, sources)]
    began = story.model_copy(update={"status": before.status})
    return [_entry_alert(began, before.basis, before.sources), _alert(AlertKind.STATUS_CHANGED, story, article, m, before.status, sources)]


def _held_report_tells(held: TimelineEntry, m: EventMention, article: ArticleEvents) -> bool:
    """Whether a story's first report, held for confirmation, tells its announcement
    rather than the report that confirmed it: when it is surer, or as sure and of the
    same news cycle (within ``WINDOW``). A report long after is news of its own."""
    if m.confidence != held.confidence:
        return m.confidence < held.confidence
    return instant(article.event_time) - instant(held.at) < WINDOW


def _entry_alert(story: Story, entry: TimelineEntry, sources: int) -> Alert:
    """A STORY_NEW alert from an earlier report on the timeline (its article is not at hand)."""
    report = ArticleEvents(article_id=entry.article_id, source=entry.source, url=entry.url, agency=entry.agency, event_time=entry.at)
    claim = EventMention(
        type=story.type, status=entry.status, cue="", evidence=entry.evidence, attributed_to=entry.attributed_to, confidence=entry.confidence
    )
    return _alert(AlertKind.STORY_NEW, story, report, claim, None, sources)


def _countries_of(actors: list[str]) -> set[str]:
    return {e.country for _, e in gazetteer().entities if e.name in actors and e.country}


def _link_parents(article: ArticleEvents, assignments: list[str | None], work: dict[str, Story]) -> None:
    """A sub-event (preparatory meeting) points at the story it prepares, named alongside:
    one of the parent's type family, not yet held, whose participants come from the same
    countries; the parent's own type and news mentions first."""
    for m, sid in zip(article.events, assignments, strict=True):
        if sid is None or m.parent_type is None or work[sid].parent_id is not None:
            continue
        sides = _countries_of(work[sid].actors)
        parents = [
            (pm.type != m.parent_type, pm.background, p)
            for pm, p in zip(article.events, assignments, strict=True)
            if p and p != sid and family(pm.type) == family(m.parent_type) and pm.status != Status.TOOK_PLACE and sides & _countries_of(work[p].actors)
        ]
        if parents:
            work[sid] = work[sid].model_copy(update={"parent_id": min(parents)[2]})


def same_article_story(mention: EventMention, filed: list[tuple[EventMention, Story]], work: dict[str, Story], at: datetime | None = None) -> Story | None:
    """The story another mention of the same article was filed under, when this mention
    would start a story of its own but speaks of the same event: same family, one set of
    participants within the other (or the same recurring event), no place apart.

    One article tells one event several ways ("the Games", "Tokyo 2020", a sentence that
    dates the decision): a sentence that alone matches no story is the article's story,
    unless it names another round or edition than that story's ("The 2021 edition of
    the Boston Marathon is scheduled for April 19", in the report of the 2020 one's
    call-off).
    """
    probe = _Probe.of(mention, at)
    for other, story in filed:
        if family(other.type) != probe.family or not _same_edition(probe, work.get(story.story_id, story)):
            continue
        if _recounted_earlier(other, at) and not mention.background:
            continue  # "returns one year after Hurricane Sandy cancellation": the news is not last year's race
        if _actors_fit(probe, other.actors, other.location) is None:
            continue
        if _other_day(probe, work.get(story.story_id, story), other):
            continue  # "die Konzerte am Freitag, Samstag und Sonntag": one show a day
        if _place_score(probe, story) is None and mention.location != other.location:
            continue
        return work.get(story.story_id, story)
    return None


def _other_day(probe: _Probe, story: Story, other: EventMention) -> bool:
    """Whether a report of a kind held on one day (``per_day``) states another day than
    the story's (the next show of the week, not this one), or states a day with another
    status than the undated sentence of the article that started the story ("Helene
    Fischer sagt Konzerte ab. ... Die Konzerte am Freitag, Samstag und Sonntag sollen wie
    geplant stattfinden": the shows still on are not the ones called off)."""
    if not probe.per_day or probe.event_date is None:
        return False
    if story.event_date is not None and probe.event_date != story.event_date:
        return True
    return other.event_date is None and other.status != probe.status


def _recounted_earlier(mention: EventMention, at: datetime | None) -> bool:
    """Whether a mention recounts an edition of a year before the article's ("In 2020
    Oktoberfest was cancelled", in 2021): the story it is filed under is that edition's,
    which the article's news of this year's does not join."""
    year = year_edition(mention.edition)
    return mention.background and year is not None and at is not None and year < at.year


def neighbour_terms_of(event_type: str, names: Iterable[str]) -> list[str]:
    """Index terms of the stories of this family naming any word of these participants
    (every story is filed under ``fam:word`` for each of its participants' words): where
    the stories that could shadow a new one are (``shadowed``)."""
    fam = family(event_type)
    return sorted({f"{fam}:{w}" for a in names for w in _lookup_words(a)})


def shadowed(mention: EventMention, story: Story, others: Iterable[Story], at: datetime | None = None) -> bool:
    """Whether an announced story could be the one this new story reports: same family,
    a participant in common, a place and a time it would accept (only the rest of the
    participants differ).

    Real reports name one event by different participants ("Artemis I" and NASA in one,
    "Artemis I" and the station's call sign in the next); such a report starts a story of
    its own. Announcing it would tell subscribers of the same event twice, so it is
    tracked but not announced while the story it may be is in the news (reported within
    the type's ``window_days``; a delayed one while it is awaited, ``DELAYED_STORY_DAYS``:
    "NASA delays the launch again", two months after the last scrub, is that launch).
    Another event of the same people (elsewhere, or after that window: a team's next
    match) is announced as usual. Time is judged by when the
    reports speak, not by dates read from them: one misread date ("March 3 (UPI) --" read
    as the visit's) would otherwise announce the same visit twice.
    """
    probe = _Probe.of(mention, at)
    undated = probe._replace(event_date=None)  # judged by when the reports speak, not by dates read from them
    mine = list(story.actors)
    for other in others:
        if other.story_id == story.story_id or not other.announced or family(other.type) != probe.family:
            continue
        if not any(same_entity(a, b) for a in mine for b in other.actors):
            continue
        awaited = DELAYED_STORY_DAYS if other.status in (Status.POSTPONED, Status.ON_HOLD) else probe.window_days
        if probe.at is not None and probe.at - _last_report(other) > timedelta(days=awaited):
            continue  # not reported within the type's window (a delayed one's: a year): the same people's next event
        if _place_score(probe, other) is not None and _fits_time(undated, other):
            return True
    return False


def told_alongside(mention: EventMention, told: list[tuple[EventMention, Story]], article_claims: Sequence[EventMention] = ()) -> bool:
    """Whether a new story's claim comes in an article that brings the same turn of
    another story: of its own family, a story already in the news (``told``: the
    article's claims on stories announced before it); of another family, a claim the
    article makes in the same sentence (``article_claims``: all its events, those other
    partitions track too): the same words read twice. Same turn: same status, a
    participant in common (by entity), the same place (one holding the other, or either
    unnamed).

    "The Olympic Games have begun" is the Games' news and, read again as a ceremony, a
    story of its own. An article tells its event's turn several ways, so such a second
    story is tracked but announced only when another report gives it (then as usual).
    Another turn (a concert called off, the next one still on), another place, or other
    participants (the ministers' preparatory meeting planned beside their leaders'
    summit) do not shadow, nor does another sentence's claim of another family (a phone
    call the same two leaders held, beside their meeting). Across families the article's
    own claims decide, not whether their stories were announced before: those stories
    are tracked in the partition of their family, so only what the message carries gives
    every layout the same answer.
    """
    if mention.background:
        return False
    fam = family(mention.type)
    same = ((other.status, story.actors, story.location) for other, story in told if family(story.type) == fam)
    cross = ((m.status, m.actors, m.location) for m in article_claims if family(m.type) != fam and fileable(m) and not m.background and m.evidence == mention.evidence)
    for status, actors, location in (*same, *cross):
        if status != mention.status or not any(same_entity(a, b) for a in mention.actors for b in actors):
            continue
        if mention.location is None or location is None or _nested_places(mention.location, location):
            return True
    return False


def fileable(m: EventMention) -> bool:
    """Whether a mention is filed under a story at all: it names a participant and is
    sure enough (``story_status.MIN_CONFIDENCE``)."""
    return bool(m.actors) and m.confidence >= MIN_CONFIDENCE


def track_article(
    article: ArticleEvents,
    stories: dict[str, Story],
    neighbours: Mapping[str, Story] | None = None,
    policy: AlertPolicy | None = None,
    told_with: Sequence[EventMention] | None = None,
) -> TrackResult:
    """File an article's mentions, update the stories, and say what to alert (idempotent).

    ``stories`` are the stories the mentions may be filed under; ``neighbours`` the
    stories sharing a participant word with them (``neighbour_terms_of``), which may keep a
    new story from being announced (``shadowed``); all of ``stories`` when not given.
    ``policy`` is the alert policy (``consumers.alert_policy``; the shipped one when not given).
    ``told_with`` are all the article's events when ``article`` holds only those one
    partition tracks (``told_alongside`` reads the others' claims too).
    """
    work = dict(stories)
    created: set[str] = set()
    assignments: list[str | None] = []
    moves: dict[str, _Move] = {}  # the date each story had before this report, and the mention that moved it
    sure = [fileable(m) for m in article.events]
    groups = by_participants(work) if any(sure) else {}
    found = [find_story(m, work, article.article_id, article.published_at, groups) if ok else None for m, ok in zip(article.events, sure, strict=True)]
    for i, m in enumerate(article.events):
        story = found[i]
        if story is not None:
            story = work.get(story.story_id, story)
        elif sure[i]:
            story = same_article_story(m, [(o, s) for o, s in zip(article.events, found, strict=True) if s is not None], work, article.published_at)
        if story is None and sure[i]:
            story = _new_story(m, article, work)
            created.add(story.story_id)
            found[i] = story
        if story is not None and article.article_id not in story.article_ids:
            dated = story.event_date
            story = _widen(story, m, article.published_at, moves.get(story.story_id))
            if story.event_date != dated and dated is not None:
                moves.setdefault(story.story_id, _Move(dated, m))
                moves[story.story_id] = _Move(moves[story.story_id].old, m)
        if story is not None:
            work[story.story_id] = story
        assignments.append(story.story_id if story else None)
    result = TrackResult(assignments=assignments)
    known = {sid for sid in assignments if sid in stories and stories[sid].announced}
    told: list[tuple[EventMention, Story]] = []  # claims on those stories (``told_alongside``), filed first
    for sid in sorted(dict.fromkeys(s for s in assignments if s), key=lambda s: s not in known):
        if article.article_id in work[sid].article_ids:
            continue
        best = article_claim([m for m, s in zip(article.events, assignments, strict=True) if s == sid], work[sid], article)
        entry = result.claims[sid] = _entry(article, best)
        others = {**(stories if neighbours is None else neighbours), **work}.values() if not work[sid].announced else ()  # read only if not announced
        shadow = (not work[sid].announced and shadowed(best, work[sid], others, article.published_at)) or (
            (sid in created or not work[sid].announced) and told_alongside(best, told, article.events if told_with is None else told_with)
        )
        work[sid], alerts = _apply(work[sid], article, best, entry, sid in created, shadow, policy)
        result.alerts += alerts
        if sid in known:
            told.append((best, work[sid]))
    _link_parents(article, assignments, work)
    result.stories = {sid: work[sid] for sid in dict.fromkeys(s for s in assignments if s) if work[sid] != stories.get(sid)}
    return result
