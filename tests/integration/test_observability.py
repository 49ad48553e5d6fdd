"""The dashboard and the alert rules ask only for metrics the service really exports
(scraped from a running worker and a running ``storywatch ingest``), and the rules
behave as their tests say under ``promtool``."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from redis import Redis

from tests.integration.fault_harness import ROOT, corpus, done, free_port, publish, start_worker, wait_for
from tests.integration.test_operations import _env

DEPLOY = ROOT / "deploy"
DASHBOARD = DEPLOY / "grafana" / "dashboards" / "storywatch.json"
RULES = DEPLOY / "alert-rules.yml"
PROMETHEUS_OWN = {"up"}
"""Series Prometheus makes itself rather than scraping them."""

PROMQL_WORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan", "le",
}


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads (functions, labels, keywords left out)."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # strings
    expr = re.sub(r"\{[^}]*\}", "", expr)  # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)  # ranges
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)  # grouping labels
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", expr):
        rest = expr[match.end():].lstrip()
        if rest.startswith("(") or match.group(0).lower() in PROMQL_WORDS:
            continue
        names.add(match.group(0))
    return names


def test_metric_names_are_read_from_expressions() -> None:
    expr = 'histogram_quantile(0.99, sum by (le, stage) (rate(a_bucket{x="y"}[5m]))) > 0.5 and on (i) b_total / max(c > 0) or up{job="j"}'
    assert metric_names(expr) == {"a_bucket", "b_total", "c", "up"}


def dashboard_expressions() -> list[str]:
    dash = json.loads(DASHBOARD.read_text())
    return [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]


def rule_expressions() -> list[str]:
    rules = yaml.safe_load(RULES.read_text())
    return [r["expr"] for g in rules["groups"] for r in g["rules"]]


def exported_names(exposition: str) -> set[str]:
    """Every series name an exposition offers, including those of families with no sample yet."""
    names: set[str] = set()
    for line in exposition.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            names.add(name)
            if kind == "histogram":
                names |= {f"{name}_bucket", f"{name}_sum", f"{name}_count"}
            if kind == "counter":
                names |= {name, f"{name.removesuffix('_total')}_total"}
        elif line and not line.startswith("#"):
            names.add(re.split(r"[{ ]", line, maxsplit=1)[0])
    return names


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.read().decode()
    except OSError:
        return ""


@pytest.fixture(scope="module")
def scraped(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """/metrics of a worker that has run articles through, and of ``storywatch ingest``."""
    tmp = tmp_path_factory.mktemp("scrape")
    redis = Redis.from_url(redis_url)
    redis.flushdb()
    worker_port, ingest_port = free_port(), free_port()
    worker = start_worker(redis_url, tmp, "--metrics-port", str(worker_port))
    feed = ROOT / "tests" / "data" / "ingest" / "rss.xml"
    log = (tmp / "ingest.log").open("wb")
    ingest = subprocess.Popen(
        [sys.executable, "-m", "storywatch.cli", "ingest", "--feed", str(feed), "--interval", "3600", "--redis-url", redis_url, "--metrics-port", str(ingest_port)],
        cwd=ROOT, env=_env(), stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        articles = corpus(40, "scrape")
        publish(redis, articles)
        wait_for(done(redis, len(articles)), 60, "the articles to be processed", [worker])
        wait_for(lambda: "storywatch_stream_length" in _get(f"http://127.0.0.1:{worker_port}/metrics"), 30, "server-wide gauges", [worker])
        wait_for(lambda: "storywatch_ingest_feed_polls_total" in _get(f"http://127.0.0.1:{ingest_port}/metrics"), 30, "ingest metrics")
        assert _get(f"http://127.0.0.1:{ingest_port}/health")
        yield {"worker": _get(f"http://127.0.0.1:{worker_port}/metrics"), "ingest": _get(f"http://127.0.0.1:{ingest_port}/metrics")}
    finally:
        ingest.terminate()
        assert ingest.wait(20) == 0, (tmp / "ingest.log").read_text()
        log.close()
        assert worker.stop() == 0, worker.output()


def test_every_dashboard_and_rule_expression_names_an_exported_metric(scraped: dict[str, str]) -> None:
    exported = exported_names(scraped["worker"]) | exported_names(scraped["ingest"]) | PROMETHEUS_OWN
    for where, exprs in (("dashboard", dashboard_expressions()), ("alert rules", rule_expressions())):
        assert exprs, where
        for expr in exprs:
            missing = metric_names(expr) - exported
            assert not missing, f"{where}: {expr!r} reads {sorted(missing)}, which the service does not export"


def test_the_scrapes_have_what_operators_need_and_pass_promtool(scraped: dict[str, str]) -> None:
    for name in ("storywatch_build_info", "storywatch_group_oldest_pending_age_seconds", "storywatch_redis_used_memory_bytes",
                 "storywatch_redis_maxmemory_bytes", "storywatch_article_outcomes_total", "storywatch_trim_last_success_timestamp_seconds"):
        assert name in scraped["worker"], name
    assert "storywatch_build_info" in scraped["ingest"] and "storywatch_stream_length" not in scraped["ingest"]
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool not installed (Debian package `prometheus`): exposition lint skipped")
    for process, text in scraped.items():
        lint = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60)
        assert lint.returncode == 0 and not lint.stdout.strip(), f"{process}: {lint.stdout}{lint.stderr}"


def test_dashboard_has_the_panels_operators_need() -> None:
    dash = json.loads(DASHBOARD.read_text())
    exprs = " ".join(dashboard_expressions())
    for metric in ("storywatch_stage_processed_total", "storywatch_article_outcomes_total", "storywatch_group_lag", "storywatch_group_pending",
                   "storywatch_group_oldest_pending_age_seconds", "storywatch_arrival_to_alert_seconds_bucket", "storywatch_dead_letters_total",
                   "storywatch_dedup_decisions_total", "storywatch_events_extracted_total", "storywatch_alerts_total",
                   "storywatch_redis_used_memory_bytes", "storywatch_stream_length"):
        assert metric in exprs, metric
    for expr in dashboard_expressions():
        if "histogram_quantile" in expr:
            assert re.search(r"sum by \((le|le, \w+)\)", expr), f"quantile over per-instance buckets: {expr}"
    ids = [p["id"] for p in dash["panels"]]
    assert len(ids) == len(set(ids)) and dash["uid"] == "storywatch"


def test_rules_have_severity_and_a_runbook_entry() -> None:
    runbook = (ROOT / "docs" / "operations.md").read_text()
    rules = [r for g in yaml.safe_load(RULES.read_text())["groups"] for r in g["rules"]]
    for rule in rules:
        assert rule["labels"]["severity"] in {"critical", "warning", "info"}, rule["alert"]
        assert f"### {rule['alert']}" in runbook, f"no runbook entry for {rule['alert']} in docs/operations.md"
        assert rule["annotations"]["runbook"] == f"docs/operations.md#{rule['alert'].lower()}"
        if "histogram_quantile" in rule["expr"]:
            assert "sum by (le)" in rule["expr"], rule["alert"]


@pytest.mark.parametrize("args", [["check", "rules", "alert-rules.yml"], ["test", "rules", "alert-rules.test.yml"], ["check", "config", "prometheus.yml"]])
def test_promtool(args: list[str]) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool not installed (Debian package `prometheus`; .ci/run installs it when apt can): rule tests skipped")
    proc = subprocess.run([promtool, *args], cwd=DEPLOY, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
