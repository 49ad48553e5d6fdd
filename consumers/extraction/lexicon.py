"""Loading the extraction data files once, at import, into compiled patterns.

Everything language- or domain-specific lives in YAML next to this module: the
lexicons (``lexicons/<lang>.yaml``), the event types (``types.yaml``) and the gazetteer
(``gazetteer.yaml``). Adding a language or an event type means adding data, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from schemas.status import Status

DATA_DIR = Path(__file__).parent
_GAP = r"\W+(?:[\w-]+\W+){0,10}?"
_CLAUSE_END = r"(?=\W*$)"


def normalise(text: str) -> str:
    """The cased form names are matched against: no typographic quotes, ss for ß."""
    return _QUOTES.sub("", text).replace("ß", "ss").replace("’", "'").replace("‘", "'")


def lower(text: str) -> str:
    """The form cues and event words are matched against (patterns are lower case too:
    case-insensitive regexes are many times slower in Python's engine)."""
    return normalise(text).lower()


_QUOTES = re.compile(r"[„“”«»\"‚‹›]")


def pattern(spec: str, cased: bool = False) -> str:
    """Regex source of one data-file pattern (syntax documented in lexicons/de.yaml).

    Word boundaries are plain ``\\b`` and a leading ``*`` drops the left boundary, so an
    alternation of many patterns still starts with literals the engine can skip by.
    """
    if spec.startswith("re:"):
        return spec[3:]
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
        head = "" if token.startswith("*") or not core[0].isalnum() else r"\b"
        tail = r"\w*" if token.endswith("*") else r"\b" if core[-1].isalnum() else ""
        out.append(head + re.escape(core) + tail + (_CLAUSE_END if at_end else ""))
    return "".join(out)


def compile_any(specs: list[str], cased: bool = False) -> re.Pattern[str]:
    """One alternation over many patterns, longest first: a single scan finds any."""
    parts = sorted({pattern(s, cased) for s in specs}, key=len, reverse=True)
    return re.compile("|".join(f"(?:{p})" for p in parts) or r"(?!)")


_WORD = re.compile(r"[\w-]+")


@dataclass(frozen=True)
class Gate:
    """A word-set test that tells, in microseconds, whether a text can name any event.

    Built from the first word of every event-word pattern: exact words, prefixes
    ("gipfeltreffen*") and suffixes ("*gipfel"). Over-inclusive by design; the exact
    patterns run afterwards only on texts that pass.
    """

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]

    @classmethod
    def of(cls, specs: list[str]) -> Gate:
        exact, prefixes, suffixes = set(), set(), set()
        for spec in specs:
            first = lower(spec).split()[0]
            core = first.strip("*$").split("-")[-1] if first.startswith("*") else first.strip("*$")
            (suffixes if first.startswith("*") else prefixes if first.endswith("*") else exact).add(core)
        return cls(frozenset(exact), tuple(sorted(prefixes)), tuple(sorted(suffixes)))

    def admits(self, low: str) -> bool:
        tokens = set(_WORD.findall(low))
        for token in tokens:
            parts = token.split("-")
            if token in self.exact or parts[-1] in self.exact or token.startswith(self.prefixes) or parts[-1].startswith(self.prefixes) or token.endswith(self.suffixes):
                return True
        return False


@dataclass(frozen=True)
class Cue:
    """A status cue: its pattern and the status it claims."""

    spec: str
    status: Status
    regex: re.Pattern[str]


@dataclass(frozen=True)
class CueIndex:
    """Cues by their first word, so a clause only runs the patterns it can match."""

    exact: dict[str, tuple[Cue, ...]]
    prefixed: tuple[tuple[str, Cue], ...]
    always: tuple[Cue, ...]

    @classmethod
    def of(cls, cues: list[Cue]) -> CueIndex:
        exact: dict[str, list[Cue]] = {}
        prefixed, always = [], []
        for cue in cues:
            first = lower(cue.spec).split()[0]
            if cue.spec.startswith("re:") or first.startswith("*"):
                always.append(cue)
            elif first.endswith("*"):
                prefixed.append((first.strip("*$"), cue))
            else:
                exact.setdefault(first.strip("$"), []).append(cue)
        return cls({k: tuple(v) for k, v in exact.items()}, tuple(prefixed), tuple(always))

    def candidates(self, low: str) -> list[Cue]:
        tokens = set(_WORD.findall(low))
        found = [c for t in tokens for c in self.exact.get(t, ())]
        starts = tuple(p for p, _ in self.prefixed)
        hits = {p for t in tokens if t.startswith(starts) for p in starts if t.startswith(p)}
        found += [c for p, c in self.prefixed if p in hits]
        return found + list(self.always)


