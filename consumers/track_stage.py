"""The track stage: files event mentions under stories, keeps status, raises alerts.

Where stories live and how they are found is ``consumers.story_store``; what a mention
means for a story is ``consumers.story_tracking`` (pure). The stage commits with the
runtime's WATCHED strategy: a batch reads its candidate stories under WATCH, and the
changed stories, the alerts, the outcomes and the acks are written in one MULTI/EXEC
holding the fenced commit (so nothing is written for entries another consumer has taken
over). When another worker changed one of those stories meanwhile, the runtime has the
batch decided again on fresh state. So two track workers give the same stories as one,
and a re-delivered message (whose effects either all happened or none did) never alerts
twice. A story created by a batch that exists already (archived, or past the candidates
read) is read and filed under.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.asyncio import Redis

from consumers import metrics
from consumers.alert_policy import AlertPolicy, alert_policy
from consumers.corroboration import copy_outlet, corroborate
from consumers.stage_runtime import Contention, Decision, Item, StageLogic, View, Writes
from consumers.story_store import ARCHIVE_AFTER, AWAIT_MAX, RECENT, Candidates, NeighboursUnread, StoryStore
from consumers.story_tracking import new_story_ids, track_article
from schemas import Alert, ArticleEvents, Outcome, OutcomeKind, Story
from schemas.partitions import Partitioning
from schemas.streams import ALERTS, OUTCOMES, copies_key, filed_key, story_key

log = logging.getLogger(__name__)

AHEAD_MAX = 4
"""Batches of at most this many entries read their state and the heads of the stories
they could start with the candidate lookup (``TrackStage._ahead``): a live feed's batch
of one makes one round trip less. A larger batch would read heads it never needs."""

MAX_ROUNDS = 20
"""Rounds of filing a batch may take while stories it would create turn out to exist."""

FILED_TTL_MARGIN = 86400
"""Filing records outlive the dedup window by this: a copy is always of an article the
index holds, i.e. seen within the window."""
FILED_TTL = 7 * 86400 + FILED_TTL_MARGIN
"""For the default 7-day dedup window (``filed_ttl`` of the stage)."""


class TrackStage(StageLogic[ArticleEvents]):
    def __init__(self, redis: Redis, archive_after: timedelta = ARCHIVE_AFTER, candidates_per_term: int = RECENT, filed_ttl: int = FILED_TTL,
                 await_max: timedelta = AWAIT_MAX, policy: AlertPolicy | None = None) -> None:
        self.store = StoryStore(redis, archive_after=archive_after, recent=candidates_per_term, await_max=await_max)
        self.filed_ttl = filed_ttl
        self.policy = policy or alert_policy()

    def bind(self, partitioning: Partitioning, partition: int) -> None:
        """Stories, their index and the copy records live in the partition's slot."""
        self.store.bind(partitioning, partition)

    def owes_outcome(self, message: ArticleEvents) -> bool:
        """A copy's article got its outcome (``duplicate``) at dedup already; an article
        filed in several partitions gets it from its first part (``consumers.routing``)."""
        return message.duplicate_of is None and message.part == 0

    async def decide(self, items: list[Item[ArticleEvents]], view: View) -> Decision:
        originals = [i for i in items if i.message.duplicate_of is None]
        copies = [i for i in items if i.message.duplicate_of is not None]
        articles = [here(i.message) for i in originals]
        ahead = self._ahead(copies, articles, [i.message for i in items]) if len(items) <= AHEAD_MAX else None
        found, replies = await self.store.candidates_along(view, articles, *((ahead.watched, ahead.reads) if ahead else ((), ())))
        if ahead:
            ahead.take(replies)
        if any(not s.announced for s in found.stories.values()):  # a report of one reads what it may shadow: read it now, not on a second pass
            await self.store.neighbours(view, articles, found)
        before = dict(found.stories)
        for _round in range(MAX_ROUNDS):
            by_key = {k: list(v) for k, v in found.by_key.items()}
            try:
                out, changed, alerts, filed = _decide(originals, Candidates(dict(before), by_key, found.undecoded, found.neighbours_read, unfit=found.unfit), self.policy)
            except NeighboursUnread:  # a story not announced yet asks what it may shadow: read that, decide again
                before |= await self.store.neighbours(view, articles, found)
                continue
            # a "new" story may exist already (archived, or past the candidates read): file
            # under it. A small batch read those heads and its other state with its lookup
            # (``_ahead``); otherwise they are read now, in one round trip (read again in
            # the rare round after one did exist: its filings may differ then).
            new = [sid for sid in changed if sid not in before]
            targets, parked = _state_of(copies, filed)
            if ahead and ahead.covers(new, targets, parked):
                existing, state = self.store.heads_read(ahead.heads, new), ahead.state(targets, parked)
            else:
                watched, reads, state_of = self._state_reads(copies, filed, [i.message for i in items])
                existing, replies = await self.store.read_along(view, new, watched, reads)
                state = state_of(replies)
            if not existing:
                break
            before |= existing
            found.update(existing.values())
        else:
            raise Contention("track: stories kept appearing while deciding")
        await self._corroborate(view, copies, filed, before, changed, out.writes, state)
        out.done += [i.entry.id for i in copies]
        cold = await self._cold(view, state.due, before, changed)
        heads = self.store.writes(changed.values(), before, out.writes)
        if cold:
            self.store.archive(cold.values(), out.writes, max(a.message.event_time for a in items))
        out.observe.append(lambda: self.store.committed(heads))  # the cache learns only what was written
        out.observe.append(lambda: _observe(alerts))
        return out

    def _state_reads(self, copies: list[Item[ArticleEvents]], filed: dict[str, list[str]], articles: list[ArticleEvents]) -> tuple[list[str], list[tuple[Any, ...]], Callable[[list[Any]], _State]]:
        """What the batch reads besides its stories once it has decided (``_state_plan``
        of the originals its copies name that it did not file, and the articles it files)."""
        targets, parked = _state_of(copies, filed)
        return self._state_plan(targets, parked, _newest(articles))

    def _state_plan(self, targets: list[str], parked: list[str], now: datetime | None) -> tuple[list[str], list[tuple[Any, ...]], Callable[[list[Any]], _State]]:
        """The keys to WATCH, the reads, and how their replies make a ``_State``: the
        filing records of ``targets``, the outlets parked for ``parked`` and the stories
        gone cold by ``now``."""
        k = self.store.k
        watched = [*(k(filed_key(i)) for i in targets), *(k(copies_key(i)) for i in parked)]
        reads: list[tuple[Any, ...]] = [*(("GET", k(filed_key(t))) for t in targets), *(("HKEYS", k(copies_key(i))) for i in parked)]
        if now is not None:
            watched.append(self.store.hot)
            reads.append(self.store.due(now))

        def state(replies: list[Any]) -> _State:
            if not reads:
                return _State()
            known = {t: json.loads(r) for t, r in zip(targets, replies[: len(targets)], strict=True) if r is not None}
            outlets = {i: [o.decode() for o in r] for i, r in zip(parked, replies[len(targets): len(targets) + len(parked)], strict=True) if r}
            due = [i.decode() for i in replies[-1]] if now is not None else []
            return _State(known, outlets, due)

        return watched, reads, state

    def _ahead(self, copies: list[Item[ArticleEvents]], articles: list[ArticleEvents], messages: list[ArticleEvents]) -> _Ahead:
        """The reads of ``_state_plan`` for any filing of the batch (the records of every
        original its copies name, the parked outlets of every article it may file) and the
        heads of every story its mentions could start (``new_story_ids``): all known
        before deciding, so they go out WATCHed with the candidate lookup, and a small
        batch's decision needs no round trip of its own before the commit."""
        targets = sorted({i.message.duplicate_of for i in copies})  # type: ignore[misc]
        parked = sorted({a.article_id for a in articles})
        starts = sorted({sid for a in articles for m in a.events for sid in new_story_ids(m, a.article_id)})
        watched, reads, decode = self._state_plan(targets, parked, _newest(messages))
        names = [self.store.k(story_key(sid)) for sid in starts]
        along = [("MGET", *names)] if names else []
        return _Ahead(frozenset(targets), frozenset(parked), starts, [*watched, *names], [*reads, *along], decode, len(reads))

    async def _cold(self, view: View, due: list[str], known: dict[str, Story], changed: dict[str, Story]) -> dict[str, Story]:
        """Stories gone cold by the batch's newest event time (those it touches excepted)."""
        cold = await self.store.read(view, [i for i in due if i not in changed])
        return {sid: s for sid, s in cold.items() if sid not in known or known[sid].stamp == s.stamp}

    async def _corroborate(
        self, view: View, copies: list[Item[ArticleEvents]], filed: dict[str, list[str]],
        stories: dict[str, Story], changed: dict[str, Story], writes: Writes, state: _State,
    ) -> None:
        """Record copies' outlets on their originals' stories.

        A copy can overtake its original (it skips extraction), so an original not yet
        tracked gets the outlet parked under ``sw:copies:<original>``, and the original
        picks it up when it is tracked. Both keys are WATCHed (``_state_reads``): neither side
        can miss the other.
        """
        k = self.store.k
        known = state.known
        outlets = {i: list(names) for i, names in state.outlets.items()}
        for copy in (i.message for i in copies):
            original = copy.duplicate_of or ""
            if original in filed or original in known:
                outlets.setdefault(original, []).append(copy_outlet(copy))
            else:
                writes.add("HSET", k(copies_key(original)), copy_outlet(copy), "1")
                writes.add("EXPIRE", k(copies_key(original)), self.filed_ttl)
        story_ids = {sid for i in outlets for sid in filed.get(i) or known.get(i, [])}
        missing = [sid for sid in story_ids if sid not in changed and sid not in stories]
        pool = {**stories, **await self.store.read(view, missing), **changed}
        stories.update({sid: s for sid, s in pool.items() if sid not in stories and sid not in changed})
        for article_id, names in outlets.items():
            for sid in filed.get(article_id) or known.get(article_id, []):
                if sid in pool and (updated := corroborate(pool[sid], names)) is not None:
                    pool[sid] = changed[sid] = updated
        for article_id, story_ids_of in filed.items():
            writes.add("SET", k(filed_key(article_id)), json.dumps(story_ids_of), "EX", self.filed_ttl)
            if article_id in outlets:
                writes.add("DEL", k(copies_key(article_id)))


