"""The CLI contract: replay writes the three files; --help reads well; secrets stay hidden."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "storywatch.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


@pytest.mark.integration
async def test_replay_writes_decisions_stories_alerts(tmp_path, redis_url, redis):  # redis: an emptied database
    out = tmp_path / "out"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok-1", "text": "Das Treffen findet statt."}\n{broken\n{"id": "x"}\n')
    proc = _cli("replay", "seeds", str(bad), "--out", str(out), "--redis-url", redis_url)
    assert proc.returncode == 0, proc.stderr
    decisions = [json.loads(line) for line in (out / "decisions.jsonl").read_text().splitlines()]
    by_id = {d["article_id"]: d for d in decisions if d["article_id"]}
    assert {"c0c7c25cd1612e28", "fddfa136899eb72f", "009aa3959fa295a6", "64119b435b1aeb5b", "468bb61556176f4d", "ok-1"} <= set(by_id)
    dated = {"009aa3959fa295a6": "2025-10-16", "64119b435b1aeb5b": "2025-10-20T17:28:13", "c0c7c25cd1612e28": "2025-10-21", "fddfa136899eb72f": "2025-10-21"}
    for article_id, day in dated.items():
        assert by_id[article_id]["published_at"].startswith(day) and by_id[article_id]["date_from_arrival"] is False
    undated = by_id["468bb61556176f4d"]
    assert undated["published_at"] is None and undated["date_from_arrival"] is True and undated["received_at"]
    errors = [d["error"] for d in decisions if d["error"]]
    assert any("bad.jsonl:2" in e and "malformed JSON" in e for e in errors)
    assert any("bad.jsonl:3" in e and "text" in e for e in errors)
    for d in decisions:
        for event in d["events"]:
            assert {"story_id", "type", "status", "actors", "location", "event_date", "evidence"} <= set(event)
    stories = json.loads((out / "stories.json").read_text())
    assert all({"story_id", "title", "type", "actors", "location", "status", "timeline"} <= set(s) for s in stories)
    budapest = [s for s in stories if s["location"] == "Budapest" and {"Trump", "Putin"} <= set(s["actors"])]
    assert [s["status"] for s in budapest] == ["on_hold"]
    alerts = [json.loads(line) for line in (out / "alerts.jsonl").read_text().splitlines()]
    assert any(a["kind"] == "status_changed" and a["from_status"] == "planned" and a["to_status"] == "on_hold" for a in alerts)


def test_help_reads_like_a_man_page_and_hides_secrets():
    secret = "s3cr3t-pass"
    proc = _cli("--help", env={"STORYWATCH_REDIS_URL": f"redis://user:{secret}@127.0.0.1:1/0"})
    assert proc.returncode == 0
    for command in ("run", "replay", "publish", "worker", "alerts", "stats"):
        assert command in proc.stdout
    assert secret not in proc.stdout + proc.stderr
    for command in ("run", "replay", "worker", "stats"):
        sub = _cli(command, "--help")
        assert sub.returncode == 0 and "--redis-url" in sub.stdout and secret not in sub.stdout


@pytest.mark.integration
async def test_replay_follows_the_alert_policy_file_given(tmp_path, redis_url, redis):  # redis: an emptied database
    """``--alert-policy`` reaches the track stage: a policy that announces no story before
    ten reports lets the seeds' stories be filed but alerts nothing."""
    quiet = tmp_path / "quiet.yaml"
    quiet.write_text("announce_at_once: never\nannounce_after_reports: 10\n", encoding="utf-8")
    proc = _cli("replay", "seeds", "--out", str(tmp_path / "out"), "--redis-url", redis_url, "--alert-policy", str(quiet))
    assert proc.returncode == 0, proc.stderr
    stories = json.loads((tmp_path / "out" / "stories.json").read_text())
    assert any(s["location"] == "Budapest" for s in stories)
    assert (tmp_path / "out" / "alerts.jsonl").read_text() == ""


