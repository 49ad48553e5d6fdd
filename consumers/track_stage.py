"""The track stage: files event mentions under stories, keeps status, raises alerts.

Where stories live and how they are found is ``consumers.story_store``; what a mention
means for a story is ``consumers.story_tracking`` (pure). A batch reads its candidate
stories under WATCH and writes the changed stories, the alerts, the outcomes and the
acks in one fenced commit (so nothing is written for entries another consumer has taken
over): when another worker changed one of those stories meanwhile, the batch is decided
again on fresh state. So two track workers give the same stories as one, and a
re-delivered message (whose effects either all happened or none did) never alerts twice.
A story created by a batch that exists already (archived, or past the candidates read)
is read and filed under.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import WatchError

from consumers.corroboration import copy_outlet, corroborate
from consumers.stage_runtime import BatchOutput, Entry, Rejection, Stage, Writes, decode, injected_faults, lost_entries, queue_commit
from consumers.story_store import ARCHIVE_AFTER, RECENT, Candidates, StoryStore, story_key
from consumers.story_tracking import track_article
from schemas import Alert, ArticleEvents, Outcome, OutcomeKind, Story, TimelineEntry
from schemas.streams import ALERTS, KEY_PREFIX, OUTCOMES
from consumers import metrics

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 20


__all__ = ["TrackStage", "story_key"]


def filed_key(article_id: str) -> str:
    """The stories an article was filed under (what its copies corroborate)."""
    return f"{KEY_PREFIX}:filed:{article_id}"


def copies_key(article_id: str) -> str:
    """Outlets of copies that arrived before their original was tracked."""
    return f"{KEY_PREFIX}:copies:{article_id}"


FILED_TTL = 30 * 86400
"""Longer than any dedup window: a copy is always of an article seen within it."""


class TrackStage(Stage):
    name = "track"

    def __init__(self, redis: Redis, consumer: str = "storywatch", archive_after: timedelta = ARCHIVE_AFTER, candidates_per_term: int = RECENT) -> None:
        super().__init__(redis, consumer)
        self.store = StoryStore(redis, archive_after=archive_after, recent=candidates_per_term)

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
            found = await self.store.candidates(pipe, [a for _, a in originals])
            before = dict(found.stories)
            for _round in range(MAX_ATTEMPTS):
                out, changed, alerts, filed, claims = _decide(base, originals, Candidates(dict(before), {k: list(v) for k, v in found.by_key.items()}), self.name)
                # a "new" story may exist already (archived, or past the candidates read): file under it
                existing = await self.store.read(pipe, [sid for sid in changed if sid not in before])
                if not existing:
                    break
                before |= existing
                for story in existing.values():
                    found.update([story])
            else:
                raise WatchError("stories kept appearing while deciding")
            writes = Writes()
            await self._corroborate(pipe, copies, filed, before, changed, writes)
            out.done += [e.id for e, _ in copies]
            cold = await self._cold(pipe, articles, before, changed)
            heads = self.store.writes(changed.values(), before, claims, writes)
            self.store.archive(cold.values(), writes)
            pipe.multi()
            queue_commit(pipe, self.stream, self.group, self.consumer, out.done, out.writes(writes))
            (reply,) = await pipe.execute()
        lost = lost_entries(reply)
        if not lost:
            self.store.committed(heads)
        return alerts, out, lost

    async def _cold(self, pipe: Pipeline, articles: list[tuple[Entry, ArticleEvents]], known: dict[str, Story], changed: dict[str, Story]) -> dict[str, Story]:
        """Stories gone cold by the batch's newest event time (those it touches excepted)."""
        if not articles:
            return {}
        now = max(a.event_time for _, a in articles)
        cold = await self.store.cold(pipe, now, set(changed))
        return {sid: s for sid, s in cold.items() if sid not in known or known[sid].stamp == s.stamp}

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
        pool = {**stories, **await self.store.read(pipe, missing), **changed}
        stories.update({sid: s for sid, s in pool.items() if sid not in stories and sid not in changed})
        for article_id, names in outlets.items():
            for sid in filed.get(article_id) or known.get(article_id, []):
                if sid in pool and (updated := corroborate(pool[sid], names)) is not None:
                    pool[sid] = changed[sid] = updated
        for article_id, story_ids_of in filed.items():
            writes.add("SET", filed_key(article_id), json.dumps(story_ids_of), "EX", FILED_TTL)
            if article_id in outlets:
                writes.add("DEL", copies_key(article_id))

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
    base: BatchOutput, articles: list[tuple[Entry, ArticleEvents]], found: Candidates, stage: str,
) -> tuple[BatchOutput, dict[str, Story], list[Alert], dict[str, list[str]], dict[str, list[TimelineEntry]]]:
    """File each article in turn against the stories it may meet (pure): outputs, changed
    stories, alerts, the stories each article was filed under and the claims each story got."""
    out = BatchOutput(publish=list(base.publish), done=list(base.done))
    changed: dict[str, Story] = {}
    alerts: list[Alert] = []
    filed: dict[str, list[str]] = {}
    claims: dict[str, list[TimelineEntry]] = {}
    for entry, article in articles:
        try:
            result = track_article(article, found.for_article(article))
        except Exception as exc:  # one bad input must not block the batch
            log.error("tracking failed", extra={"stage": stage, "entry": entry.id}, exc_info=True)
            out.failed[entry.id] = f"{type(exc).__name__}: {exc}"
            continue
        found.update(result.stories.values())
        changed.update(result.stories)
        for sid, claim in result.claims.items():
            claims.setdefault(sid, []).append(claim)
        alerts += result.alerts
        filed[article.article_id] = sorted({sid for sid in result.assignments if sid})
        out.publish += [(ALERTS, alert) for alert in result.alerts]
        out.publish.append((OUTCOMES, Outcome(article_id=article.article_id, kind=OutcomeKind.PROCESSED, stage=stage, stories=result.assignments, entry_id=entry.id)))
        out.done.append(entry.id)
    return out, changed, alerts, filed, claims
