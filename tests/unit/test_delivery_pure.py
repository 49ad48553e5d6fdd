"""Subscription filters, webhook signatures and bodies, the retry schedule: pure functions."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime

import pytest

from consumers.delivery.deliver import plan
from consumers.delivery.filters import FilterError, filter_from_pairs, matches
from consumers.delivery.schedule import RetryPolicy, retryable
from consumers.delivery.webhooks import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, build_request, sign, verify
from schemas import Alert
from schemas.subscriptions import AlertFilter, Subscription, TargetFormat


def alert(**over: object) -> Alert:
    base: dict[str, object] = dict(
        alert_id="al-1", kind="status_changed", story_id="st-1", story_title="Summit: Putin, Trump (Budapest)",
        event_type="summit", actors=["Vladimir Putin", "Trump"], location="Budapest", country="Hungary", language="de",
        from_status="planned", to_status="cancelled", evidence="Das Treffen wurde abgesagt", article_id="a1",
        sources_count=2, confidence=0.9, event_time=datetime(2025, 10, 22, 10, tzinfo=UTC),
    )
    return Alert.model_validate(base | over)


def sub(fmt: TargetFormat = TargetFormat.JSON, **flt: object) -> Subscription:
    return Subscription(id="sub-x", url="http://127.0.0.1:1/hook", format=fmt, filter=AlertFilter.model_validate(flt),
                        secret="s3cret-s3cret-s3cret", created_at=datetime(2025, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(("flt", "expected"), [
    ({}, True),
    ({"actors": ["putin"]}, True),
    ({"actors": ["Vladimir"]}, True),
    ({"actors": ["Put"]}, False),
    ({"actors": ["Xi", "Trump"]}, True),
    ({"actors": ["Putin"], "event_types": ["match"]}, False),
    ({"event_types": ["SUMMIT"]}, True),
    ({"statuses": ["cancelled"]}, True),
    ({"statuses": ["planned"]}, False),
    ({"transitions": ["planned->cancelled"]}, True),
    ({"transitions": ["*->cancelled"]}, True),
    ({"transitions": ["new->cancelled"]}, False),
    ({"transitions": ["postponed->*"]}, False),
    ({"kinds": ["story_new"]}, False),
    ({"countries": ["hungary"]}, True),
    ({"countries": ["Germany"]}, False),
    ({"places": ["Budapest"]}, True),
    ({"languages": ["en"]}, False),
    ({"languages": ["de", "en"]}, True),
    ({"story_ids": ["st-1"]}, True),
    ({"story_ids": ["st-2"]}, False),
    ({"min_sources": 3}, False),
    ({"min_sources": 2, "min_confidence": 0.9}, True),
    ({"min_confidence": 0.95}, False),
])
def test_filter(flt: dict[str, object], expected: bool) -> None:
    assert matches(AlertFilter.model_validate(flt), alert()) is expected


def test_a_new_story_is_the_transition_from_new() -> None:
    new = alert(kind="story_new", from_status=None, to_status="planned")
    assert matches(AlertFilter(transitions=["new->planned"]), new)
    assert not matches(AlertFilter(transitions=["planned->*"]), new)


def test_filter_from_query_pairs() -> None:
    flt = filter_from_pairs([("actor", "Putin,Trump"), ("actor", "Xi"), ("status", "cancelled"), ("min_sources", "2"), ("since", "0-0")], ignore=("since",))
    assert flt.actors == ["Putin", "Trump", "Xi"] and flt.statuses == ["cancelled"] and flt.min_sources == 2


@pytest.mark.parametrize("pairs", [[("colour", "red")], [("status", "maybe")], [("transition", "planned-cancelled")], [("min_sources", "many")]])
def test_bad_filter_parameters_are_named(pairs: list[tuple[str, str]]) -> None:
    with pytest.raises(FilterError, match=pairs[0][0].split("_")[0][:5]):
        filter_from_pairs(pairs)


def test_signature_verifies_and_detects_tampering_and_age() -> None:
    body = b'{"a":1}'
    header = sign("k" * 20, 1_700_000_000, body)
    assert verify("k" * 20, header, body, now=1_700_000_100)
    assert not verify("k" * 20, header, body + b" ", now=1_700_000_100)
    assert not verify("x" * 20, header, body, now=1_700_000_100)
    assert not verify("k" * 20, header, body, now=1_700_001_000)
    assert not verify("k" * 20, "garbage", body, now=1_700_000_000)


def test_json_request_is_signed_with_the_alert_id_as_idempotency_key() -> None:
    req = build_request(sub(), alert(), 1_700_000_000, attempt=2)
    assert req.headers[IDEMPOTENCY_HEADER] == "al-1" and req.headers["Storywatch-Attempt"] == "2"
    assert verify("s3cret-s3cret-s3cret", req.headers[SIGNATURE_HEADER], req.body, now=1_700_000_000)
    body = json.loads(req.body)
    assert body["alert"]["alert_id"] == "al-1" and body["subscription_id"] == "sub-x"


def test_slack_and_ntfy_bodies() -> None:
    slack = json.loads(build_request(sub(TargetFormat.SLACK), alert(url="https://x.test/a"), 1, 1).body)
    assert "planned -> cancelled" in slack["text"] and "Das Treffen wurde abgesagt" in slack["text"] and "https://x.test/a" in slack["text"]
    ntfy = build_request(sub(TargetFormat.NTFY), alert(story_title="Gipfel in Genf \u2013 Zürich"), 1, 1)
    assert ntfy.headers["Tags"] == "cancelled" and ntfy.headers["Title"].encode("latin-1")
    assert ntfy.body.decode().startswith("Gipfel in Genf")


def test_retry_delays_grow_with_jitter_and_cap() -> None:
    policy = RetryPolicy(base_s=2, max_interval_s=60, give_up_after_s=3600)
    rng = random.Random(7)
    for attempts, ceiling in ((1, 2), (2, 4), (3, 8), (10, 60), (100, 60)):
        delays = [policy.delay(attempts, rng) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1
    assert policy.gives_up(0, 3600) and not policy.gives_up(0, 3599)


@pytest.mark.parametrize(("status", "again"), [(None, True), (500, True), (503, True), (429, True), (408, True), (400, False), (404, False), (410, False), (301, False)])
def test_what_is_retried(status: int | None, again: bool) -> None:
    assert retryable(status) is again


def test_plan_acknowledges_everything_and_schedules_each_matching_alert_once() -> None:
    entries = [("1-0", alert()), ("2-0", alert()), ("3-0", alert(alert_id="al-2", actors=["Xi"]))]
    done, wanted = plan(sub(actors=["Putin"]), entries)
    assert done == ["1-0", "2-0", "3-0"]
    assert list(wanted) == ["al-1"] and wanted["al-1"].entry_id == "1-0"
