"""Replaying the seeds through the file reader into the ``articles`` stream."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.publisher import publish_articles
from ingest.sources import by_publication, read_inputs
from schemas import Article
from schemas.streams import ARTICLES, DATA_FIELD

pytestmark = pytest.mark.integration

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


async def test_seed_replay(redis) -> None:
    records = list(read_inputs([SEEDS]))
    assert all(isinstance(r, Article) for r in records)
    await publish_articles(redis, by_publication(records))  # type: ignore[arg-type]
    published = [Article.model_validate(json.loads(f[DATA_FIELD.encode()])) for _, f in await redis.xrange(ARTICLES)]
    assert [(a.id, a.published_at) for a in published] == [
        ("009aa3959fa295a6", datetime(2025, 10, 16, tzinfo=UTC)),
        ("64119b435b1aeb5b", datetime(2025, 10, 20, 17, 28, 13, tzinfo=UTC)),
        ("c0c7c25cd1612e28", datetime(2025, 10, 21, tzinfo=UTC)),
        ("fddfa136899eb72f", datetime(2025, 10, 21, tzinfo=UTC)),
        ("468bb61556176f4d", None),
    ]
    assert [a.date_from_arrival for a in published] == [False] * 4 + [True]
    undated = published[-1]
    assert undated.received_at is not None and undated.event_time == undated.received_at
    teaser_words = ("Abu Dhabi", "Angriffspause", "Waffenruhe bis Sonntag", "weiterlesen", "2026")
    assert not any(w in a.text for a in published for w in teaser_words)
