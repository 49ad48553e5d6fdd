"""Participants and places that no list holds: open-vocabulary names in German and English.

A name is a run of capitalised words ("Steve Witkoff", "Pittsburgh Steelers", "Artemis
I"), read with cues the language gives (``names`` in the lexicon):

- a title or role word right before it or at its head says what it is
  ("Sondergesandter Steve Witkoff" an envoy, "Gewerkschaft EVG" a union, "the Pittsburgh
  Steelers" after "the" nothing special, "NASA's Artemis I" two names);
- a known first name makes it a person;
- German capitalises every noun, so there a word alone counts only when the language's
  tagger (HanTa, shipped with its model inside the package) knows it as a proper noun, or
  it is an acronym, or a title or first name vouches for it;
- English capitalises names only, so there any capitalised run counts, except the first
  word of a sentence standing alone, and the words of ``not_names`` (weekdays, months,
  titles, event words);
- a run after a place preposition ("in Osaka", "nach Mailand") is a place, not a
  participant; ``open_place`` returns it.

Coordination needs no rule of its own: "X und Y", "X vs Y" are two runs; a hyphenated
pair in front of an event word ("Steelers-Ravens game", "Witkoff-Dmitrijew-Treffen") is
cut into its parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from collections.abc import Callable, Iterator
from functools import lru_cache

from consumers.extraction.lexicon import Entity, Lexicon, NameRules, normalise
from consumers.extraction.text import memo

_RUN = re.compile(
    r"(?<![\w'’-])(?:[A-ZÄÖÜÉ][\w&'’.-]*|\d+[A-Za-z]*)"
    r"(?:\s+(?:(?:of|de|da|del|van|von(?:\s+der)?|la|le|di|du|al|bin|y|&)\s+)?(?:[A-ZÄÖÜÉ][\w&'’.-]*|[IVX]{1,4}\b|\d{1,3}\b(?![,.:\-–]\d)))*"
)
"""A run of capitalised words, with lower-case particles inside ("Bank of England",
"Ursula von der Leyen") and a number or Roman numeral after ("Artemis I", "Apollo 11")."""
RUN = _RUN
_ACRONYM = re.compile(r"^[A-ZÄÖÜ][A-ZÄÖÜ0-9&.-]{1,6}$")
_NUMBER = re.compile(r"^(?:\d+\w*|[IVX]{1,4})$")
_DESIGNATION = re.compile(r"^[A-ZÄÖÜ][\wäöüß]*-\d+[A-Za-z]?$")
"""A word with a number after its hyphen names a thing, German common noun or not: a
mission, a rocket, a model ("Crew-5", "Chandrayaan-2", "Sojus-MS-22" aside)."""
_POSSESSIVE = re.compile(r"['’]s?$")


VENUE = "venue"
"""The kind of a name that is where an event is held (a stadium, an arena): never a
participant."""
EVENT = "event"
"""The kind of a name that is an event's own ("Monaco Grand Prix", "Game Developers
Conference"): the edition of a recurring event is its participant, as a known one
("Oktoberfest") is."""
MEDIA = "media"
"""The kind of a name that reports the news (an outlet, a broadcaster, a photographer):
never a participant."""
_CREDIT_AFTER = re.compile(r"/[A-Z]|\s+(?:via|for)\s+(?:Getty|AFP|AP|Reuters|dpa|Shutterstock)\b")


def _credit(cased: str, start: int, end: int) -> bool:
    """Whether a name is a picture credit: a photographer before an agency ("Saul
    Loeb/AFP via Getty Images") or after a source and a slash ("(Elbphilharmonie/Maxim
    Schulz)", "dpa/Christophe Gateau")."""
    return bool(_CREDIT_AFTER.match(cased, end)) or (start >= 2 and cased[start - 1] == "/" and cased[start - 2].isalnum())


@dataclass(frozen=True)
class Name:
    """A name found in a clause: where, its words, and what the cues say it is."""

    start: int
    end: int
    text: str
    kind: str = "name"
    role: str | None = None
    title: str | None = None
    """For a title standing alone ("the King"), the form written before its holder's
    name ("King"): the article's one person so titled is meant (``Aliases.entity``)."""


def open_names(lex: Lexicon, cased: str, low: str, taken: list[tuple[int, int]], places: list[tuple[int, int]] = (), first_clause: bool = True, before: str = "") -> list[Name]:
    """Names in one clause outside the ``taken`` spans (the gazetteer's names) that are
    not just a known place (``places``; "Union Berlin" is a name, "Berlin" alone not).
    ``before`` is the lower-case clause before this one, where the title of a name that
    opens this clause may stand ("the spokesman for Oktoberfest, Peter Inselkammer")."""
    rules = lex.names
    if rules is None or (lex.language == "en" and title_case(cased)):
        return []
    out: list[Name] = []
    pairs = side_spans(rules, cased) if places else []
    german = lex.language == "de"
    for match in _RUN.finditer(cased):
        checked = german and (word := match.group(0)).isalpha()
        if checked and _untitled_common_de(rules, low, match.start(), word):
            continue  # one word of letters is one part (``_parts``), and ``_name`` rejects it
        for start, words in _parts(match, rules):
            if isinstance(words, tuple):  # the head of "Daimler-Chef": an organisation
                head = words[0]
                name = Name(start, start + len(head), head, "org") if not rules.is_event_word(head) and head.lower() not in rules.not_names and head.lower() not in rules.not_participants else None
            else:
                name = _spanned(cased, _name(rules, lex.language, cased, low, start, words, first_clause, before, common_checked=checked))
            if name is None or any(s < name.end and name.start < e for s, e in taken):
                continue
            if name.kind == "name" and scored(cased, name.end):
                name = Name(name.start, name.end, name.text, "team")  # a side with its score: a team, whatever else the name is
            if name.kind in ("org", "team") or not any(s <= name.start and name.end <= e for s, e in places) or any(s <= name.start and name.end <= e for s, e in pairs):
                out.append(name)  # a place with a score after it or one of a pair is a team ("gegen Köln 2:1", "between Real Madrid and Liverpool"); "BER-Flughafen" a thing
    return out


def side_spans(rules: NameRules, cased: str) -> tuple[tuple[int, int], ...]:
    """``NameRules.side_spans`` of a clause, worked out once per process (``text.Memo``):
    the open names, the place rules and the pairs of sides ask it of the same clause."""
    return _SIDES.get((id(rules), cased), _side_spans, rules, cased)


_SIDES = memo()


def _side_spans(rules: NameRules, cased: str) -> tuple[tuple[int, int], ...]:
    return tuple(rules.side_spans(cased))


def _spanned(cased: str, name: Name | None) -> Name | None:
    """A name whose end is where its last word ends in the text: a full stop inside it
    ("St. Pauli", named "St Pauli") makes the text longer than the name."""
    if name is None or " " not in name.text:
        return name
    last = name.text.rsplit(" ", 1)[1]
    at = cased.find(last, name.start)
    return replace(name, end=at + len(last)) if at >= 0 and at + len(last) > name.end else name


_SCORE = re.compile(r"\s*\(?\d{1,3}\s*[:\-–]\s*\d{1,3}\b")


def scored(cased: str, end: int) -> bool:
    """Whether a score follows a name ("Köln 2:1", "Bayern (1:0)", "Barcelona 2-1"): the name is a side of
    a game, even when it is also a city's."""
    return _SCORE.match(cased, end) is not None


def title_case(cased: str) -> bool:
    """An English headline in Title Case: every word capitalised says nothing of names.
    Title Case leaves only short function words in lower case ("of", "the", "in"): a verb
    or noun written small ("Max Verstappen won the Dutch Grand Prix ahead of Fernando
    Alonso") is prose that happens to hold many names."""
    words = [w for w in cased.split() if len(w) > 3 and w[:1].isalpha()]
    if len(words) < 4 or sum(w[:1].isupper() for w in words) < 0.8 * len(words):
        return False
    return not any(w[:1].islower() and w.lower() not in _TITLE_SMALL_WORDS for w in cased.split() if len(w) >= 3 and w.isalpha())


_TITLE_SMALL_WORDS = frozenset({"and", "but", "for", "nor", "the", "via", "off", "out", "per", "with", "from", "into", "onto", "over", "upon", "than", "amid", "near", "past", "versus"})
"""Words of three letters or more Title Case may leave in lower case: conjunctions,
articles and short prepositions (shorter words are not looked at)."""


def _parts(match: re.Match[str], rules: NameRules) -> list[tuple[int, list[str] | tuple[str]]]:
    """The word runs of a match: split at possessives ("NASA's Artemis I") and at
    hyphenated pairs before an event word ("Steelers-Ravens", "Witkoff-Dmitrijew-Treffen")."""
    out: list[tuple[int, list[str]]] = []
    pos = match.start()
    words: list[str] = []
    start = pos
    for token in match.group(0).split():
        at = match.string.index(token, pos)
        pos = at + len(token)
        core = token.rstrip(".")
        if "-" in core and core[:1].isupper() and rules.is_title(core.rsplit("-", 1)[1].lower()) and core.count("-") == 1:
            if words:
                out.append((start, words))
            out.append((at, (core.split("-")[0],)))  # "Daimler-Chef": the organisation; the name follows
            words, start = [], pos + 1
            continue
        if "-" in core and core[:1].isupper() and (pieces := _hyphen_pair(core, rules, _before_event(rules, match.string, pos))) is not None:
            if words:
                out.append((start, words))
            offset = at
            for piece in pieces:
                out.append((offset, [piece]))
                offset += len(piece) + 1
            words, start = [], pos + 1
            continue
        if not words:
            start = at
        if _POSSESSIVE.search(core) and len(core) > 2 and (core[-2:] in ("'s", "’s") or core[-1] in "'’"):
            words.append(core[:-2] if core[-2:] in ("'s", "’s") else core[:-1])  # "Francis'", "Merz'": a name in -s, -z takes the bare apostrophe
            out.append((start, words))
            words, start = [], pos + 1
            continue
        words.append(core)
    if words:
        out.append((start, words))
    return out


def _before_event(rules: NameRules, text: str, pos: int) -> bool:
    """Whether an event word follows position ``pos`` ("Steelers-Ravens game")."""
    return bool(rules.event_words.match(text[pos : pos + 40].lower().lstrip(" -")))


def _hyphen_pair(token: str, rules: NameRules, before_event: bool) -> list[str] | None:
    """The names of a hyphenated compound that names an event's sides: one with an event
    word in it ("Witkoff-Dmitrijew-Treffen" -> Witkoff, Dmitrijew) or right after it
    ("Steelers-Ravens game"); else None (the compound is one name: "Saint-Germain")."""
    parts = token.split("-")
    events = [bool(rules.is_event_word(p)) for p in parts]
    if len(parts) < 2 or not (any(events) or before_event):
        return None
    named = [p for p, event in zip(parts, events, strict=True) if not event and p[:1].isupper() and p.lower() not in rules.not_names]
    if any(events):  # a compound with its event word: "New-York-Marathon", "Witkoff-Dmitrijew-Treffen"
        return named if len(named) >= 2 and all(_looks_like_surname(p) for p in named) else (["-".join(named)] if named else None)
    return named if len(named) >= 2 else None


def _looks_like_surname(word: str) -> bool:
    """A part of a compound that stands for a person or team on its own (not "New", "Los")."""
    return len(word) > 3


def _name(rules: NameRules, language: str, cased: str, low: str, start: int, words: list[str], first_clause: bool, before: str = "", common_checked: bool = False) -> Name | None:
    """The name a run of words makes, or None: titles at its head are cut off and say
    its kind; stop words, lower-case particles and (German) common nouns at its ends
    are dropped. ``common_checked``: the run is one word of letters that
    ``_untitled_common_de`` has already passed (``open_names``), not asked again."""
    if language == "de" and len(words) == 1 and not common_checked and _untitled_common_de(rules, low, start, words[0]):
        return None  # most runs of German text: one capitalised common noun, untitled
    if language == "de" and (named := _named_event_de(rules, words)) is not None:
        offset, kept = named
        return Name(start + offset, start + offset + len(" ".join(kept)), " ".join(kept), EVENT)
    if (bare := _bare_title(rules, words)) is not None:
        offset, form = bare
        return Name(start + offset, start + len(" ".join(words)), form, "person", "head", form)
    kind, role = _title_before(rules, low, start)
    if kind == "name" and len(words) >= 2 and before and start == 0:
        kind, role = _title_apposed(rules, before + ", ")
    inner = next((i for i in range(1, len(words)) if _title(rules, words[i:]) is not None), None)
    if inner is not None:  # "Münchens Oberbürgermeister Dieter Reiter": the name follows the title
        start += len(" ".join(words[:inner])) + 1
        words = words[inner:]
    while words:
        if (head := _title(rules, words)) is not None:
            (kind, role), size = head
        elif _drop_first(rules, language, words):
            size = 1
        else:
            break
        start += len(" ".join(words[:size])) + 1
        words = words[size:]
    if kind == "person" and (link := next((i for i, w in enumerate(words) if i and w in rules.designation_links), None)) is not None:
        words = words[:link]  # "King Abdullah of Jordan": the person is Abdullah, Jordan the land he is king of
    while words and not rules.is_title(" ".join(words).lower()) and _drop_last(rules, language, words):
        words = words[:-1]
    if words and rules.is_title(" ".join(words).lower()):
        return None  # a title alone ("the Prime Minister", not "Prime" once "Minister" is cut) names nobody here
    if not words or not any(w[:1].isupper() for w in words) or _NUMBER.match(words[0]):
        return None
    if kind == "name" and len(words) == 1 and _route_name(rules, words[0], low, start):
        return Name(start, start + len(words[0]), words[0], EVENT)
    venue = words[-1].rsplit("-", 1)[-1].lower() in rules.venue_heads
    if venue and len(words) == 1 and words[0].lower() in rules.venue_heads:
        return None  # a venue's head alone ("in einer Halle") is no name
    if language == "de" and len(words) == 1 and not venue and _descriptor_de(words[0]):
        inner_name = _compound_name_de(words[0])  # "BER-Flughafens" is BER's; "Geschworenen-Jury" nobody's
        if inner_name is None or inner_name.lower() in rules.not_names:
            return None
        words = [inner_name]
        kind = "org" if kind == "name" else kind  # the thing the compound names, even when a place's name
    text = " ".join(words)
    end = start + len(text)
    if (rules.place_before.search(low[max(0, start - 12) : start]) or rules.route_before.search(low[max(0, start - 16) : start])) and kind == "name" and not any(s <= start < e for s, e in side_spans(rules, cased)):
        return None  # a place, unless a side ("the away game at Brentford")
    first_word = start == 0 and first_clause
    if any(len(w) >= 5 and w.isupper() for w in words):
        return None  # a dateline or a shouted word ("LONDON (AP) --", "TOKYO (AFP, REUTERS)")
    if kind == "name" and words[0] in rules.first_names and len(words) > 1:
        kind = "person"
    elif kind == "name" and _named_event(rules, language, words):
        kind = EVENT
    if kind == "name" and not _plausible(rules, language, words, first_word) and not (language == "de" and _by_event_de(rules, low, start)):
        return None
    if text.lower() in rules.not_participants or _word_after(low, end) in rules.none_after:
        return None  # "the Omicron variant", "the Palisades fire": what the name is, no side
    if words[-1].lower() in rules.media_heads or _credit(cased, start, end):
        kind, role = MEDIA, None  # "Bayerischer Rundfunk", "Saul Loeb/AFP": who reports, not who takes part
    elif venue:
        kind, role = VENUE, None  # "Wembley Stadium", "Barclays-Arena": where, not who
    return Name(start, end, text, kind, role)


def _common_word_de(rules: NameRules, word: str) -> bool:
    """Whether a German run of this one word, with no title before it, can name nobody:
    no hyphen, no title standing for its holder (``_bare_title``), no acronym, no proper
    noun to the tagger. ``_name`` would reject it: an event's name written apart needs two
    words (``_named_event_de``), one word is no title at a run's head (``_title``), the
    rules that drop a first or last word only drop it, a route, a compound's name and a
    designation need a hyphen (``_route_name``, ``_descriptor_de``, ``_DESIGNATION``), and
    an untitled German run is plausible only with an acronym, a designation or a proper
    noun in it (``_plausible``). So the run is rejected without them (German capitalises
    every noun: in the realistic mix three runs in four are one word that names nobody)."""
    return "-" not in word and word.lower() not in rules.bare_titles and not _ACRONYM.match(word) and not proper_noun_de(word)


def _untitled_common_de(rules: NameRules, low: str, start: int, word: str) -> bool:
    """Whether a German run of one word at ``start`` names nobody (``_common_word_de``)
    and no title stands before it. A word ``_name`` drops without asking the tagger (a
    stop word, a title, an event word, a legal form, a venue's head, a number, a word
    after a place or route preposition) is rejected here without asking it either: the
    tagger's first answer for a word costs more than the rest (its answers are kept)."""
    kind = _run_word_de(rules, word)
    if kind == _KEPT or _title_before(rules, low, start)[0] != "name":
        return False
    if kind == _REJECTED or _rejected_after(rules, low, start):
        return True
    return kind == _COMMON and not _by_event_de(rules, low, start)


_KEPT, _REJECTED, _COMMON, _OTHER = range(4)
"""What a German run's one word says of it by itself (``_run_word_de``)."""


def _run_word_de(rules: NameRules, word: str) -> int:
    """The tests of ``_untitled_common_de`` that read the word alone, in its order,
    answered once per word (``NameRules.known``: news repeats its words): ``_KEPT``
    (a hyphen, a title standing for its holder, an acronym: a run that may name
    someone), ``_REJECTED`` (``_rejected_word``), ``_COMMON``
    (``_common_word_de``), else ``_OTHER``."""
    key = ("de-run", word)
    found = rules.known.get(key)
    if found is None:
        if "-" in word or word.lower() in rules.bare_titles or _ACRONYM.match(word):
            found = _KEPT
        elif _rejected_word(rules, word):
            found = _REJECTED
        else:
            found = _COMMON if _common_word_de(rules, word) else _OTHER
        rules._remember(key, found)  # type: ignore[arg-type]
    return found  # type: ignore[return-value]


_OF_EVENT_DE = re.compile(r"([\wäöüß-]+)\s+von\s+$")


def _by_event_de(rules: NameRules, low: str, start: int) -> bool:
    """Whether a German run stands right after an event word and "von" ("das Konzert von
    Adele", "der Auftritt von Sting"): who gives it, a name whatever else the word means."""
    before = _OF_EVENT_DE.search(low, max(0, start - 40), start)
    return before is not None and rules.is_event_word(before.group(1))


def _rejected_word(rules: NameRules, word: str) -> bool:
    """Whether ``_name`` rejects an untitled German run of this one word by the word
    itself, before any test that asks the tagger (see ``_common_word_de`` for the run's
    other words): a stop word, a title, an event word, a legal form, a venue's head, a
    number, a shouted word."""
    lowered = word.lower()
    return (
        lowered in rules.not_names or not word[:1].isupper() or rules.is_title(lowered) or rules.is_event_word(word) or word in rules.legal_forms
        or lowered in rules.venue_heads or bool(_NUMBER.match(word)) or (len(word) >= 5 and word.isupper())
    )


def _rejected_after(rules: NameRules, low: str, start: int) -> bool:
    """Whether ``_name`` rejects an untitled German run by what stands before it, before
    any test that asks the tagger: a place or route preposition."""
    return bool(rules.place_before.search(low[max(0, start - 12) : start]) or rules.route_before.search(low[max(0, start - 16) : start]))


_WORD_AFTER = re.compile(r"\s+([a-zäöüß]+)\b")


_ROUTE = re.compile(r"[A-ZÄÖÜ][\wäöüß']{2,}(?:-[A-ZÄÖÜ][\wäöüß']{2,}){1,2}")
_LAST_WORD = re.compile(r"([\w-]+)\s+$")


def _route_name(rules: NameRules, word: str, low: str, start: int) -> bool:
    """Whether a hyphenated pair of capitalised names right after the word of a kind
    known by name is that event's own name: a one-day race is named by where it starts
    and ends ("der Frühjahrsklassiker Mailand-Sanremo", "das Rennen Lüttich-Bastogne-
    Lüttich"), not held in the first of its places."""
    if not _ROUTE.fullmatch(word) or any(_ACRONYM.match(p) for p in word.split("-")):
        return False
    before = _LAST_WORD.search(low, max(0, start - 40), start)
    return before is not None and rules.named_event_words.fullmatch(before.group(1)) is not None


def _bare_title(rules: NameRules, words: list[str]) -> tuple[int, str] | None:
    """A run that is a title naming its one holder, after articles at most ("The King",
    "Königs"): where the title stands in the run and the form written before a name."""
    for i, word in enumerate(words):
        form = rules.bare_titles.get(" ".join(words[i:]).lower())  # also of two words: "der Heilige Vater"
        if form is not None:
            return len(" ".join(words[:i])) + (1 if i else 0), form
        if word.lower() not in rules.not_names or word.lower() in rules.bare_titles:
            return None
    return None


def _named_event_de(rules: NameRules, words: list[str]) -> tuple[int, list[str]] | None:
    """A German event's own name written apart, the English way, before the word of a
    kind known by name ("Das Hurricane Festival", "Summer Breeze Festival"): German
    would join a common noun to it ("Fusion-Festival"), so a name written apart whose
    words German does not know as common nouns is the event's. Where it starts in the run
    and its words; None otherwise."""
    i = 0
    while i < len(words) and words[i].lower() in rules.not_names:
        i += 1
    kept = words[i:]
    if len(kept) < 2 or not kept[-1][:1].isupper() or rules.named_event_words.fullmatch(kept[-1].lower()) is None:
        return None
    if any(w.lower() in rules.not_names or rules.is_title(w.lower()) and not (proper_noun_de(w) or unknown_de(w)) for w in kept[:-1]):
        return None
    if not any(proper_noun_de(w) or unknown_de(w) for w in kept[:-1]):
        return None
    return len(" ".join(words[:i])) + (1 if i else 0), kept


def _named_event(rules: NameRules, language: str, words: list[str]) -> bool:
    """Whether an English run of two words or more ends in a capitalised event word
    ("Monaco Grand Prix", "Houston Marathon", "Web Summit"): the event's own name."""
    if language != "en" or len(words) < 2 or not words[-1][:1].isupper():
        return False
    return any(rules.event_words.fullmatch(" ".join(words[i:]).lower()) is not None for i in range(1, len(words)))


def _word_after(low: str, end: int) -> str | None:
    """The lower-case word right after a name, if one follows."""
    match = _WORD_AFTER.match(low, end)
    return match.group(1) if match else None


def _drop_first(rules: NameRules, language: str, words: list[str]) -> bool:
    """Whether a run's first word is no part of a name: a stop word, a particle, a
    German event word or common noun ("Verschiebung der Visite von ...")."""
    word = words[0]
    if word in rules.club_prefixes and len(words) > 1:
        return False  # "AS Monaco": the prefix is the club's, whatever else the word is
    if len(words) == 2 and words[1] in rules.club_prefixes:
        return False  # "Hamburger SV", "Karlsruher SC": a club's letters after its town
    if word.lower() in rules.not_names or not word[:1].isupper():
        return True
    if _qualifier(rules, word):
        return True
    if len(words) >= 3 and words[1] in rules.first_names and word not in rules.first_names:
        return True  # what a person is, before their first name ("Hollywood-Mogul Harvey Weinstein")
    if language != "de" or len(words) < 2:
        return False
    if rules.is_event_word(word) or _descriptor_de(word):
        return True
    club = len(words) == 2 and not words[1].endswith("s") and not _DESIGNATION.match(words[1]) and proper_noun_de(words[1])  # "Union Berlin", not "Feindseligkeit Nordkoreas", "Mission Chandrayaan-2"
    return not club and _common_noun_de(word)


def _qualifier(rules: NameRules, word: str) -> bool:
    """Whether a hyphenated word is a number or the like before a lower-case part: it
    qualifies a noun, no name ("Six-party talks", "Two-day visit")."""
    head, _, rest = word.partition("-")
    return rest[:1].islower() and head.lower() in rules.not_names


def _drop_last(rules: NameRules, language: str, words: list[str]) -> bool:
    """Whether a run's last word is no part of it (a Roman numeral after a name stays)."""
    word = words[-1]
    if len(words) > 1 and _NUMBER.match(word):
        return False
    if len(words) == 2 and words[0] in rules.first_names:
        return False  # a surname after a first name, whatever else the word means ("Harvey Weinstein")
    if _trailing_event_word(rules, language, words):
        return True
    if word.lower() in rules.not_names:
        return not _named_event(rules, language, words)  # an event's own name keeps its head, whatever else the word is ("Geneva Motor Show")
    if word in rules.legal_forms:
        return True
    # a venue's head stays: it says the name is where an event is ("Lanxess Arena")
    return language == "de" and len(words) > 1 and _common_noun_de(word) and word.lower() not in rules.venue_heads


def _descriptor_de(word: str) -> bool:
    """A German compound whose last part is a common noun says what a name is, as a
    title does ("Hollywood-Mogul Harvey Weinstein", "Geschworenen-Jury"): no part of it."""
    head = word.rsplit("-", 1)[-1]
    return head != word and head[:1].isupper() and _common_noun_de(head)


def _compound_name_de(word: str) -> str | None:
    """The name in a German compound that is a thing of that name ("BER-Flughafens" ->
    "BER"): its first part when that is an acronym and the rest common nouns; None
    otherwise. A proper noun there names as often a thing as a side
    ("Tomahawk-Marschflugkörpern", a visit's subject, not its participant)."""
    first, _, rest = word.partition("-")
    if not rest or not all(p[:1].isupper() and _common_noun_de(p) for p in rest.split("-")):
        return None
    return first if _ACRONYM.match(first) else None


def _common_noun_de(word: str) -> bool:
    return not _ACRONYM.match(word) and not _NUMBER.match(word) and not proper_noun_de(word)


def _trailing_event_word(rules: NameRules, language: str, words: list[str]) -> bool:
    """An event word ends the run ("Bundesliga-Spiel", "Steelers game"); in English a
    capitalised one inside a longer name stays ("Munich Security Conference")."""
    if not rules.is_event_word(words[-1]):
        return False
    # a capitalised one after a person's name is not the event's name ("Harvey Weinstein Trial")
    return language == "de" or len(words) == 1 or not words[-1][:1].isupper() or words[0] in rules.first_names


def _plausible(rules: NameRules, language: str, words: list[str], first_word: bool) -> bool:
    """Whether an untitled run reads as a name in this language."""
    if all(rules.is_event_word(w) or w.lower() in rules.not_names for w in words):
        return False
    if language == "de":
        return any(_ACRONYM.match(w) or _DESIGNATION.match(w) or proper_noun_de(w) for w in words if not _NUMBER.match(w))
    if len(words) == 1:
        return not first_word or bool(_ACRONYM.match(words[0]))
    return True


def _title_before(rules: NameRules, low: str, start: int) -> tuple[str, str | None]:
    """The title or role word just before a run ("Sondergesandter ", "the union "), if any."""
    window = low[max(0, start - 40) : start]
    if not window[-1:].isspace() or (rules.title_gate is not None and not rules.title_gate.holds_any(window)):
        return "name", None  # a title ends in white space before the name, and holds a title's word
    match = rules.title_before.search(window) if rules.title_may_end(window) else None
    if match is None:
        return "name", None
    return rules.titles.get(match.group("title"), _by_pattern(rules, match.group("title")))


def _title_apposed(rules: NameRules, before: str) -> tuple[str, str | None]:
    """A person's title set off by a comma before their name ("The spokesman for
    Oktoberfest, Peter Inselkammer, said"): the name holds it as if it stood right
    before. Only a person's title counts: a comma after "the champions of Spain" lists
    teams, it names no one."""
    match = rules.title_apposed.search(before[-60:])
    if match is None:
        return "name", None
    meaning = rules.titles.get(match.group("title"), _by_pattern(rules, match.group("title")))
    return meaning if meaning[0] == "person" else ("name", None)


def _title(rules: NameRules, words: list[str]) -> tuple[tuple[str, str | None], int] | None:
    """A title at the head of a run ("President Joe Biden", "Prime Minister X"), with its
    length in words; None when the head is no title."""
    for size in (3, 2, 1):
        if len(words) > size:
            head = " ".join(words[:size]).lower()
            if rules.is_title(head):
                return rules.titles.get(head, _by_pattern(rules, head)), size
    return None


def _by_pattern(rules: NameRules, title: str) -> tuple[str, str | None]:
    for rx, meaning in rules.title_patterns:
        if rx.fullmatch(title):
            return meaning
    return ("person", None)


def opened_thing(rules: NameRules, language: str, words: list[str], genitive: bool = False) -> str | None:
    """The name of a thing that opens, from the run of words an opening is of ("der
    Hamburger Elbphilharmonie" -> "Elbphilharmonie", "des Hauptstadtflughafens BER" ->
    "BER", "des Großflughafens Berlin-Brandenburg" -> "Berlin-Brandenburg", "Flughafen
    Berlin Brandenburg", "Berlin Brandenburg Airport"); None when the
    run names nothing (a German common noun alone: "der Ausstellung"). After a genitive
    article (``genitive``) a name of several words ending in a common noun drops that
    noun's -s ("des Humboldt Forums" -> "Humboldt Forum"): every report names the thing
    the same way, whatever its case."""
    words = [w.rstrip(".,;:!?") for w in words]
    if genitive and language == "de" and len(words) > 1:
        words[-1] = _nominative_de(words[-1])
    while words and words[0].lower() in rules.not_names:
        words = words[1:]
    words = [_POSSESSIVE.sub("", w) if w.endswith(("'s", "’s")) else w for w in words]
    if language == "de":
        words = [_compound_name_de(w) or w for w in words]  # "XYZ-Flughafens" is XYZ's
    if not words:
        return None
    acronyms = [w for w in words if _ACRONYM.match(w) and w.lower() not in rules.not_names]
    if acronyms:
        return acronyms[-1]
    if language != "de":
        return " ".join(words) if len(words) > 1 or words[0].lower() not in rules.not_participants else None
    if len(words) > 1 and _facility_de(rules, words[0]):
        words = words[1:]  # "Großflughafens Berlin-Brandenburg": the compound says what the name is
    if len(words) <= 2 and (thing := _facility_de(rules, words[-1])):
        return thing  # "Hamburger Elbphilharmonie": the compound is the name
    if len(words) > 1 or proper_noun_de(words[0]) or (("-" not in words[0]) and unknown_de(words[0])):
        return " ".join(words)  # a word no German lexicon holds is a name ("der Eröffnung des Skylink")
    return None


def _nominative_de(word: str) -> str:
    """A German noun in the genitive in -s as its nominative ("Forums" -> "Forum"), when
    the language knows the stem as a common noun; else the word as it stands."""
    stem = word[:-1]
    if not word.endswith("s") or word.endswith("ss") or len(stem) < 3 or _ACRONYM.match(word) or unknown_de(stem) or proper_noun_de(stem):
        return word
    return stem


def generic_facility(rules: NameRules, word: str) -> bool:
    """Whether a word names a facility by its kind alone ("Großflughafen",
    "Hauptbahnhof", "Flughafen"): a facility head with at most a generic modifier before
    it (``generic_modifiers``), no name of its own ("Elbphilharmonie")."""
    low = word.lower()
    head = next((h for h in sorted(rules.facility_heads, key=len, reverse=True) if low.endswith(h)), None)
    return head is not None and low[: len(low) - len(head)] in rules.generic_modifiers | {""}


def _facility_de(rules: NameRules, word: str) -> str | None:
    """A German compound that names a building by its head ("Elbphilharmonie",
    "Hauptstadtflughafens" -> "Hauptstadtflughafen"); None for the head alone."""
    heads = rules.facility_heads | rules.venue_heads
    low = word.lower()
    for cut in (0, 1, 2):
        stem = low[: len(low) - cut] if cut else low
        if cut and not low.endswith(("s", "es")[cut - 1]):
            continue
        if any(stem.endswith(h) and len(stem) > len(h) + 2 for h in heads):
            return word[: len(word) - cut] if cut else word
    return None


def open_place(lex: Lexicon, cased: str, taken: list[tuple[int, int]]) -> tuple[str, int] | None:
    """An unknown place after a place preposition ("in Osaka", "nach Mailand"), and where."""
    rules = lex.names
    if rules is None or (lex.language == "en" and title_case(cased)):
        return None
    for match in rules.place_run.finditer(cased):
        place, start = match.group("place"), match.start("place")
        if any(s <= start < e for s, e in taken):
            continue
        words = [w.rstrip(".,;:!?") for w in place.split()]
        words[-1] = _POSSESSIVE.sub("", words[-1]) if words[-1].endswith(("'s", "’s")) else words[-1]
        while words and (words[-1].lower() in rules.not_names or rules.is_event_word(words[-1])):
            words = words[:-1]
        if not words or words[0].lower() in rules.not_names or rules.is_title(words[0].lower()):
            continue
        if lex.language == "de" and not all(proper_noun_de(w) or _ACRONYM.match(w) for w in words):
            continue
        if lex.language == "en" and len(words) == 1 and _ADJECTIVE_EN.match(words[0]) and _noun_after(cased, start + len(words[0])):
            continue  # a country's adjective before its noun ("in the Omani capital, Muscat"), no place
        return " ".join(words), start
    return None


_ADJECTIVE_EN = re.compile(r"[A-Z][a-z]+(?:i|ian|ese|ish|an|ic)$")
_NOT_NOUNS_EN = frozenset("on in at and or but for to with from by of last next this earlier later after before since until where when which who that as is was were will has had amid over under".split())


def _noun_after(cased: str, end: int) -> bool:
    """Whether a lower-case word that is no function word follows right after ``end``."""
    word = _word_after(cased, end)
    return word is not None and word not in _NOT_NOUNS_EN


_FIRST_WORD = re.compile(r"[A-Z][\w-]+(?=(?:['’]s)?\b)")


def first_word(lex: Lexicon, cased: str) -> Name | None:
    """The first word of an English sentence as a candidate name, which the article's
    other sentences decide (``Document``): a capital at a sentence's start says nothing.
    Stop words, titles and event words are none."""
    rules = lex.names
    match = _FIRST_WORD.match(cased)
    if rules is None or match is None:
        return None
    word = match.group(0)
    low = word.lower()
    if low in rules.not_names or low in lex.stopwords or low in rules.not_participants or rules.is_title(low) or rules.is_event_word(word) or _qualifier(rules, word):
        return None
    return Name(0, len(word), word)


def capitalised_inside(word: str, text: str) -> bool:
    """Whether a text writes a word with a capital inside a sentence and never in lower
    case ("the Coachella festival"): then it is a name wherever it stands."""
    lowered = word.lower()
    in_lower_case = any(_boundary(text, at) and _boundary(text, at + len(lowered)) for at in _finds(text, lowered))
    inside = any(at > 0 and text[at - 1] in _INSIDE_BEFORE and _boundary(text, at + len(word) + 1) for at in _finds(text, " " + word))
    return not in_lower_case and inside


_INSIDE_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyz,;")


def _finds(text: str, needle: str) -> Iterator[int]:
    """Every position of ``needle`` in ``text`` (a plain scan: a pattern per word would be
    compiled anew for each word, which costs more than the search)."""
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


def _boundary(text: str, at: int) -> bool:
    """Whether a word begins or ends at ``at``, as the pattern ``\\b`` says."""
    return (at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")) != (at < len(text) and (text[at].isalnum() or text[at] == "_"))


@lru_cache(maxsize=100_000)
def name_en(word: str) -> bool:
    """Whether HanTa's English model reads a word as a proper noun or does not know it."""
    from consumers.extraction.tagger import english_name

    return english_name(word)


@lru_cache(maxsize=100_000)
def unknown_de(word: str) -> bool:
    """Whether HanTa's German lexicon does not know a word at all."""
    from consumers.extraction.tagger import german_unknown

    return german_unknown(word)


@lru_cache(maxsize=100_000)
def proper_noun_de(word: str) -> bool:
    """Whether HanTa's German model reads a capitalised word as a proper noun (NE)."""
    from consumers.extraction.tagger import german_tag

    return german_tag(word) == "NE"


def _spelling(run: str, acronym: str) -> str | None:
    """The end of a run of capitalised words whose initials spell an acronym ("Rapid
    Support Forces" of "the Paramilitary Rapid Support Forces" for RSF; "Sudanese Armed
    Forces" for SAF), particles inside passed over; None when its last words spell none."""
    words = run.split()
    letters = acronym.replace(".", "").replace("-", "").replace("&", "")
    capitalised = [i for i, w in enumerate(words) if w[:1].isupper()]
    if len(capitalised) < len(letters) or len(letters) < 2:
        return None
    first = capitalised[-len(letters)]
    initials = "".join(words[i][0] for i in capitalised[-len(letters) :])
    return " ".join(words[first:]) if initials.upper() == letters.upper() else None


@dataclass
class Aliases:
    """Names as one article varies them: "Steve Witkoff", later "Witkoff", are one."""

    entities: dict[str, Entity] = field(default_factory=dict)
    text: str = ""
    """The article's text, searched (in its cased form, ``normalise``d on first use: few
    articles need it) for a first name before a surname."""
    first_names: frozenset[str] = frozenset()
    place_run: re.Pattern[str] | None = None
    """A name after a place preposition (``NameRules.place_run``): where the article
    puts something."""
    _cased: str | None = field(default=None, init=False, repr=False)
    _placed: frozenset[str] | None = field(default=None, init=False, repr=False)
    _titled: dict[str, str | None] = field(default_factory=dict, init=False, repr=False)
    _spelt: dict[str, str | None] = field(default_factory=dict, init=False, repr=False)
    not_names: frozenset[str] = frozenset()
    """Lower-case words that are no name ("the", "der"): no holder of a title."""
    holders: Callable[[str], Entity | None] | None = None
    """Who the gazetteer says held a title on the article's date (``Gazetteer.holder``):
    the holder of a title alone when the article names nobody with it."""

    def cased(self) -> str:
        if self._cased is None:
            self._cased = normalise(self.text)
        return self._cased

    def is_place(self, name: str) -> bool:
        """Whether the article names ``name`` as a place somewhere ("in Las Vegas"): an
        untitled name it also uses alone ("Las Vegas will host the show") is that place,
        not a side (worked out once per article, when first asked)."""
        if self._placed is None:
            found = (m.group("place").rstrip(".,;:!?") for m in self.place_run.finditer(self.cased())) if self.place_run and self.text else ()
            self._placed = frozenset(p for p in found if not p.endswith(("'s", "’s")))
        return name in self._placed

    def _written(self, stem: str) -> bool:
        """Whether the article writes a name's stem as a whole name of its own
        somewhere ("um Taylor Swift" beside "Taylor Swifts Konzerte"): then the form
        in -s is its genitive. A name that ends in -s ("Harry Styles") has no stem the
        text writes alone."""
        return " " in stem and not stem.endswith(("s", "x", "z")) and re.search(rf"\b{re.escape(stem)}\b(?![-'’])", self.cased()) is not None

    def entity(self, name: Name) -> Entity | None:
        """The article's entity for a name; for a title alone, its holder's (None when
        the article names no one, or more than one, with that title)."""
        if name.title is not None:
            holder = self.titled(name.title)
            if holder is None:
                return self.holders(name.title) if self.holders is not None and not self._titles_another(name.title) else None
            name = Name(name.start, name.end, holder, name.kind, name.role)
        entity = Entity(name.text, "person" if name.kind == "person" else name.kind, name.role, True, None, open=True)
        self.entities.setdefault(name.text, entity)
        return entity

    def spelt_out(self, acronym: str) -> str | None:
        """The name an acronym is defined as where the article writes it in brackets
        after that name ("the Sudanese Armed Forces (SAF)", "das Internationale Olympische
        Komitee (IOC)"): news introduces a body so once and then writes the acronym
        alone, so the two are one side. The name's capitalised words, particles passed
        over, must begin with the acronym's letters in order; None when the article
        defines it nowhere or as two different names."""
        if not _ACRONYM.match(acronym) or not acronym.isupper():
            return None
        if acronym not in self._spelt:
            found = {run for m in re.finditer(rf"({_RUN.pattern})\s*\(\s*{re.escape(acronym)}\s*\)", self.cased()) if (run := _spelling(m.group(1), acronym)) is not None}
            self._spelt[acronym] = found.pop() if len(found) == 1 else None
        return self._spelt[acronym]

    def _titles_another(self, title: str) -> bool:
        """Whether the article writes the title before some name ("König Charles", "Papst
        Franziskus" before "der Papst"), so that the title alone is no one the gazetteer
        may supply: ``titled`` found two, or one it could not single out."""
        return re.search(rf"\b{re.escape(title)}\s+[A-ZÄÖÜ]", self.cased()) is not None

    def titled(self, title: str) -> str | None:
        """The one name the article writes after a title ("King Charles III" -> "Charles
        III", "König Charles" -> "Charles"); the shortest when the others only lengthen it;
        None when none or two people hold it."""
        if title not in self._titled:
            found = {m.group(1) for m in re.finditer(rf"\b{re.escape(title)}\s+([A-ZÄÖÜ][\w-]+(?:\s+[IVX]{{1,4}}\b)?)", self.cased()) if m.group(1).lower() not in self.not_names}
            shortest = min(found, key=len) if found else None
            self._titled[title] = shortest if shortest and all(f.startswith(shortest) for f in found) else None
        return self._titled[title]

    def resolve(self, name: str) -> str:
        """The fullest form of a name the article uses: a one-word name that starts or
        ends exactly one longer open name is that name ("Witkoff" -> "Steve Witkoff",
        "Taylor" -> "Taylor Swift"); a German genitive is its name ("Taylor Swifts"); an
        acronym the article spells out in brackets is the name it spells ("RSF" after
        "the Rapid Support Forces (RSF)")."""
        if name not in self.entities:
            return name
        if (spelt := self.spelt_out(name)) is not None:
            return spelt
        if name.endswith("s") and (name[:-1] in self.entities or self._written(name[:-1])):
            return self.resolve(name[:-1])
        if " " in name:
            return name
        longer = sorted({n for n in self.entities if n.endswith(" " + name) or n.startswith(name + " ")})
        if len(longer) == 1:
            return longer[0]
        if not longer and self.text and self.first_names:
            # the full form may stand in a sentence no rule had to read ("Sondergesandter
            # Keith Kellogg reist nach Kiew." before "ein Treffen von Kellogg ...")
            found = {m.group(1) for m in re.finditer(rf"\b([A-ZÄÖÜ][\w-]+) {re.escape(name)}\b", self.cased()) if m.group(1) in self.first_names}
            if len(found) == 1:
                return f"{found.pop()} {name}"
        return name
