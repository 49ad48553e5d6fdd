"""The README's ACL users, taken from the README itself, against a real server: a worker,
``publish``, a feed poll and ``alerts`` run under them; each is refused what it does not need."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import NoPermissionError

from schemas.partitions import Partitioning
from storywatch.embedded import EmbeddedServer
from tests.integration.fault_harness import ROOT, assert_exactly_once, free_port, corpus, done, read_result, start_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FEED = ROOT / "tests" / "data" / "ingest" / "atom.xml"


def readme_users() -> dict[str, tuple[str, list[str]]]:
    """name -> (password, ACL SETUSER words) from the ```acl block of the README."""
    block = re.search(r"```acl\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert block, "the README has no ```acl block"
    users = {}
    for line in block.group(1).splitlines():
        words = line.split()
        password = next(w[1:] for w in words if w.startswith(">"))
        users[words[1]] = (password, words[2:])
    return users


@pytest.fixture
def acl_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A server with the README's users; the default user stays for the test's own checks."""
    with EmbeddedServer(tmp_path / "acl", persist=True, port=free_port()) as server:
        admin = Redis.from_url(server.url)
        users = readme_users()
        assert set(users) == {"sw-producer", "sw-worker", "sw-subscriber"}
        for name, (_password, rules) in users.items():
            admin.execute_command("ACL", "SETUSER", name, "reset", *rules)
        urls = {name.removeprefix("sw-"): server.url.replace("redis://", f"redis://{name}:{pw}@") for name, (pw, _) in users.items()}
        yield admin, urls


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYWATCH_")} | {"PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "storywatch.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("partitions", [1, 3])
def test_pipeline_runs_under_the_minimal_acl(acl_server, tmp_path: Path, partitions: int) -> None:
    admin, urls = acl_server
    layout = Partitioning(partitions)
    count = ("--partition-count", str(partitions))
    articles = corpus(60, "acl")
    source = tmp_path / "articles.jsonl"
    source.write_text("".join(a.model_dump_json() + "\n" for a in articles))
    worker = start_worker(urls["worker"], tmp_path, "--metrics-port", "0", *count)
    try:
        published = cli("publish", str(source), "--redis-url", urls["producer"], "--durable", *count)
        assert published.returncode == 0, published.stderr
        feed = cli("publish", "--feed", str(FEED), "--redis-url", urls["producer"], *count)
        assert feed.returncode == 0 and "2 published" in feed.stdout, feed.stdout + feed.stderr
        wait_for(done(admin, len(articles) + 2, layout), 60, "the pipeline under ACL users", [worker])
        feed_again = cli("publish", "--feed", str(FEED), "--redis-url", urls["producer"], *count)
        assert feed_again.returncode == 0 and "0 new" in feed_again.stdout
        alerts = cli("alerts", "--json", "--redis-url", urls["subscriber"])
        assert alerts.returncode == 0, alerts.stderr
        assert len(alerts.stdout.splitlines()) == admin.xlen("alerts") > 0, admin.execute_command("ACL", "LOG", "5")
        assert all("story_id" in json.loads(line) for line in alerts.stdout.splitlines())
    finally:
        assert worker.stop() == 0, worker.output()
    assert "NOPERM" not in worker.output() and "permission" not in worker.output().lower(), worker.output()[-3000:]
    result = read_result(admin, layout)
    assert_exactly_once(result, [*articles, *[type(articles[0])(id=a, text="x") for a in set(result.outcomes) - {x.id for x in articles}]])
    assert {k for k in result.kinds.values()} <= {"processed", "duplicate"}


def test_each_role_is_refused_what_it_does_not_need(acl_server) -> None:
    _admin, urls = acl_server
    producer, worker, subscriber = (Redis.from_url(urls[r]) for r in ("producer", "worker", "subscriber"))
    refused = [
        lambda: producer.xrange("alerts"),
        lambda: producer.get("sw:story:x"),
        lambda: producer.xreadgroup("dedup", "c", {"articles": ">"}),
        lambda: subscriber.xadd("articles", {"__data__": "{}"}),
        lambda: subscriber.xrange("articles"),
        lambda: worker.flushall(),
        lambda: worker.keys("*"),
        lambda: worker.config_get("requirepass"),
        lambda: worker.set("elsewhere", "1"),
    ]
    for attempt in refused:
        with pytest.raises(NoPermissionError):
            attempt()
