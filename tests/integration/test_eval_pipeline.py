"""The development set through the real pipeline (dedup included), with thresholds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from consumers.evaluation import evaluate
from storywatch.cli import replay, with_copied_claims
from storywatch.settings import Settings

pytestmark = pytest.mark.integration

DEVSET = Path(__file__).resolve().parents[1] / "data" / "devset"


async def test_devset_meets_the_targets_through_redis(redis_url, redis):
    decisions, _stories, alerts, errors = await replay([DEVSET / "articles.jsonl"], Settings(redis_url=redis_url, metrics_port=0), timeout=120)
    assert errors == []
    assert_devset_targets(decisions, alerts)


def assert_devset_targets(decisions: list[dict[str, Any]], alerts: list[Any]) -> None:
    """The devset's figures through a real pipeline (one server or a cluster) meet the targets."""
    report = evaluate(with_copied_claims(decisions), [json.loads(a.model_dump_json()) for a in alerts], DEVSET / "labels.json")
    assert report.status_accuracy >= 0.9
    assert report.bcubed[2] >= 0.9
    assert report.backward_alerts == 0
    assert report.junk_alerts == 0
    assert report.alert_recall >= 0.9 and report.alert_precision >= 0.9