def test_a_bad_alert_policy_stops_the_command_naming_the_file_and_the_field(tmp_path):
    bad = tmp_path / "policy.yaml"
    bad.write_text("confirm_sources: 0\n", encoding="utf-8")
    for args, env in ((("--alert-policy", str(bad)), {}), ((), {"STORYWATCH_ALERT_POLICY": str(bad)})):
        proc = _cli("replay", "seeds", "--out", str(tmp_path / "out"), "--redis-url", "redis://127.0.0.1:1", *args, env=env)
        assert proc.returncode == 2
        assert "policy.yaml" in proc.stderr and "confirm_sources" in proc.stderr
    missing = _cli("replay", "seeds", "--out", str(tmp_path / "out"), "--redis-url", "redis://127.0.0.1:1", "--alert-policy", str(tmp_path / "none.yaml"))
    assert missing.returncode == 2 and "none.yaml" in missing.stderr and "No such file" in missing.stderr


@pytest.mark.integration
async def test_replay_refuses_a_database_that_holds_data(tmp_path, redis_url, redis):  # redis: an emptied database
    """A replay's results are everything the database holds: on a used one they would mix
    with what was there, so it says so and stops (exit 2) without writing anything."""
    await redis.set("someone-elses-key", "1")
    proc = _cli("replay", "seeds", "--out", str(tmp_path / "out"), "--redis-url", redis_url)
    assert proc.returncode == 2
    assert "holds 1 keys" in proc.stderr and "empty" in proc.stderr
    assert await redis.get("someone-elses-key") == b"1" and await redis.dbsize() == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.integration
@pytest.mark.slow
async def test_eval_on_a_given_server_scores_each_half_on_its_own(tmp_path, redis_url, redis):  # redis: an emptied database
    """Two halves holding the same labelled set score the same on a given server (each half
    starts empty, as on an embedded server), and ``--json`` writes the figures."""
    devset = ROOT / "tests" / "data" / "devset"
    for half in ("dev", "test"):
        (tmp_path / "corpus" / half).mkdir(parents=True)
        for name in ("articles.jsonl", "labels.json"):
            (tmp_path / "corpus" / half / name).write_bytes((devset / name).read_bytes())
    out = tmp_path / "figures.json"
    proc = _cli("eval", str(tmp_path / "corpus"), "--redis-url", redis_url, "--json", str(out), "--show-test-misses", timeout=300)
    assert proc.returncode == 0, proc.stderr
    figures = json.loads(out.read_text())
    assert figures["dev"]["status_accuracy"] == figures["test"]["status_accuracy"] > 0.5
    assert figures["dev"]["bcubed"] == figures["test"]["bcubed"] and figures["test"]["backward_alerts"] == 0
    assert figures["test"]["finals"] == figures["dev"]["finals"] and figures["test"]["misses"] == figures["dev"]["misses"]
    assert await redis.dbsize() > 0  # the last half's data is left for a look, like an embedded replay's --out
    hidden = _cli("eval", str(tmp_path / "corpus"), "--json", str(out), timeout=300)
    assert hidden.returncode == 0, hidden.stderr
    figures = json.loads(out.read_text())
    assert "misses" in figures["dev"] and "misses" not in figures["test"]
    assert figures["test"]["finals"] == len(figures["dev"]["finals"]) and figures["test"]["finals_right"] == figures["dev"]["finals_right"]


@pytest.mark.integration
async def test_a_replay_never_compacts_or_deletes_stories(redis_url, redis, monkeypatch):  # redis: an emptied database
    """Replayed history moves the story clock years ahead; a retention pass during a long
    replay (one every trim interval) would delete the early stories its results are to
    hold, so a replay runs no story retention at all (stream trimming still runs)."""
    from storywatch import ops
    from storywatch.cli import replay
    from storywatch.settings import Settings

    passes: list[object] = []

    async def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        passes.append(args)
        return []

    monkeypatch.setattr(ops, "retire_stories", spy)
    _decisions, stories, _alerts, errors = await replay([ROOT / "seeds"], Settings(redis_url=redis_url, metrics_port=0, trim_interval_s=0.01), timeout=120)
    assert errors == [] and stories
    assert passes == []
