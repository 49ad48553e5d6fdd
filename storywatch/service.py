"""Orchestration shared by the CLI commands: where Redis is, when work is done, results."""

from __future__ import annotations

import asyncio
import itertools
import json
import tempfile
import time
from datetime import UTC, datetime
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from schemas import Alert, Article, ArticleEvents, Outcome, OutcomeKind, Story
from consumers.stages import STAGES
from consumers.story_store import load_all
from schemas.partitions import SINGLE, Partitioning
from schemas.outcomes import TERMINAL
from schemas.streams import ALERTS, ARTICLES, DATA_FIELD, EVENTS, OUTCOME_COUNTS, OUTCOMES, REPLAYS, outbox_key
from storywatch.settings import Settings


@asynccontextmanager
async def redis_endpoint(settings: Settings, fresh: bool = False) -> AsyncIterator[tuple[str, bool]]:
    """The configured Redis URL, or an embedded server: (url, embedded?).

    ``fresh`` starts the embedded server on an empty temporary directory (replay);
    otherwise it keeps its data in ``settings.data_dir`` with AOF on (fsynced on every
    write with ``settings.durable``).
    """
    if url := settings.redis_url_value():
        yield url, False
        return
    from storywatch.embedded import EmbeddedServer  # the server binary is not in worker images

    if fresh:
        with tempfile.TemporaryDirectory(prefix="storywatch-") as tmp, EmbeddedServer(Path(tmp), persist=False) as server:
            yield server.url, True
        return
    with EmbeddedServer(settings.data_dir.resolve(), persist=True, fsync_always=settings.durable) as server:
        yield server.url, True


async def groups_idle(redis: Redis, partitioning: Partitioning = SINGLE) -> bool:
    """True when every stage ``replay`` waits for has read its whole stream (in every
    partition) and acknowledged all of it."""
    for spec, p in ((s, p) for s in STAGES if s.replay_waits for p in range(partitioning.count)):
        stream = partitioning.key(spec.input, p)
        if not partitioning.single and await redis.hlen(partitioning.key(outbox_key(spec.name), p)):
            return False  # an output still to be relayed to another partition
        if not await redis.exists(stream):
            continue
        for info in await redis.xinfo_groups(stream):
            name = info["name"].decode() if isinstance(info["name"], bytes) else info["name"]
            if name == spec.group and (info["pending"] or info.get("lag")):
                return False
    return True


