"""A realistic news mix for the benchmarks: what a feed looks like, not a demo.

Most articles report no scheduled event, some report one, few are event-dense; about
30% are near-copies of an earlier article (another outlet's edit of the same wire
story); participants, places and dates vary, so there are many distinct stories, and
participants are skewed (a few leaders are in many stories, most names in few), as in
real news. Two forms:

* ``Universe`` / ``mix_events``: stories and ``ArticleEvents`` (what the track stage
  reads), with synthetic participant names, so any number of distinct live stories can
  be made (``bench.track_scale``);
* ``mix_articles``: full articles (~3 KB) whose event sentences use the gazetteer's
  leaders and places and stated dates, for the end-to-end run through dedup, extraction
  and tracking (``bench.realistic_bench``).
"""

from __future__ import annotations

import random
from itertools import combinations
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bench.pipeline_bench import filler
from consumers.extraction.lexicon import event_types, gazetteer
from consumers.story_status import source_key
from consumers.story_tracking import family, story_title
from schemas import Article, ArticleEvents, EventMention, Status, Story, TimelineEntry

START = datetime(2026, 1, 5, tzinfo=UTC)
TYPES = ["summit", "meeting", "talks", "visit", "call", "negotiation_round"]
STATUSES = [Status.PLANNED, Status.PLANNED, Status.PLANNED, Status.POSTPONED, Status.CANCELLED, Status.TOOK_PLACE, Status.ON_HOLD]
PLACES = ["Budapest", "Berlin", "Paris", "London", "Geneva", "Istanbul", "Helsinki", "Riyadh", "Beijing", "Tokyo", "Doha", "Cairo", "Brussels", "Moscow", "Kyiv"]


@dataclass(frozen=True)
class Identity:
    """What makes a story one story: type, participants, place, date."""

    type: str
    actors: tuple[str, ...]
    location: str | None
    event_date: date | None


class Universe:
    """Distinct story identities; participant popularity follows a Zipf law."""

    def __init__(self, seed: int = 1, actors: int = 5000) -> None:
        self.rng = random.Random(seed)
        self.actor_names = [f"Actor{i:05d}" for i in range(actors)]
        weights = [1 / (i + 1) for i in range(actors)]
        total = sum(weights)
        self._cum = []
        acc = 0.0
        for w in weights:
            acc += w / total
            self._cum.append(acc)

    def _actor(self) -> str:
        from bisect import bisect_left

        return self.actor_names[min(bisect_left(self._cum, self.rng.random()), len(self.actor_names) - 1)]

    def identity(self) -> Identity:
        kind = self.rng.choice(TYPES)
        n = 1 if kind == "visit" else self.rng.choice([2, 2, 2, 3])
        actors: set[str] = set()
        while len(actors) < n:
            actors.add(self._actor())
        place = self.rng.choice(PLACES) if self.rng.random() < 0.8 else None
        day = START.date() + timedelta(days=self.rng.randrange(0, 365)) if self.rng.random() < 0.7 else None
        return Identity(kind, tuple(sorted(actors)), place, day)

    def identities(self, n: int) -> list[Identity]:
        seen: dict[Identity, None] = {}
        while len(seen) < n:
            seen[self.identity()] = None
        return list(seen)

    def trackable(self, n: int) -> list[Identity]:
        """``n`` identities none of which a report of another would fit (``fits``): live
        stories as tracking leaves them, each report filed under the one story it fits.
        Popular participants stay in many stories, at other places or dates."""
        out: list[Identity] = []
        exact: dict[tuple[str, frozenset[str]], list[Identity]] = {}
        within: dict[tuple[str, frozenset[str]], list[Identity]] = {}
        while len(out) < n:
            ident = self.identity()
            fam, actors = family(ident.type), frozenset(ident.actors)
            parts = [frozenset(c) for k in range(1, len(actors) + 1) for c in combinations(sorted(actors), k)]
            near = within.get((fam, actors), []) + [o for part in parts for o in exact.get((fam, part), [])]
            if any(fits(ident, other) for other in near):
                continue
            out.append(ident)
            exact.setdefault((fam, actors), []).append(ident)
            for part in parts:
                within.setdefault((fam, part), []).append(ident)
        return out


def fits(a: Identity, b: Identity) -> bool:
    """Would a report of ``a`` fit a live story of ``b`` (given nested participants and the
    same family): dates within the type's window or not both stated, places compatible."""
    if a.event_date is not None and b.event_date is not None:
        window = event_types()[a.type].window_days if a.type in event_types() else 10
        if abs((a.event_date - b.event_date).days) > window:
            return False
    if a.location is None or b.location is None or a.location == b.location:
        return True
    country = gazetteer().country_of
    return country.get(a.location, a.location) == b.location or country.get(b.location, b.location) == a.location


def mention(ident: Identity, status: Status, rng: random.Random) -> EventMention:
    return EventMention(
        type=ident.type, actors=list(ident.actors), location=ident.location, event_date=ident.event_date,
        status=status, cue="cue", evidence=f"{' and '.join(ident.actors)} {ident.type} {status.value} in {ident.location}.",
        in_lead=rng.random() < 0.5, confidence=1.0 if rng.random() < 0.95 else 0.3,
    )


