"""The track stage: files event mentions under stories, keeps status, raises alerts.

Stories live in Redis as JSON under ``sw:story:<id>``, found through sorted sets
``sw:story:ix:<term>`` scored by each story's last report, so a batch reads only the
most recently active stories of each term, not every story an actor ever had. A story
created by a batch that exists already (silent for long) is read and filed under. A
batch reads its candidate stories under WATCH (the stage commits with the runtime's
WATCHED strategy: the changed stories, the alerts, the outcomes and the acks in one
MULTI/EXEC holding the fenced commit, so nothing is written for entries another
consumer has taken over): when another worker changed one of those stories meanwhile,
the batch is decided again on fresh state. So two track workers give the same stories as one, and a re-delivered message
(whose effects either all happened or none did) never alerts twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

from consumers import metrics
from consumers.corroboration import copy_outlet, corroborate
from consumers.stage_runtime import Contention, Decision, Item, StageLogic, View, Writes
from consumers.story_tracking import candidate_terms, story_terms, track_article
from schemas import Alert, ArticleEvents, Outcome, OutcomeKind, Story
from schemas.streams import ALERTS, OUTCOMES, copies_key, filed_key, story_index_key, story_key

MAX_ROUNDS = 20
"""Rounds of filing a batch may take while stories it would create turn out to exist."""

FILED_TTL = 30 * 86400
"""Longer than any dedup window: a copy is always of an article seen within it."""

DEFAULT_CANDIDATES = 200


class TrackStage(StageLogic[ArticleEvents]):
    def __init__(self, candidates_per_term: int = DEFAULT_CANDIDATES) -> None:
        self.candidates_per_term = candidates_per_term

    def owes_outcome(self, message: ArticleEvents) -> bool:
        """A copy's article got its outcome (``duplicate``) at dedup already."""
        return message.duplicate_of is None

    async def decide(self, items: list[Item[ArticleEvents]], view: View) -> Decision:
        originals = [i for i in items if i.message.duplicate_of is None]
        copies = [i for i in items if i.message.duplicate_of is not None]
        candidates = await self._load_candidates(view, [i.message for i in originals])
        for _round in range(MAX_ROUNDS):
            out, changed, alerts, filed = _decide(originals, dict(candidates))
            # a "new" story may exist already, past the candidates read: file under it
            existing = await _watch_and_read(view, [sid for sid in changed if sid not in candidates])
            if not existing:
                break
            candidates |= existing
        else:
            raise Contention("track: stories kept appearing while deciding")
        await self._corroborate(view, copies, filed, candidates, changed, out.writes)
        out.done += [i.entry.id for i in copies]
        _story_writes(changed.values(), out.writes)
        out.observe.append(lambda: _observe(alerts))
        return out

    async def _corroborate(
        self, view: View, copies: list[Item[ArticleEvents]], filed: dict[str, list[str]],
        stories: dict[str, Story], changed: dict[str, Story], writes: Writes,
    ) -> None:
        """Record copies' outlets on their originals' stories.

        A copy can overtake its original (it skips extraction), so an original not yet
        tracked gets the outlet parked under ``sw:copies:<original>``, and the original
        picks it up when it is tracked. Both keys are WATCHed: neither side can miss the other.
        """
        targets = sorted({i.message.duplicate_of for i in copies if i.message.duplicate_of not in filed})  # type: ignore[misc]
        parked_keys = [copies_key(i) for i in filed]
        if targets or parked_keys:
            await view.watch(*(filed_key(i) for i in targets), *parked_keys)
        async with view.redis.pipeline(transaction=False) as reads:
            for target in targets:
                reads.get(filed_key(target))
            for key in parked_keys:
                reads.hkeys(key)
            replies = await reads.execute()
        known = {t: json.loads(r) for t, r in zip(targets, replies[: len(targets)], strict=True) if r is not None}
        outlets: dict[str, list[str]] = {i: [o.decode() for o in r] for i, r in zip(filed, replies[len(targets):], strict=True) if r}
        for copy in (i.message for i in copies):
            original = copy.duplicate_of or ""
            if original in filed or original in known:
                outlets.setdefault(original, []).append(copy_outlet(copy))
            else:
                writes.add("HSET", copies_key(original), copy_outlet(copy), "1")
                writes.add("EXPIRE", copies_key(original), FILED_TTL)
        story_ids = {sid for i in outlets for sid in filed.get(i) or known.get(i, [])}
        missing = [sid for sid in story_ids if sid not in changed and sid not in stories]
        pool = {**stories, **await _watch_and_read(view, sorted(missing)), **changed}
        for article_id, names in outlets.items():
            for sid in filed.get(article_id) or known.get(article_id, []):
                if sid in pool and (updated := corroborate(pool[sid], names)) is not None:
                    pool[sid] = changed[sid] = updated
        for article_id, story_ids_of in filed.items():
            writes.add("SET", filed_key(article_id), json.dumps(story_ids_of), "EX", FILED_TTL)
            if article_id in outlets:
                writes.add("DEL", copies_key(article_id))

    async def _load_candidates(self, view: View, articles: list[ArticleEvents]) -> dict[str, Story]:
        """WATCH the index sets, then read the most recently active stories they name.

        Each index term yields at most ``candidates_per_term`` stories (the latest reported),
        so a prolific actor does not make every batch read every story it ever had.
        """
        terms = sorted({t for a in articles for m in a.events for t in candidate_terms(m)})
        if not terms:
            return {}
        keys = [story_index_key(t) for t in terms]
        await view.watch(*keys)
        async with view.redis.pipeline(transaction=False) as reads:
            for key in keys:
                reads.zrange(key, 0, self.candidates_per_term - 1, desc=True)
            ids = sorted({x.decode() for found in await reads.execute() for x in found})
        return await _watch_and_read(view, ids)


