"""Every message accounted for: re-delivery, bad records, rejection with a clear error."""

from __future__ import annotations

import json

import pytest

from consumers.dedup_stage import DedupStage
from consumers.stage_runtime import Entry, Item, View, ensure_group
from ingest.publisher import publish_articles
from schemas import OutcomeKind, StreamArticle
from consumers.stages import stage
from schemas.streams import ARTICLES, DATA_FIELD

DEDUP_GROUP = stage("dedup").group
from consumers import metrics
from storywatch.settings import Settings
from tests.integration.pipeline_harness import collect, run_pipeline, seed_articles

pytestmark = pytest.mark.integration


async def test_redelivered_message_is_not_a_duplicate(redis_url, redis):
    """A worker decided an entry, then died before forwarding it: the entry is re-delivered."""
    article = seed_articles()[0]
    await ensure_group(redis, ARTICLES, DEDUP_GROUP)
    await publish_articles(redis, [article])
    reply = await redis.xreadgroup(DEDUP_GROUP, "crashed-worker", {ARTICLES: ">"}, count=10)
    entry_id, fields = reply[0][1][0]
    article_in = StreamArticle.model_validate_json(fields[DATA_FIELD.encode()])
    first = await DedupStage(redis).decide([Item(Entry(entry_id.decode(), fields), article_in)], View(redis, None))
    assert first.publish[0][0] == "articles.unique"  # decided (and recorded in the index), never committed

    result = await run_pipeline(redis_url, redis, [[]], Settings(claim_idle_ms=200))
    assert [(o.article_id, o.kind) for o in result.outcomes] == [(article.id, OutcomeKind.PROCESSED)]
    assert (await redis.xpending(ARTICLES, DEDUP_GROUP))["pending"] == 0


async def test_bad_records_are_rejected_by_name_and_the_rest_flows(redis_url, redis):
    good = seed_articles()[:2]
    await ensure_group(redis, ARTICLES, DEDUP_GROUP)
    bad = [
        {DATA_FIELD: "{not json"},
        {DATA_FIELD: json.dumps({"id": "empty-text", "text": "   "})},
        {DATA_FIELD: json.dumps({"id": "no-text"})},
        {DATA_FIELD: json.dumps({"id": "wrong-type", "text": ["a", "list"]})},
        {"other": "field"},
        {DATA_FIELD: json.dumps([1, 2, 3])},
    ]
    bad_ids = [(await redis.xadd(ARTICLES, fields)).decode() for fields in bad]
    before = metrics.REJECTED.labels("dedup")._value.get()
    await publish_articles(redis, good)

    result = await run_pipeline(redis_url, redis, [[]])
    rejected = {o.entry_id: o for o in result.outcomes if o.kind is OutcomeKind.REJECTED}
    assert sorted(rejected) == sorted(bad_ids)
    for entry_id, outcome in rejected.items():
        assert entry_id in (outcome.error or "")
    assert rejected[bad_ids[1]].article_id == "empty-text"
    assert "text" in (rejected[bad_ids[2]].error or "")
    assert metrics.REJECTED.labels("dedup")._value.get() - before == len(bad)
    processed = [o.article_id for o in result.outcomes if o.kind is OutcomeKind.PROCESSED]
    assert sorted(processed) == sorted(a.id for a in good)


async def test_every_article_has_exactly_one_outcome(redis_url, redis):
    articles = seed_articles()
    result = await run_pipeline(redis_url, redis, [articles + articles[:1]])
    kinds = sorted(o.kind.value for o in result.outcomes)
    assert kinds == ["duplicate"] + ["processed"] * 5
    again = await collect(redis)
    assert len(again.outcomes) == 6


async def test_copies_corroborate_their_original_stories_without_claims(redis_url, redis):
    """A copy that overtakes its original (same batch) and one that comes later both end
    up on the original's stories as outlets; neither adds a claim or an alert."""
    original = seed_articles()[0]
    early = original.model_copy(update={"id": "copy-early", "source": "early-outlet.example"})
    late = original.model_copy(update={"id": "copy-late", "source": "late-outlet.example"})
    result = await run_pipeline(redis_url, redis, [[original, early], [late]])

    assert [o.kind for o in result.outcomes if o.article_id.startswith("copy-")] == [OutcomeKind.DUPLICATE] * 2
    filed = [s for s in result.stories if original.id in s.article_ids]
    assert filed
    for story in filed:
        assert story.corroborated_by == ["early-outlet.example", "late-outlet.example"]
        assert all(t.article_id == original.id for t in story.timeline)
    assert all(a.article_id == original.id for a in result.alerts)


async def test_metrics_report_stage_work_index_size_and_lag(redis_url, redis):
    from prometheus_client import REGISTRY

    from storywatch.service import wait_until_idle
    from storywatch.workers import Workers

    def value(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    before = value("storywatch_stage_processed_total", stage="track")
    async with Workers(redis_url, Settings(claim_idle_ms=10_000)) as workers:
        await publish_articles(redis, seed_articles())
        assert await wait_until_idle(redis, timeout=60)
        await workers.refresh_gauges()
        assert value("storywatch_dedup_index_articles") == 5
        assert value("storywatch_group_lag", stream="articles", group="dedup") == 0
        assert value("storywatch_group_pending", stream="events", group="track") == 0
        assert value("storywatch_stream_length", stream="articles") == 5
    assert value("storywatch_stage_processed_total", stage="track") - before == 5
    assert value("storywatch_arrival_to_alert_seconds_count") >= 1