async def wait_until_idle(redis: Redis, timeout: float = 300.0, settle: float = 0.05, partitioning: Partitioning = SINGLE) -> bool:
    """Wait until all stages are idle twice in a row (work may be in flight between stages)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await groups_idle(redis, partitioning):
            await asyncio.sleep(settle)
            if await groups_idle(redis, partitioning):
                return True
        await asyncio.sleep(settle)
    return False


async def read_stream(redis: Redis, stream: str, model: type[Any], start: str = "-") -> list[tuple[str, Any]]:
    """Every entry of a stream from ``start`` as (entry id, model), in chunks."""
    out: list[tuple[str, Any]] = []
    cursor = start
    while True:
        chunk = await redis.xrange(stream, min=cursor, count=1000)
        if not chunk:
            return out
        for entry_id, fields in chunk:
            out.append((entry_id.decode(), model.model_validate_json(fields[DATA_FIELD.encode()])))
        cursor = "(" + chunk[-1][0].decode()


async def read_streams(redis: Redis, stream: str, model: type[Any], partitioning: Partitioning = SINGLE) -> list[tuple[str, Any]]:
    """Every entry of a stream in every partition, ordered by entry id (arrival time)."""
    if partitioning.single:
        return await read_stream(redis, stream, model)
    entries = [e for key in partitioning.keys(stream) for e in await read_stream(redis, key, model)]
    return sorted(entries, key=lambda e: _entry_key(e[0]))


async def load_stories(redis: Redis, partitioning: Partitioning = SINGLE) -> list[Story]:
    """Every story, hot and archived, with its whole timeline."""
    return await load_all(redis, partitioning)


async def outcome_counts(redis: Redis, partitioning: Partitioning = SINGLE) -> dict[str, int]:
    counts = {k.value: 0 for k in TERMINAL}
    for key in partitioning.keys(OUTCOME_COUNTS):
        for k, v in (await redis.hgetall(key)).items():
            counts[k.decode()] = counts.get(k.decode(), 0) + int(v)
    return counts


async def published_count(redis: Redis, partitioning: Partitioning = SINGLE) -> int:
    """Articles ever published: entries added to ``articles`` (trimming does not lower it)
    minus the dead letters replayed onto it (those are the same articles again)."""
    total = 0
    for p in range(partitioning.count):
        stream = partitioning.key(ARTICLES, p)
        try:
            info = await redis.xinfo_stream(stream)
        except ResponseError:  # no stream yet
            continue
        replayed = await redis.hget(partitioning.key(REPLAYS, p), stream)
        total += int(info.get("entries-added", info["length"])) - int(replayed or 0)
    return total


async def check_receipts(redis: Redis, files: list[Path], partitioning: Partitioning = SINGLE) -> dict[str, Any]:
    """What producers were told (``publish --receipt`` files) against what ``articles`` holds
    (each receipt looked up on its article's partition's stream, as ``publish`` chose it).

    A receipt's entry is *held* when it is on the stream, *trimmed* when its id lies below
    the stream's first entry (trimming removes only processed entries), else *missing*:
    the server acknowledged it and lost it (a power loss inside the AOF's fsync window).
    """
    told = [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    streams = [partitioning.key(ARTICLES, partitioning.of(receipt.get("id") or "")) for receipt in told]
    first_ids: dict[str, tuple[int, int] | None] = {}
    for stream in dict.fromkeys(streams):
        first = await redis.xrange(stream, count=1)
        first_ids[stream] = _entry_key(first[0][0].decode()) if first else None
    found: list[Any] = []
    for start in range(0, len(told), 1000):
        async with redis.pipeline(transaction=False) as pipe:  # one key per command: a cluster routes each
            for receipt, stream in zip(told[start:start + 1000], streams[start:start + 1000], strict=True):
                pipe.xrange(stream, min=receipt["entry_id"], max=receipt["entry_id"], count=1)
            found += await pipe.execute()
    held = trimmed = 0
    missing: list[dict[str, Any]] = []
    for receipt, stream, entries in zip(told, streams, found, strict=True):
        first_id = first_ids[stream]
        if entries:
            held += 1
        elif first_id is not None and _entry_key(receipt["entry_id"]) < first_id:
            trimmed += 1
        else:
            missing.append(receipt)
    return {"told": len(told), "held": held, "trimmed": trimmed, "missing": missing}


def _entry_key(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


def event_record(event: Any, story_id: str | None) -> dict[str, Any]:
    return {
        "story_id": story_id,
        "type": event.type,
        "status": event.status.value,
        "actors": event.actors,
        "location": event.location,
        "event_date": event.event_date.isoformat() if event.event_date else None,
        "evidence": event.evidence,
        "attributed_to": event.attributed_to,
        "background": event.background,
        "edition": event.edition,
    }


async def collect_decisions(
    redis: Redis, published: list[tuple[Article, str]], read_errors: list[str], partitioning: Partitioning = SINGLE,
) -> list[dict[str, Any]]:
    """One decision per input record: duplicate_of, events with story ids, or an error."""
    outcomes = article_outcomes([o for _, o in await read_streams(redis, OUTCOMES, Outcome, partitioning)])
    # entry ids are per stream: with partitions, two articles can share one
    by_entry = {_entry_of(o.article_id, o.entry_id, partitioning): o for o in outcomes if o.stage == "dedup" and o.entry_id}
    processed = {o.article_id: o for o in outcomes if o.kind is OutcomeKind.PROCESSED}
    failed = {o.article_id: o for o in outcomes if o.kind in (OutcomeKind.REJECTED, OutcomeKind.DEAD_LETTERED)}
    events = {e.article_id: e for _, e in await read_streams(redis, EVENTS, ArticleEvents, partitioning) if e.duplicate_of is None}
    decisions: list[dict[str, Any]] = []
    for article, entry_id in published:
        record: dict[str, Any] = {"article_id": article.id, **_dating(article, entry_id), "duplicate_of": None, "events": [], "error": None}
        early = by_entry.get(_entry_of(article.id, entry_id, partitioning))
        if early is not None and early.kind is OutcomeKind.DUPLICATE:
            record |= {"duplicate_of": early.duplicate_of, "duplicate_kind": early.duplicate_kind, "similarity": early.similarity}
        elif early is not None and early.kind is not OutcomeKind.PROCESSED:
            record["error"] = early.error
        elif (done := processed.get(article.id)) is not None:
            extracted = events.get(article.id)
            mentions = extracted.events if extracted else []
            record["events"] = [event_record(m, done.stories[i] if i < len(done.stories) else None) for i, m in enumerate(mentions)]
        elif (bad := failed.get(article.id)) is not None:
            record["error"] = bad.error
        else:
            record["error"] = "no outcome recorded (still in flight?)"
        decisions.append(record)
    decisions += [{"article_id": None, "duplicate_of": None, "events": [], "error": err} for err in read_errors]
    return decisions


def article_outcomes(outcomes: list[Outcome]) -> list[Outcome]:
    """One outcome per article (in the order read): the ``filed`` records of an article
    tracked in several partitions are merged into its outcome (their stories filled in)."""
    merged = [o for o in outcomes if o.kind is not OutcomeKind.FILED]
    processed = {o.article_id: i for i, o in enumerate(merged) if o.kind is OutcomeKind.PROCESSED}
    for part in (o for o in outcomes if o.kind is OutcomeKind.FILED and o.article_id in processed):
        at = processed[part.article_id]
        stories = [a if a is not None else b for a, b in itertools.zip_longest(merged[at].stories, part.stories)]
        merged[at] = merged[at].model_copy(update={"stories": stories})
    return merged


def _entry_of(article_id: str | None, entry_id: str, partitioning: Partitioning) -> object:
    """What identifies an entry of ``articles``: its id, and with partitions also the
    article (which names the partition)."""
    return entry_id if partitioning.single else (article_id, entry_id)


def _dating(article: Article, entry_id: str) -> dict[str, Any]:
    """When the article was published, when it arrived (its stream entry's time), and
    whether it is ordered by its arrival because it carries no date."""
    arrived = article.received_at or datetime.fromtimestamp(int(entry_id.split("-")[0]) / 1000, UTC)
    return {
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "received_at": arrived.isoformat(),
        "date_from_arrival": article.published_at is None,
    }


def story_record(story: Story) -> dict[str, Any]:
    return {
        "story_id": story.story_id,
        "title": story.title,
        "type": story.type,
        "actors": story.actors,
        "location": story.location,
        "event_date": story.event_date.isoformat() if story.event_date else None,
        "parent_id": story.parent_id,
        "status": story.status.value,
        "sources": story.sources,
        "corroborated_by": story.corroborated_by,
        "timeline": [{"status": t.status.value, "at": t.at.isoformat(), "article_id": t.article_id, "source": t.source} for t in story.timeline],
    }


def write_replay_output(out: Path, decisions: list[dict[str, Any]], stories: list[Story], alerts: list[Alert]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "decisions.jsonl").open("w") as fh:
        fh.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in decisions)
    (out / "stories.json").write_text(json.dumps([story_record(s) for s in stories], ensure_ascii=False, indent=2) + "\n")
    with (out / "alerts.jsonl").open("w") as fh:
        fh.writelines(a.model_dump_json() + "\n" for a in alerts)


async def read_alerts(redis: Redis, start: str = "-", partitioning: Partitioning = SINGLE) -> list[tuple[str, Alert]]:
    """Alerts in arrival order; with partitions, of every partition (``start`` then
    applies to each partition's stream)."""
    if partitioning.single:
        return await read_stream(redis, ALERTS, Alert, start)
    entries = [e for key in partitioning.keys(ALERTS) for e in await read_stream(redis, key, Alert, start)]
    return sorted(entries, key=lambda e: _entry_key(e[0]))