@dataclass(frozen=True)
class Lexicon:
    """One language's compiled patterns."""

    language: str
    stopwords: frozenset[str]
    junk_block: re.Pattern[str]
    junk_line: re.Pattern[str]
    dateline: re.Pattern[str]
    type_words: dict[str, re.Pattern[str]]
    gate: Gate
    cues: list[Cue]
    cue_index: CueIndex
    floated: re.Pattern[str]
    negations: re.Pattern[str]
    negation_flip: dict[Status, Status | None]
    hedges: re.Pattern[str]
    background: re.Pattern[str]
    attribution: list[re.Pattern[str]]
    attribution_words: frozenset[str]
    reported_speech: re.Pattern[str]
    anaphors: re.Pattern[str]
    questions: re.Pattern[str]
    dates: dict[str, Any]


@dataclass(frozen=True)
class EventType:
    """Language-independent metadata of one event type (types.yaml)."""

    name: str
    family: str
    rank: int
    label: str
    parent: str | None = None
    participants: frozenset[str] = frozenset()
    min_actors: int = 1
    bloc_hosts: bool = False
    window_days: int = 10


@dataclass(frozen=True)
class Entity:
    """A gazetteer entry: canonical name, kind (person/org/country) and attributes."""

    name: str
    kind: str
    role: str | None = None
    participant: bool = True
    country: str | None = None


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
    country_of: dict[str, str] = field(default_factory=dict)
    any_lower: re.Pattern[str] = re.compile(r"(?!)")
    any_cased: re.Pattern[str] = re.compile(r"(?!)")


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _status_map(raw: dict[str, str]) -> dict[Status, Status | None]:
    return {Status(k): (None if v == "drop" else Status(v)) for k, v in raw.items()}


def _lexicon(raw: dict[str, Any]) -> Lexicon:
    junk = raw.get("junk", {})
    block = [rf"^\s*{re.escape(lower(b))}\s*:?\s*$" for b in junk.get("block_start", [])]
    cues = [Cue(spec, Status(status), re.compile(pattern(spec))) for status, specs in raw["cues"].items() for spec in specs]
    types = {name: compile_any(words) for name, words in raw["event_types"].items()}
    return Lexicon(
        language=raw["language"],
        stopwords=frozenset(raw.get("stopwords", [])),
        junk_block=re.compile("|".join(block) or r"(?!)"),
        junk_line=compile_any(junk.get("line_regex", [])),
        dateline=re.compile(pattern(junk.get("dateline", "re:(?!)"), cased=True)),
        type_words=types,
        gate=Gate.of([w for words in raw["event_types"].values() for w in words]),
        cues=cues,
        cue_index=CueIndex.of(cues),
        floated=compile_any(raw.get("floated", [])),
        negations=compile_any(raw.get("negations", [])),
        negation_flip=_status_map(raw.get("negation_flip", {})),
        hedges=compile_any(raw.get("hedges", [])),
        background=compile_any(raw.get("background", [])),
        attribution=[re.compile(pattern(p, cased=True)) for p in raw.get("attribution", [])],
        attribution_words=frozenset(lower(w) for w in raw.get("attribution_words", [])),
        reported_speech=compile_any(raw.get("reported_speech", [])),
        anaphors=compile_any(raw.get("anaphors", [])),
        questions=compile_any(raw.get("questions", [])),
        dates=raw.get("dates", {}),
    )


def _event_types(raw: dict[str, Any]) -> dict[str, EventType]:
    return {
        name: EventType(
            name=name,
            family=meta.get("family", name),
            rank=int(meta.get("rank", 50)),
            label=meta.get("label", name.replace("_", " ")),
            parent=meta.get("parent"),
            participants=frozenset(meta.get("participants", [])),
            min_actors=int(meta.get("min_actors", 1)),
            bloc_hosts=bool(meta.get("bloc_hosts", False)),
            window_days=int(meta.get("window_days", 10)),
        )
        for name, meta in raw["types"].items()
    }


def _gazetteer(raw: dict[str, Any]) -> Gazetteer:
    gaz = Gazetteer()
    people = []
    for name, meta in (raw.get("people") or {}).items():
        ent = Entity(name, "person", meta.get("role"), bool(meta.get("participant", True)), meta.get("country"))
        people.append((compile_any(meta.get("aliases", []) + [name]), ent))
    cased = []
    for name, meta in (raw.get("organisations") or {}).items():
        cased.append((compile_any(meta.get("aliases", []) + [name], cased=True), Entity(name, meta.get("kind", "org"), meta.get("kind"))))
    for name, aliases in (raw.get("countries") or {}).items():
        cased.append((compile_any(aliases + [name], cased=True), Entity(name, "country")))
        gaz.places.append((re.compile(r"\b(?:in|nach|to|im)\s+(?:der\s+|the\s+)?(?:" + compile_any(aliases + [name], cased=True).pattern + ")"), name, False))
    for name, meta in (raw.get("cities") or {}).items():
        gaz.places.append((compile_any(meta.get("names", []) + [name], cased=True), name, True))
        gaz.country_of[name] = meta.get("country", "")
    gaz.entities, gaz.people, gaz.cased = people + cased, people, cased
    gaz.any_place = re.compile("|".join(rx.pattern for rx, _, _ in gaz.places))
    gaz.any_lower = re.compile("|".join(rx.pattern for rx, _ in people))
    gaz.any_cased = re.compile("|".join(rx.pattern for rx, _ in cased))
    return gaz


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
