"""The real-news corpus through the real pipeline: figures on the test half may not fall.

The floors are the figures measured when they were set (status accuracy 0.34, raised to
0.38 by the status rules for real prose; B-cubed F1 0.672, final status right 15 of 37,
alert precision 0.24, raised to 0.44 by announcing on strong evidence only; one backward
alert, three alerts from junk lines; raised again at status 0.42, B-cubed 0.704, final
status 19 of 37, alert precision 0.47, no backward alert, one from a junk line; raised again
at status 0.46, B-cubed 0.708, final status 19 of 37, alert precision 0.45; and at status 0.47,
B-cubed 0.719, final status 18 of 37, alert precision 0.42). The test half then grew from
37 to 66 stories (a third collection round, gathered and labelled by someone who wrote no
rules): on it the same code scored status 0.43, B-cubed 0.724, final status 27 of 66, alert
precision 0.385 with one backward alert, and the floors were set anew from those figures;
raised again at status 0.452, B-cubed 0.731, final status 30 of 66, alert precision 0.398;
at status 0.455, B-cubed 0.732, final status 32 of 66, alert precision 0.417, no backward
alert and one from a junk line; and at status 0.455, B-cubed 0.730, final status 33 of 66,
alert precision 0.426. The test half then grew from 66 to 100 stories (a fifth collection
round, gathered and labelled by someone who wrote no rules): on it the code of the time
scored status 0.422 (189 of 448), B-cubed 0.721, final status 43 of 100, alert precision
0.422 with one backward alert and one from a junk line, and the floors were set anew from
those figures (the next round's rules, merged before the floors were set, left them at status 0.422,
B-cubed 0.720, final status 43 of 100, alert precision 0.422).
Each floor is the figure less a small margin, so a change that makes the service worse on
news nobody here wrote fails CI. The targets the project
aims for (status accuracy and B-cubed F1 >= 0.85, final status right for >= 90% of stories,
alert precision >= 0.9) are in the README, beside the figures reached.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consumers.evaluation import article_languages, evaluate, format_report, load_articles
from storywatch.cli import EVAL_EXTRACT_BUDGET_MS, replay, with_copied_claims
from storywatch.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CORPUS = Path(__file__).resolve().parents[1] / "data" / "realnews"

FLOORS = {
    "status_accuracy": 0.41,
    "bcubed_f1": 0.70,
    "finals_right": 0.41,
    "alert_precision": 0.40,
}
CEILINGS = {"backward_alerts": 1, "junk_alerts": 2}
"""Alerts that move a story backwards or come from junk lines: the target is none; these
are the counts measured when the floors were set, so they may not grow (backward alerts
2 -> 0 once a weak plan no longer undoes a fresh delay: ceiling 1; 0 since the test half
has stayed at none through the status, identity and recall rules of the next round; 1
since the test half's third collection round, whose new stories show one; 0 again, and
junk lines 2 -> 1, after the genre rules of the round that followed; 1 since the fifth
collection round, whose new stories show one)."""


async def evaluate_half(half: str, settings: Settings):
    """The eval report of one half replayed through workers on ``settings``' server."""
    report, _decisions, _alerts, errors = await replay_half(half, settings)
    return report, errors


async def replay_half(half: str, settings: Settings):
    """One half replayed through workers on ``settings``' server: its eval report, the
    decisions, the alerts and the input errors."""
    folder = CORPUS / half
    settings = settings.model_copy(update={"extract_budget_ms": EVAL_EXTRACT_BUDGET_MS})
    decisions, stories, alerts, errors = await replay([folder / "articles.jsonl"], settings, timeout=300)
    statuses = {story.story_id: story.status.value for story in stories}
    report = evaluate(
        with_copied_claims(decisions),
        [json.loads(a.model_dump_json()) for a in alerts],
        folder / "labels.json",
        article_languages(load_articles(folder / "articles.jsonl")),
        statuses,
    )
    return report, decisions, alerts, errors


def test_the_corpus_is_what_its_readme_says():
    for half in ("dev", "test"):
        labels = json.loads((CORPUS / half / "labels.json").read_text(encoding="utf-8"))
        articles = load_articles(CORPUS / half / "articles.jsonl")
        assert {a.id for a in articles} == set(labels["articles"]), half
        assert {a.language for a in articles} == {"de", "en"}
        assert all(a.published_at and a.url and a.source for a in articles)
        assert all(labels["stories"][e["story"]]["split"] == half for meta in labels["articles"].values() for e in meta.get("events", []))
    dev = json.loads((CORPUS / "dev" / "labels.json").read_text(encoding="utf-8"))["stories"]
    test = json.loads((CORPUS / "test" / "labels.json").read_text(encoding="utf-8"))["stories"]
    assert not set(dev) & set(test), "a story in both halves"


async def test_the_test_half_holds_its_floors(redis_url, redis):
    report, errors = await evaluate_half("test", Settings(redis_url=redis_url, metrics_port=0))
    assert errors == []
    # The held-out half is shown in aggregate only (as `storywatch eval` shows it): a failure
    # prints neither its per-article misses nor the report's per-story lists.
    text = format_report(report, misses=False)
    status, f1, finals = report.status_accuracy, report.bcubed[2], report.finals_right / len(report.finals)
    precision, backward, junk, dedup = report.alert_precision, report.backward_alerts, report.junk_alerts, report.dedup_precision
    assert status >= FLOORS["status_accuracy"], text
    assert f1 >= FLOORS["bcubed_f1"], text
    assert finals >= FLOORS["finals_right"], text
    assert precision >= FLOORS["alert_precision"], text
    assert backward <= CEILINGS["backward_alerts"], text
    assert junk <= CEILINGS["junk_alerts"], text
    assert dedup == 1.0, text
