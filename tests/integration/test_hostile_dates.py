"""Publication dates no article can have: far future, before 1990, no UTC instant at all.

An article dated 9999-12-31 flipped its story to cancelled and hid every later real
report; 9999-12-31T23:59:59-12:00 was accepted and then dead-lettered with OverflowError.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from ingest.metrics import DATES_REPLACED
from schemas import Article, OutcomeKind
from schemas.articles import plausible_publication
from schemas.streams import ARTICLES, DATA_FIELD
from tests.integration.pipeline_harness import run_pipeline
from tests.integration.test_ingest_http import serving

pytestmark = pytest.mark.integration

NOW = datetime(2025, 10, 21, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("claimed", "reason"),
    [
        (datetime(9999, 12, 31, tzinfo=UTC), "future"),
        (NOW + timedelta(hours=1), "future"),
        (datetime(1970, 1, 1, tzinfo=UTC), "before_1990"),
        (datetime.fromisoformat("9999-12-31T23:59:59-12:00"), "out_of_range"),
        (datetime.fromisoformat("0001-01-01T00:00:00+12:00"), "out_of_range"),
    ],
)
def test_implausible_dates_give_way_to_the_arrival(claimed: datetime, reason: str) -> None:
    assert plausible_publication(claimed, NOW) == (NOW, reason)


def test_plausible_dates_stay() -> None:
    for fine in (NOW, NOW + timedelta(minutes=10), NOW - timedelta(days=3000), datetime(1990, 1, 1, tzinfo=UTC)):
        assert plausible_publication(fine, NOW) == (fine, None)


async def test_posted_hostile_dates_are_accepted_replaced_noted_and_counted(redis) -> None:
    from ingest.http_intake import make_intake_app

    claims = {"far": "9999-12-31T00:00:00Z", "west": "9999-12-31T23:59:59-12:00", "epoch": "1970-01-01T00:00:00Z",
              "real": "2025-10-21T10:00:00+02:00"}
    before = {r: DATES_REPLACED.labels(r)._value.get() for r in ("future", "before_1990", "out_of_range")}
    async with serving(make_intake_app(lambda: redis)) as http:
        response = await http.post("/articles", json=[{"id": k, "text": "Das Treffen wurde abgesagt.", "published_at": v} for k, v in claims.items()])
    assert response.status_code == 202, response.text
    stored = {a.id: a for a in (Article.model_validate_json(f[DATA_FIELD.encode()]) for _, f in await redis.xrange(ARTICLES))}
    for key in ("far", "west", "epoch"):
        article = stored[key]
        assert article.published_at == article.received_at and article.date_from_arrival
        assert datetime.fromisoformat(article.published_at_claimed) == datetime.fromisoformat(claims[key].replace("Z", "+00:00"))
    assert stored["real"].published_at == datetime.fromisoformat(claims["real"]) and stored["real"].published_at_claimed is None
    after = {r: DATES_REPLACED.labels(r)._value.get() for r in before}
    assert {r: after[r] - before[r] for r in before} == {"future": 1, "before_1990": 1, "out_of_range": 1}


async def test_a_story_is_not_hijacked_by_a_far_future_report(redis_url: str, redis) -> None:
    now = datetime.now(UTC)
    planned = Article(id="d-planned", text="Das Treffen von Merz und Macron in Paris ist geplant.", published_at=now - timedelta(hours=2), language="de")
    hostile = Article(id="d-hostile", text="Das Treffen von Merz und Macron in Paris wurde abgesagt.", published_at=datetime(9999, 12, 31, tzinfo=UTC), language="de")
    raw = {"id": "d-raw", "text": "Das Treffen von Merz und Macron in Paris wurde abgesagt. Die Absage kam überraschend.",
           "published_at": "9999-12-31T23:59:59-12:00", "received_at": now.isoformat(), "language": "de"}
    await redis.xadd(ARTICLES, {DATA_FIELD: json.dumps(raw)})  # straight onto the stream, past any producer
    first = await run_pipeline(redis_url, redis, [[planned, hostile]])
    later = Article(id="d-later", text="Das Treffen von Merz und Macron in Paris hat am Montag stattgefunden.", source="Other",
                    published_at=datetime.now(UTC), language="de")
    result = await run_pipeline(redis_url, redis, [[later]])

    kinds = {o.article_id: o.kind for o in result.outcomes}
    assert kinds == {"d-planned": OutcomeKind.PROCESSED, "d-hostile": OutcomeKind.PROCESSED, "d-raw": OutcomeKind.PROCESSED,
                     "d-later": OutcomeKind.PROCESSED}, [(o.article_id, o.kind, o.error) for o in result.outcomes]
    story = result.story("Merz", "Macron", location="Paris")
    assert story.status.value == "took_place"
    assert ("cancelled", "took_place") in result.transitions(story)
    assert len(first.alerts) < len(result.alerts)