def _observe(alerts: list[Alert]) -> None:
    now = datetime.now(UTC)
    for alert in alerts:
        transition = f"{alert.from_status or 'none'}->{alert.to_status}"
        metrics.ALERTS.labels(alert.kind.value, transition).inc()
        if alert.received_at is not None:
            metrics.ALERT_LATENCY.observe(max(0.0, (now - alert.received_at).total_seconds()))


def _decide(
    items: list[Item[ArticleEvents]], stories: dict[str, Story],
) -> tuple[Decision, dict[str, Story], list[Alert], dict[str, list[str]]]:
    """File each article in turn against the stories (pure): outputs, changed stories,
    alerts, and the stories each article was filed under."""
    out = Decision()
    changed: dict[str, Story] = {}
    alerts: list[Alert] = []
    filed: dict[str, list[str]] = {}
    for entry, article in ((i.entry, i.message) for i in items):
        try:
            result = track_article(article, stories)
        except Exception as exc:  # one bad input must not block the batch
            out.failed[entry.id] = f"{type(exc).__name__}: {exc}"
            continue
        stories.update(result.stories)
        changed.update(result.stories)
        alerts += result.alerts
        filed[article.article_id] = sorted({sid for sid in result.assignments if sid})
        out.publish += [(ALERTS, alert) for alert in result.alerts]
        out.publish.append((OUTCOMES, Outcome(article_id=article.article_id, kind=OutcomeKind.PROCESSED, stage="track", stories=result.assignments, entry_id=entry.id)))
        out.done.append(entry.id)
    return out, changed, alerts, filed


async def _watch_and_read(view: View, ids: list[str]) -> dict[str, Story]:
    """WATCH the story keys on the transaction's connection, then read them (one round trip).

    The read may use another connection: the WATCH came first, so any change after it
    aborts the commit.
    """
    if not ids:
        return {}
    keys = [story_key(i) for i in ids]
    await view.watch(*keys)
    raw = await view.redis.mget(keys)
    return {i: Story.model_validate_json(r) for i, r in zip(ids, raw, strict=True) if r is not None}


def _story_writes(stories: Iterable[Story], writes: Writes) -> None:
    for story in stories:
        writes.add("SET", story_key(story.story_id), story.model_dump_json(exclude_none=True))
        last_report = max((t.at for t in story.timeline), default=story.status_since).timestamp()
        for term in story_terms(story):
            writes.add("ZADD", story_index_key(term), "GT", repr(last_report), story.story_id)
