"""The track stage: files event mentions under stories, keeps status, raises alerts.

Stories live in Redis as JSON under ``sw:story:<id>``, found through sorted sets
``sw:story:ix:<term>`` scored by each story's last report, so a batch reads only the
most recently active stories of each term, not every story an actor ever had. A story
created by a batch that exists already (silent for long) is read and filed under. A
batch reads its candidate stories under WATCH and writes the
changed stories, the alerts, the outcomes and the acks in one MULTI/EXEC (holding the
fenced commit, so nothing is written for entries another consumer has taken over): when
another worker changed one of those stories meanwhile, the batch is decided again on
fresh state. So two track workers give the same stories as one, and a re-delivered message
(whose effects either all happened or none did) never alerts twice.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from datetime import UTC, datetime

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import WatchError

from consumers.corroboration import copy_outlet, corroborate
from consumers.stage_runtime import BatchOutput, Entry, Rejection, Stage, Writes, decode, injected_faults, lost_entries, queue_commit
from consumers.story_tracking import candidate_terms, story_terms, track_article
from schemas import Alert, ArticleEvents, Outcome, OutcomeKind, Story
from schemas.streams import ALERTS, KEY_PREFIX, OUTCOMES
from consumers import metrics

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 20


def story_key(story_id: str) -> str:
    return f"{KEY_PREFIX}:story:{story_id}"


def index_key(term: str) -> str:
    return f"{KEY_PREFIX}:story:ix:{term}"


def filed_key(article_id: str) -> str:
    """The stories an article was filed under (what its copies corroborate)."""
    return f"{KEY_PREFIX}:filed:{article_id}"


def copies_key(article_id: str) -> str:
    """Outlets of copies that arrived before their original was tracked."""
    return f"{KEY_PREFIX}:copies:{article_id}"


FILED_TTL = 30 * 86400
"""Longer than any dedup window: a copy is always of an article seen within it."""


DEFAULT_CANDIDATES = 200


class TrackStage(Stage):
    name = "track"

    def __init__(self, redis: Redis, consumer: str = "storywatch", candidates_per_term: int = DEFAULT_CANDIDATES) -> None:
        super().__init__(redis, consumer)
        self.candidates_per_term = candidates_per_term

    async def process(self, entries: list[Entry]) -> BatchOutput:  # pragma: no cover - handle() is overridden
        raise NotImplementedError

    async def handle(self, entries: list[Entry]) -> None:
        if not entries:
            return
        started = time.perf_counter()
        metrics.MESSAGES_IN.labels(self.name).inc(len(entries))
        base = BatchOutput()
        faults = injected_faults(self.name, entries)
        articles: list[tuple[Entry, ArticleEvents]] = []
        for entry in (e for e in entries if e.id not in faults):
            item = decode(entry, ArticleEvents)
            if isinstance(item, Rejection):
                base.reject(self.name, item)
            else:
                articles.append((entry, item))
        for _attempt in range(MAX_ATTEMPTS):
            try:
                alerts, out, lost = await self._attempt(base, articles)
            except WatchError:
                continue
            if not lost:
                break
            base.publish = [(s, m) for s, m in base.publish if not (isinstance(m, Outcome) and m.entry_id in lost)]
            base.done = [i for i in base.done if i not in lost]
            articles = [(e, a) for e, a in articles if e.id not in lost]
        else:
            raise RuntimeError(f"track: batch kept conflicting with other workers {MAX_ATTEMPTS} times")
        out.failed.update(faults)
        await self.record_failures(out.failed)
        self._observe(alerts, out, started)

    async def _attempt(self, base: BatchOutput, articles: list[tuple[Entry, ArticleEvents]]) -> tuple[list[Alert], BatchOutput, set[str]]:
        originals = [(e, a) for e, a in articles if a.duplicate_of is None]
        copies = [(e, a) for e, a in articles if a.duplicate_of is not None]
        async with self.redis.pipeline(transaction=True) as pipe:
            candidates = await self._load_candidates(pipe, [a for _, a in originals])
            for _round in range(MAX_ATTEMPTS):
                out, changed, alerts, filed = _decide(base, originals, dict(candidates), self.name)
                # a "new" story may exist already, past the candidates read: file under it
                existing = await _watch_and_read(pipe, self.redis, [sid for sid in changed if sid not in candidates])
                if not existing:
                    break
                candidates |= existing
            else:
                raise WatchError("stories kept appearing while deciding")
            writes = Writes()
            await self._corroborate(pipe, copies, filed, candidates, changed, writes)
            out.done += [e.id for e, _ in copies]
            pipe.multi()
            queue_commit(pipe, self.stream, self.group, self.consumer, out.done, out.writes(_story_writes(changed.values(), writes)))
            (reply,) = await pipe.execute()
        return alerts, out, lost_entries(reply)

    async def _corroborate(
        self, pipe: Pipeline, copies: list[tuple[Entry, ArticleEvents]], filed: dict[str, list[str]],
        stories: dict[str, Story], changed: dict[str, Story], writes: Writes,
    ) -> None:
        """Record copies' outlets on their originals' stories.

        A copy can overtake its original (it skips extraction), so an original not yet
        tracked gets the outlet parked under ``sw:copies:<original>``, and the original
        picks it up when it is tracked. Both keys are WATCHed: neither side can miss the other.
        """
        targets = sorted({a.duplicate_of for _, a in copies if a.duplicate_of not in filed})  # type: ignore[misc]
        parked_keys = [copies_key(i) for i in filed]
        if targets or parked_keys:
            await pipe.watch(*(filed_key(i) for i in targets), *parked_keys)
        async with self.redis.pipeline(transaction=False) as reads:
            for target in targets:
                reads.get(filed_key(target))
            for key in parked_keys:
                reads.hkeys(key)
            replies = await reads.execute()
        known = {t: json.loads(r) for t, r in zip(targets, replies[: len(targets)], strict=True) if r is not None}
        outlets: dict[str, list[str]] = {i: [o.decode() for o in r] for i, r in zip(filed, replies[len(targets):], strict=True) if r}
        for _, copy in copies:
            original = copy.duplicate_of or ""
            if original in filed or original in known:
                outlets.setdefault(original, []).append(copy_outlet(copy))
            else:
                writes.add("HSET", copies_key(original), copy_outlet(copy), "1")
                writes.add("EXPIRE", copies_key(original), FILED_TTL)
        story_ids = {sid for i in outlets for sid in filed.get(i) or known.get(i, [])}
        missing = [sid for sid in story_ids if sid not in changed and sid not in stories]
        pool = {**stories, **await _watch_and_read(pipe, self.redis, sorted(missing)), **changed}
        for article_id, names in outlets.items():
            for sid in filed.get(article_id) or known.get(article_id, []):
                if sid in pool and (updated := corroborate(pool[sid], names)) is not None:
                    pool[sid] = changed[sid] = updated
        for article_id, story_ids_of in filed.items():
            writes.add("SET", filed_key(article_id), json.dumps(story_ids_of), "EX", FILED_TTL)
            if article_id in outlets:
                writes.add("DEL", copies_key(article_id))

    async def _load_candidates(self, pipe: Pipeline, articles: list[ArticleEvents]) -> dict[str, Story]:
        """WATCH the index sets, then read the most recently active stories they name.

        Each index term yields at most ``candidates_per_term`` stories (the latest reported),
        so a prolific actor does not make every batch read every story it ever had.
        """
        terms = sorted({t for a in articles for m in a.events for t in candidate_terms(m)})
        if not terms:
            return {}
        keys = [index_key(t) for t in terms]
        await pipe.watch(*keys)
        async with self.redis.pipeline(transaction=False) as reads:
            for key in keys:
                reads.zrange(key, 0, self.candidates_per_term - 1, desc=True)
            ids = sorted({x.decode() for found in await reads.execute() for x in found})
        return await _watch_and_read(pipe, self.redis, ids)

    def _observe(self, alerts: list[Alert], out: BatchOutput, started: float) -> None:
        now = datetime.now(UTC)
        for alert in alerts:
            transition = f"{alert.from_status or 'none'}->{alert.to_status}"
            metrics.ALERTS.labels(alert.kind.value, transition).inc()
            if alert.received_at is not None:
                metrics.ALERT_LATENCY.observe(max(0.0, (now - alert.received_at).total_seconds()))
        metrics.PROCESSED.labels(self.name).inc(len(out.done))
        metrics.STAGE_SECONDS.labels(self.name).observe(time.perf_counter() - started)


def _decide(
    base: BatchOutput, articles: list[tuple[Entry, ArticleEvents]], stories: dict[str, Story], stage: str,
) -> tuple[BatchOutput, dict[str, Story], list[Alert], dict[str, list[str]]]:
    """File each article in turn against the stories (pure): outputs, changed stories,
    alerts, and the stories each article was filed under."""
    out = BatchOutput(publish=list(base.publish), done=list(base.done))
    changed: dict[str, Story] = {}
    alerts: list[Alert] = []
    filed: dict[str, list[str]] = {}
    for entry, article in articles:
        try:
            result = track_article(article, stories)
        except Exception as exc:  # one bad input must not block the batch
            log.error("tracking failed", extra={"stage": stage, "entry": entry.id}, exc_info=True)
            out.failed[entry.id] = f"{type(exc).__name__}: {exc}"
            continue
        stories.update(result.stories)
        changed.update(result.stories)
        alerts += result.alerts
        filed[article.article_id] = sorted({sid for sid in result.assignments if sid})
        out.publish += [(ALERTS, alert) for alert in result.alerts]
        out.publish.append((OUTCOMES, Outcome(article_id=article.article_id, kind=OutcomeKind.PROCESSED, stage=stage, stories=result.assignments, entry_id=entry.id)))
        out.done.append(entry.id)
    return out, changed, alerts, filed


async def _watch_and_read(pipe: Pipeline, redis: Redis, ids: list[str]) -> dict[str, Story]:
    """WATCH the story keys on the transaction's connection, then read them (one round trip).

    The read may use another connection: the WATCH came first, so any change after it
    aborts the commit.
    """
    if not ids:
        return {}
    keys = [story_key(i) for i in ids]
    await pipe.watch(*keys)
    raw = await redis.mget(keys)
    return {i: Story.model_validate_json(r) for i, r in zip(ids, raw, strict=True) if r is not None}


def _story_writes(stories: Iterable[Story], writes: Writes) -> Writes:
    for story in stories:
        writes.add("SET", story_key(story.story_id), story.model_dump_json(exclude_none=True))
        last_report = max((t.at for t in story.timeline), default=story.status_since).timestamp()
        for term in story_terms(story):
            writes.add("ZADD", index_key(term), "GT", repr(last_report), story.story_id)
    return writes