def story_of(ident: Identity, story_id: str, reports: int, at: datetime, rng: random.Random) -> tuple[Story, list[TimelineEntry]]:
    """A live story of ``ident`` with ``reports`` planned claims up to ``at`` (one per hour back)."""
    timeline = [
        TimelineEntry(status=Status.PLANNED, at=at - timedelta(hours=reports - i), article_id=f"{story_id}-a{i}", source=f"outlet-{rng.randrange(40)}",
                      evidence="planned", confidence=1.0)
        for i in range(reports)
    ]
    story = Story(
        story_id=story_id, title=story_title(ident.type, list(ident.actors), ident.location), type=ident.type, actors=list(ident.actors),
        location=ident.location, event_date=ident.event_date, status=Status.PLANNED, status_since=timeline[0].at if timeline else at,
        timeline=timeline, sources=sorted({e.source or e.article_id for e in timeline}), article_ids=[e.article_id for e in timeline],
        reports=len(timeline), source_status={source_key(e): e.status for e in timeline},
    )
    return story, timeline


def mix_events(idents: list[Identity], n: int, start: datetime, rng: random.Random, prefix: str = "m", spacing: timedelta = timedelta(seconds=5)) -> list[ArticleEvents]:
    """``n`` articles as extraction hands them to tracking: 60% without events, 30% one,
    10% three to five; 30% of the rest are copies (``duplicate_of`` an earlier one)."""
    out: list[ArticleEvents] = []
    for i in range(n):
        at = start + i * spacing
        if out and rng.random() < 0.3:
            original = rng.choice(out[-500:])
            out.append(ArticleEvents(article_id=f"{prefix}{i}", source=f"outlet-{rng.randrange(40)}", event_time=at, duplicate_of=original.article_id))
            continue
        roll = rng.random()
        count = 0 if roll < 0.6 else (1 if roll < 0.9 else rng.randint(3, 5))
        events = [mention(rng.choice(idents), rng.choice(STATUSES), rng) for _ in range(count)]
        out.append(ArticleEvents(article_id=f"{prefix}{i}", source=f"outlet-{rng.randrange(40)}", agency=rng.choice([None, None, "dpa", "Reuters", "AP"]),
                                 event_time=at, published_at=at, events=events))
    return out


# --- full articles for the end-to-end run --------------------------------------------

LEADERS = ["Trump", "Putin", "Zelensky", "Merz", "Macron", "Starmer", "Xi", "Modi", "Erdoğan", "Orbán", "Biden", "Kim Jong Un"]
CITIES = {"Budapest": "Budapest", "Berlin": "Berlin", "Paris": "Paris", "London": "London", "Genf": "Geneva", "Istanbul": "Istanbul",
          "Helsinki": "Helsinki", "Peking": "Beijing", "Tokio": "Tokyo", "Doha": "Doha", "Kairo": "Cairo", "Brüssel": "Brussels",
          "Hamburg": "Hamburg", "Moskau": "Moscow", "Kiew": "Kyiv", "Riad": "Riyadh"}
"""City as the German text names it -> the gazetteer's canonical name (the story's place)."""
MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]
LEADS = {
    "planned": "{a} und {b} wollen sich am {d} in {c} treffen.",
    "postponed": "Das für den {d} geplante Treffen von {a} und {b} in {c} wurde verschoben.",
    "cancelled": "Das für den {d} geplante Treffen von {a} und {b} in {c} wurde abgesagt.",
    "took_place": "{a} und {b} trafen sich am {d} in {c}.",
}


def _day(d: date) -> str:
    return f"{d.day}. {MONTHS[d.month - 1]}"


def event_sentence(rng: random.Random, stories: list[tuple[str, str, str, date]]) -> str:
    a, b, c, d = rng.choice(stories)
    return LEADS[rng.choice(["planned", "planned", "postponed", "cancelled", "took_place"])].format(a=a, b=b, c=c, d=_day(d))


def meeting_stories(rng: random.Random, n: int) -> list[tuple[str, str, str, date]]:
    """``n`` distinct (leader, leader, city, date) meetings over two years."""
    seen: dict[tuple[str, str, str, date], None] = {}
    cities = sorted(CITIES)
    while len(seen) < n:
        a, b = sorted(rng.sample(LEADERS, 2))
        seen[(a, b, rng.choice(cities), START.date() + timedelta(days=rng.randrange(730)))] = None
    return list(seen)


def meeting_identity(meeting: tuple[str, str, str, date]) -> Identity:
    """The story extraction and tracking make of a meeting sentence."""
    a, b, city, day = meeting
    return Identity("meeting", (a, b), CITIES[city], day)


def _near_copy(rng: random.Random, original: Article, ident: str) -> Article:
    """Another outlet's edit: last paragraph cut, a sentence of its own at the end."""
    paragraphs = original.text.split("\n\n")
    text = "\n\n".join(paragraphs[:-1] + [f"Mit Material von outlet-{rng.randrange(40)}."])
    return original.model_copy(update={"id": ident, "url": None, "source": f"outlet-{rng.randrange(40)}", "text": text})


def mix_articles(n: int, meetings: list[tuple[str, str, str, date]], seed: int = 7, start: datetime = START) -> list[Article]:
    """``n`` ~3 KB German articles on ``meetings``: 60% no scheduled event, 30% one, 10%
    three to five; 30% near-copies of a recent article."""
    rng = random.Random(seed)
    out: list[Article] = []
    for i in range(n):
        at = start + timedelta(seconds=3 * i)
        if out and rng.random() < 0.3:
            copy = _near_copy(rng, rng.choice(out[-300:]), f"mix-{i}")
            out.append(copy.model_copy(update={"published_at": at}))
            continue
        roll = rng.random()
        count = 0 if roll < 0.6 else (1 if roll < 0.9 else rng.randint(3, 5))
        events = [event_sentence(rng, meetings) for _ in range(count)]
        body = filler(rng, i, paragraphs=10)
        text = "\n\n".join([*events, body]) if events else body
        out.append(Article(id=f"mix-{i}", source=f"outlet-{i % 40}", language="de", published_at=at, text=text[:3200]))
    return out
