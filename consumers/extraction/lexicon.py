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
    """The form every pattern is matched against: no typographic quotes, ss for ß."""
    return _QUOTES.sub("", text).replace("ß", "ss").replace("’", "'").replace("‘", "'")


_QUOTES = re.compile(r"[„“”«»\"‚‹›]")


def pattern(spec: str) -> str:
    """Regex source of one data-file pattern (syntax documented in lexicons/de.yaml)."""
    if spec.startswith("re:"):
        return spec[3:]
    out: list[str] = []
    gap = False
    for token in normalise(spec).split():
        if token == "...":
            gap = True
            continue
        if out:
            out.append(_GAP if gap else r"\W+")
        gap = False
        at_end = token.endswith("$")
        token = token.rstrip("$")
        core = re.escape(token.strip("*"))
        head = r"\w*" if token.startswith("*") else r"(?<!\w)"
        tail = r"\w*" if token.endswith("*") else r"(?!\w)"
        out.append(head + core + tail + (_CLAUSE_END if at_end else ""))
    return "".join(out)


def compile_any(specs: list[str]) -> re.Pattern[str]:
    """One alternation over many patterns, longest first: a single scan finds any."""
    parts = sorted({pattern(s) for s in specs}, key=len, reverse=True)
    return re.compile("|".join(f"(?:{p})" for p in parts) or r"(?!)", re.IGNORECASE)


@dataclass(frozen=True)
class Cue:
    """A status cue: its pattern and the status it claims."""

    spec: str
    status: Status
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Lexicon:
    """One language's compiled patterns."""

    language: str
    stopwords: frozenset[str]
    junk_block: re.Pattern[str]
    junk_line: re.Pattern[str]
    dateline: re.Pattern[str]
    type_words: dict[str, re.Pattern[str]]
    any_type: re.Pattern[str]
    cues: list[Cue]
    any_cue: re.Pattern[str]
    floated: re.Pattern[str]
    negations: re.Pattern[str]
    negation_flip: dict[Status, Status | None]
    hedges: re.Pattern[str]
    background: re.Pattern[str]
    attribution: list[re.Pattern[str]]
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
    """Canonical names of people, organisations, countries and places."""

    entities: list[tuple[re.Pattern[str], Entity]] = field(default_factory=list)
    places: list[tuple[re.Pattern[str], str, bool]] = field(default_factory=list)
    country_of: dict[str, str] = field(default_factory=dict)
    any_entity: re.Pattern[str] = re.compile(r"(?!)")


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _status_map(raw: dict[str, str]) -> dict[Status, Status | None]:
    return {Status(k): (None if v == "drop" else Status(v)) for k, v in raw.items()}


def _lexicon(raw: dict[str, Any]) -> Lexicon:
    junk = raw.get("junk", {})
    block = [rf"^\s*{re.escape(normalise(b))}\s*:?\s*$" for b in junk.get("block_start", [])]
    cues = [Cue(spec, Status(status), re.compile(pattern(spec), re.IGNORECASE)) for status, specs in raw["cues"].items() for spec in specs]
    types = {name: compile_any(words) for name, words in raw["event_types"].items()}
    return Lexicon(
        language=raw["language"],
        stopwords=frozenset(raw.get("stopwords", [])),
        junk_block=re.compile("|".join(block) or r"(?!)", re.IGNORECASE),
        junk_line=compile_any(junk.get("line_regex", [])),
        dateline=re.compile(pattern(junk.get("dateline", "re:(?!)"))),
        type_words=types,
        any_type=compile_any([w for words in raw["event_types"].values() for w in words]),
        cues=cues,
        any_cue=compile_any([c.spec for c in cues]),
        floated=compile_any(raw.get("floated", [])),
        negations=compile_any(raw.get("negations", [])),
        negation_flip=_status_map(raw.get("negation_flip", {})),
        hedges=compile_any(raw.get("hedges", [])),
        background=compile_any(raw.get("background", [])),
        attribution=[re.compile(pattern(p)) for p in raw.get("attribution", [])],
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
    for name, meta in (raw.get("people") or {}).items():
        ent = Entity(name, "person", meta.get("role"), bool(meta.get("participant", True)), meta.get("country"))
        gaz.entities.append((compile_any(meta.get("aliases", []) + [name]), ent))
    for name, meta in (raw.get("organisations") or {}).items():
        ent = Entity(name, meta.get("kind", "org"), meta.get("kind"))
        gaz.entities.append((re.compile(_case_sensitive(meta.get("aliases", []) + [name])), ent))
    for name, aliases in (raw.get("countries") or {}).items():
        gaz.entities.append((re.compile(_case_sensitive(aliases + [name])), Entity(name, "country")))
        gaz.places.append((re.compile(r"\b(?:in|nach|to|im)\s+(?:der\s+|the\s+)?(?:" + _case_sensitive(aliases + [name]) + ")"), name, False))
    for name, meta in (raw.get("cities") or {}).items():
        gaz.places.append((compile_any(meta.get("names", []) + [name]), name, True))
        gaz.country_of[name] = meta.get("country", "")
    gaz.any_entity = re.compile("|".join(f"(?:{p.pattern})" for p, _ in gaz.entities), re.IGNORECASE)
    return gaz


def _case_sensitive(aliases: list[str]) -> str:
    """Organisation and country names are matched with their case: "US" is not "us"."""
    return "|".join(pattern(normalise(a)) for a in sorted(set(aliases), key=len, reverse=True))


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