def _newest(articles: list[ArticleEvents]) -> datetime | None:
    """The batch's newest event time: what the stories gone cold are judged by."""
    return max((a.event_time for a in articles), default=None)


def _state_of(copies: list[Item[ArticleEvents]], filed: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """Whose filing records a batch reads (the originals its copies name that it did not
    file itself) and whose parked outlets (the articles it files)."""
    return sorted({i.message.duplicate_of for i in copies if i.message.duplicate_of not in filed}), list(filed)  # type: ignore[misc]


@dataclass
class _State:
    """A batch's reads besides its stories (see ``TrackStage._state_reads``)."""

    known: dict[str, list[str]] = field(default_factory=dict)
    """Original article -> the stories it was filed under (for its copies)."""
    outlets: dict[str, list[str]] = field(default_factory=dict)
    """Article filed now -> outlets of copies that overtook it."""
    due: list[str] = field(default_factory=list)
    """Stories gone cold by the batch's newest event time."""


@dataclass
class _Ahead:
    """A small batch's state and would-be stories, read with its candidate lookup
    (``TrackStage._ahead``): a superset of what ``_state_reads`` and ``read_along``
    read after deciding, whatever the decision."""

    targets: frozenset[str]
    parked: frozenset[str]
    starts: list[str]
    watched: list[str]
    reads: list[tuple[Any, ...]]
    decode: Callable[[list[Any]], _State]
    """How the first ``state_reads`` replies make the superset's ``_State``."""
    state_reads: int
    read: _State = field(default_factory=_State)
    heads: dict[str, Any] = field(default_factory=dict)

    def take(self, replies: list[Any]) -> None:
        """The replies of ``reads``, in their order."""
        self.read = self.decode(replies[: self.state_reads])
        if self.starts:
            self.heads = dict(zip(self.starts, replies[self.state_reads], strict=True))

    def covers(self, new: list[str], targets: list[str], parked: list[str]) -> bool:
        """Whether the decision's reads were all read ahead: its new stories' heads, the
        filing records of ``targets`` and the outlets parked for ``parked``."""
        return all(s in self.heads for s in new) and self.targets.issuperset(targets) and self.parked.issuperset(parked)

    def state(self, targets: list[str], parked: list[str]) -> _State:
        """The ``_State`` that ``_state_reads`` gives for ``targets`` and ``parked``."""
        known, outlets = self.read.known, self.read.outlets
        return _State({t: known[t] for t in targets if t in known}, {i: outlets[i] for i in parked if i in outlets}, self.read.due)


def _observe(alerts: list[Alert]) -> None:
    now = datetime.now(UTC)
    for alert in alerts:
        transition = f"{alert.from_status or 'none'}->{alert.to_status}"
        metrics.ALERTS.labels(alert.kind.value, transition).inc()
        if alert.received_at is not None:
            metrics.ALERT_LATENCY.observe(max(0.0, (now - alert.received_at).total_seconds()))


def _decide(
    items: list[Item[ArticleEvents]], found: Candidates, policy: AlertPolicy,
) -> tuple[Decision, dict[str, Story], list[Alert], dict[str, list[str]]]:
    """File each article in turn against the stories it may meet (pure): outputs, changed
    stories, alerts and the stories each article was filed under."""
    out = Decision()
    changed: dict[str, Story] = {}
    alerts: list[Alert] = []
    filed: dict[str, list[str]] = {}
    for entry, whole in ((i.entry, i.message) for i in items):
        article = here(whole)
        try:
            result = track_article(article, found.for_article(article), found.neighbours_for(article), policy, whole.events)
        except NeighboursUnread:
            raise  # not the article's fault: the batch reads them and is decided again
        except Exception as exc:  # one bad input must not block the batch
            log.error("tracking failed", extra={"stage": "track", "entry": entry.id}, exc_info=True)
            out.failed[entry.id] = f"{type(exc).__name__}: {exc}"
            continue
        found.update(result.stories.values())
        changed.update(result.stories)
        alerts += result.alerts
        filed[article.article_id] = sorted({sid for sid in result.assignments if sid})
        out.publish += [(ALERTS, alert) for alert in result.alerts]
        kind = OutcomeKind.PROCESSED if whole.part == 0 else OutcomeKind.FILED
        out.publish.append((OUTCOMES, Outcome(article_id=article.article_id, kind=kind, stage="track", stories=_spread(result.assignments, whole))))
        out.done.append(entry.id)
    return out, changed, alerts, filed


def here(article: ArticleEvents) -> ArticleEvents:
    """The article as this partition files it: only the events it tracks."""
    return article if article.tracked is None else article.model_copy(update={"events": article.tracked_events(), "tracked": None})


def _spread(assignments: list[str | None], whole: ArticleEvents) -> list[str | None]:
    """Stories per event of the whole article (None for events filed elsewhere)."""
    if whole.tracked is None:
        return assignments
    out: list[str | None] = [None] * len(whole.events)
    for index, story_id in zip((i for i in whole.tracked if 0 <= i < len(whole.events)), assignments, strict=True):
        out[index] = story_id
    return out
