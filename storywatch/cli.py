"""The ``storywatch`` command: one entry point, one subcommand per job."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import logging
import os
import re
import signal
import sys
import time
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from consumers import metrics
from consumers.stages import PIPELINE_NAMES
from consumers.stages import STAGE_NAMES as STAGES
from schemas.partitions import SINGLE, Partitioning
from schemas.streams import ALERTS
from storywatch import __version__, logs
from storywatch.api import InsecureBind
from storywatch.connections import connect
from storywatch.http_server import PortInUse
from storywatch.server_check import UnsupportedServer, check_layout, refuse_cluster
from storywatch.settings import Settings, redact

log = logging.getLogger("storywatch")

DESCRIPTION = """\
storywatch watches news as it is published: it drops copies, extracts the scheduled
events that articles report (who meets whom, where, when, and whether it is planned,
postponed, on hold, cancelled or took place), groups articles into stories and alerts
the moment a story changes status.

Articles flow through Redis streams: articles -> dedup -> articles.unique -> extract
-> events -> track -> alerts. Without --redis-url (or STORYWATCH_REDIS_URL) the
commands that need a server start an embedded one.
"""

EPILOG = """\
configuration:
  Every option can also be set as an environment variable with the STORYWATCH_ prefix
  (STORYWATCH_REDIS_URL, STORYWATCH_METRICS_PORT, STORYWATCH_BATCH_SIZE,
  STORYWATCH_CLAIM_IDLE_MS, STORYWATCH_MAX_DELIVERIES, STORYWATCH_DEDUP_WINDOW_DAYS,
  STORYWATCH_DATA_DIR, STORYWATCH_LOG_LEVEL, ...) or in a .env file; flags win.

examples:
  storywatch run                               the seeds through the whole pipeline
  storywatch replay seeds --out out/           batch mode: decisions, stories, alerts
  storywatch worker --redis-url redis://host   all stages against a real server
  storywatch publish articles.jsonl            feed a running deployment
  storywatch alerts --follow                   watch alerts as they come
  storywatch dlq list                          messages a stage gave up on
  storywatch stories list --archived           stories silent past the archive period
  storywatch stories show ID                   one story with its whole timeline (what is kept once compacted)
  storywatch dlq replay --all --stage extract  re-inject them after a fix
  storywatch trim --dry-run                    what retention would remove now

exit status:
  0 done; 1 records rejected, a threshold missed or a server error; 2 bad usage or
  configuration; 3 a consumer group vanished (restart to recreate it); 4 the HTTP port
  cannot be bound; 5 the server is of a kind storywatch does not support (Redis
  Cluster); 130 interrupted.
"""

EXIT_GROUP_VANISHED = 3
EXIT_PORT_IN_USE = 4
EXIT_UNSUPPORTED_SERVER = 5


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    for name in ("redis_url", "data_dir", "seeds_dir", "metrics_port", "metrics_host", "api_port", "api_host", "batch_size", "linger_ms", "claim_idle_ms", "max_deliveries", "extract_budget_ms", "log_level", "partition_count", "redis_cluster",
                 "story_compact_after_days", "story_delete_after_days", "alert_policy"):
        value = getattr(args, name, None)
        if value is not None:
            overrides[name] = value
    if getattr(args, "log_json", False):
        overrides["log_json"] = True
    if getattr(args, "durable", False):
        overrides["durable"] = True
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        # a command that runs no stage is not stopped by a bad stage-only setting
        bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
        if hasattr(args, "batch_size") or not bad <= set(STAGE_ONLY_SETTINGS):
            raise
        return Settings(**overrides, **{name: Settings.model_fields[name].get_default(call_default_factory=True) for name in bad})


STAGE_ONLY_SETTINGS = ("batch_size", "linger_ms", "poll_interval_ms", "claim_idle_ms", "max_deliveries", "dedup_window_days", "extract_budget_ms", "story_candidates_per_term", "trim_interval_s", "alert_policy")


def _add_common(p: argparse.ArgumentParser, embedded: bool) -> None:
    g = p.add_argument_group("connection and logging")
    default = "default: an embedded server" if embedded else "required, or STORYWATCH_REDIS_URL"
    g.add_argument("--redis-url", metavar="URL", help=f"redis://[user:pass@]host:port/db, rediss:// for TLS ({default})")
    g.add_argument("--log-level", metavar="LEVEL", help="DEBUG, INFO, WARNING or ERROR (default INFO)")
    g.add_argument("--log-json", action="store_true", help="log one JSON object per line")
    g.add_argument("--partition-count", type=int, metavar="N", help="partitions of the streams (default 1; every process must agree)")
    g.add_argument("--redis-cluster", action="store_true", default=None, help="the URL names a Redis Cluster node (needs --partition-count > 1)")


def _add_runtime(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("stages")
    g.add_argument("--metrics-port", type=int, metavar="PORT", help="serve /metrics, /health, /ready, /articles here (default 9108; 0 = off)")
    g.add_argument("--metrics-host", metavar="HOST", help="address to bind the HTTP server to (default 127.0.0.1)")
    g.add_argument("--api-port", type=int, metavar="PORT", help="serve the API (intake, subscriptions, board) on its own port; /metrics stays on --metrics-port")
    g.add_argument("--api-host", metavar="HOST", help="address of --api-port (default 127.0.0.1; elsewhere needs STORYWATCH_API_TOKEN)")
    g.add_argument("--batch-size", type=int, metavar="N", help="entries read per batch (default 100)")
    g.add_argument("--linger-ms", type=int, metavar="MS", help="a batch smaller than --batch-size waits this long for more entries before it is handled (default 0: off)")
    g.add_argument("--claim-idle-ms", type=int, metavar="MS", help="reclaim entries pending longer than this (default 30000)")
    g.add_argument("--max-deliveries", type=int, metavar="N", help="dead-letter an entry after N deliveries (default 5)")
    g.add_argument("--extract-budget-ms", type=float, metavar="MS", help="per-article extraction time budget; past it the article goes on with the events found so far (default 500)")
    g.add_argument("--alert-policy", type=Path, metavar="FILE",
                   help="YAML alert policy: when one report alerts and what waits for a second source (default: the shipped consumers/alert_policy.yaml)")


EMBEDDED_COMMANDS = ("run", "replay", "eval")
"""Commands that start an embedded server when no URL is given; the others need one."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="storywatch", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"storywatch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_: str, description: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
        _add_common(p, embedded=name in EMBEDDED_COMMANDS)
        return p

    p = command("run", "run everything on the seeds and print alerts (the main job)",
                "Start the server (embedded unless --redis-url), all stages and the HTTP endpoints,\n"
                "publish the seed articles in publication order, and print every alert as it arrives.\n"
                "Runs until Ctrl-C. The embedded server keeps its data in --data-dir with AOF on.")
    _add_runtime(p)
    p.add_argument("--seeds-dir", type=Path, metavar="DIR", help="articles to publish at start (default ./seeds)")
    p.add_argument("--data-dir", type=Path, metavar="DIR", help="embedded server's data directory (default ./.storywatch)")
    p.add_argument("--exit-when-idle", action="store_true", help="stop once everything published has been processed")
    p.add_argument("--durable", action="store_true", help="embedded server: fsync the AOF on every write (appendfsync always)")
    p.set_defaults(func=cmd_run)

    p = command("replay", "batch mode: run inputs through the pipeline and write results",
                "Publish every input (sorted by published_at), wait until every stage has processed it,\n"
                "then write DIR/decisions.jsonl (one line per input record), DIR/stories.json and\n"
                "DIR/alerts.jsonl. Uses a fresh embedded server unless --redis-url is given; a given\n"
                "server's database must be empty (the results are everything the database holds).\n"
                "Stories are archived as in live traffic but never compacted or deleted during a replay.")
    p.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="JSONL file of Article records, or a directory of articles")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="where the three result files go")
    p.add_argument("--timeout", type=float, default=300, metavar="S", help="give up waiting after S seconds (default 300)")
    _add_runtime(p)
    p.set_defaults(func=cmd_replay, metrics_port=0)

    p = command("eval", "measure extraction, clustering and alerts against labels",
                "Run a labelled set through the real pipeline (as replay does) and print per-article\n"
                "status accuracy, B-cubed precision/recall/F1 of the story clustering, alert precision\n"
                "and recall against the labelled transitions, and the status confusion matrix.\n"
                "LABELS is labels.json, the directory holding it and articles.jsonl, or a corpus\n"
                "directory of halves (dev/, test/), which are evaluated one by one and printed side\n"
                "by side, per kind of event and per language. The exit status is 1 when a figure of\n"
                "the test half (else the only set) is below its --min-* threshold. Extraction runs\n"
                "with a 60 s budget per article unless --extract-budget-ms (or its variable) is given,\n"
                "so that the figures never depend on how loaded the machine is. With --redis-url the\n"
                "database must be empty; between halves eval empties it again (what it wrote alone).")
    p.add_argument("labels", type=Path, metavar="LABELS")
    p.add_argument("--articles", type=Path, metavar="JSONL", help="the articles (default: articles.jsonl beside the labels)")
    p.add_argument("--out", type=Path, metavar="DIR", help="also write the replay files here")
    p.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    p.add_argument("--min-status-accuracy", type=float, default=0.0, metavar="X")
    p.add_argument("--min-bcubed-f1", type=float, default=0.0, metavar="X")
    p.add_argument("--min-final-status", type=float, default=0.0, metavar="X", help="share of stories whose final status is right")
    p.add_argument("--min-alert-precision", type=float, default=0.0, metavar="X")
    p.add_argument("--max-backward-alerts", type=int, default=1_000_000, metavar="N")
    p.add_argument("--timeout", type=float, default=300, metavar="S")
    p.add_argument("--show-test-misses", action="store_true",
                   help="also list the test half's articles it got wrong (by default the test half is shown\n"
                        "in aggregate only, so that rules are never written against it)")
    _add_runtime(p)
    p.set_defaults(func=cmd_eval, metrics_port=0)

    p = command("publish", "publish articles onto the articles stream",
                "Read articles from files and directories (seed format, .jsonl, .html, feed files) or\n"
                "from feeds (--feed) and publish them. Bad records are reported by file and line and\n"
                "skipped. Only records the server acknowledged count as published; each record it did\n"
                "not store is named on stderr (with --receipt, every stored record is written to FILE).\n"
                "The exit status is 1 when any record was rejected or not stored.\n\n"
                "By default a stored record is in the server's memory and, with appendfsync everysec,\n"
                "on disk within about a second: a power loss can lose that second. --durable waits\n"
                "(WAITAOF) until the server has written each chunk to its append-only file.")
    p.add_argument("inputs", nargs="*", type=Path, metavar="INPUT")
    p.add_argument("--feed", action="append", default=[], metavar="URL", help="poll this RSS/Atom feed once (repeatable)")
    p.add_argument("--default-timezone", type=_zone, default=UTC, metavar="TZ",
                   help="zone of JSONL dates without offset, e.g. Europe/Berlin or +02:00 (default UTC)")
    p.add_argument("--durable", action="store_true", help="count a record as stored only once it is fsynced to the AOF")
    p.add_argument("--durable-replicas", type=int, default=0, metavar="N", help="with --durable: also on N replicas' AOF (default 0)")
    p.add_argument("--receipt", type=Path, metavar="FILE", help="append one JSON line per stored record (id, entry id) to FILE")
    p.set_defaults(func=cmd_publish)

    p = command("ingest", "keep polling feeds and publishing new items",
                "Poll every --feed each --interval seconds with conditional GET, publishing items not\n"
                "seen before (seen items are remembered in Redis, so a restart does not republish).\n"
                "Serves /metrics, /health and /ready on --metrics-port like a worker.")
    p.add_argument("--metrics-port", type=int, metavar="PORT", help="serve /metrics, /health, /ready here (default 9108; 0 = off)")
    p.add_argument("--metrics-host", metavar="HOST", help="address to bind the HTTP server to (default 127.0.0.1)")
    p.add_argument("--feed", action="append", required=True, metavar="URL", help="RSS/Atom feed URL or file (repeatable)")
    p.add_argument("--interval", type=float, default=300, metavar="S", help="seconds between polls (default 300)")
    p.set_defaults(func=cmd_ingest)

    p = command("worker", "run pipeline stages against a Redis server",
                "Run one stage or all of them until SIGTERM/Ctrl-C. Start as many workers as you\n"
                "like: each stage is a consumer group, so they share the work.")
    p.add_argument("--stage", type=_stage_list, default="all", metavar="STAGES",
                   help="dedup, extract, track, deliver (webhooks), a comma-separated list (extract,track) or all (default)")
    p.add_argument("--partitions", metavar="LIST",
                   help="the partitions this worker takes: all (default), 0,1 or 0-3 (with --partition-count > 1)")
    _add_runtime(p)
    p.set_defaults(func=cmd_worker)

    p = command("alerts", "print alerts", "Print the alerts on the alerts stream; --follow waits for new ones.")
    p.add_argument("--follow", "-f", action="store_true", help="keep waiting for new alerts")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--since", default="-", type=_stream_id, metavar="ID",
                   help="start after this stream id, as printed by --json (default: the beginning; $ = only new ones)")
    p.set_defaults(func=cmd_alerts)

    p = command("stats", "stream lengths, pending and lag per group, outcomes, dead letters",
                "Per stream its length, per consumer group the entries pending (delivered, not\n"
                "acknowledged) and the lag (not yet delivered), the outcome of every article\n"
                "(processed, duplicate, rejected, dead-lettered) and what is still in flight.\n"
                "With --receipts, also what producers were told against what the stream holds:\n"
                "every entry a receipt says was stored must be on 'articles' (or trimmed after it\n"
                "was processed); the exit status is 1 when some are missing (lost by the server).")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--receipts", type=Path, nargs="+", metavar="FILE", help="receipt files written by publish --receipt")
    p.set_defaults(func=cmd_stats)

    p = command("dlq", "inspect and replay dead letters (messages a stage gave up on)",
                "list: the dead letters of each stage (or --stage), oldest first.\n"
                "show ID: one dead letter with its stage, error, deliveries and original body.\n"
                "replay ID... | --all: put the original entries back onto the stage's input stream\n"
                "(after fixing the cause) and remove the dead letters; each article is in flight\n"
                "again and ends with a new outcome.")
    p.add_argument("action", choices=("list", "show", "replay"))
    p.add_argument("ids", nargs="*", metavar="ID", help="dead-letter ids (as listed)")
    p.add_argument("--stage", choices=STAGES, help="only this stage")
    p.add_argument("--subscription", metavar="SUB", help="the webhook deliveries a subscription gave up on (instead of a stage's)")
    p.add_argument("--all", action="store_true", help="replay: every dead letter (of --stage, or of all stages)")
    p.add_argument("--limit", type=int, default=100, metavar="N", help="list/replay --all: at most N per stage (default 100)")
    p.add_argument("--json", action="store_true", help="list/show: print JSON")
    p.set_defaults(func=cmd_dlq)

    p = command("subscribe", "manage webhook subscriptions to alerts",
                "add URL: deliver the alerts matching the filter options to URL, signed (see README);\n"
                "  prints the subscription id and the signing secret (shown only here).\n"
                "list: the subscriptions, their filters and targets (without secrets).\n"
                "remove ID: stop delivering; forgets the subscription and its undelivered alerts.\n"
                "Filter options repeat (any value matches) and combine (all must match).")
    p.add_argument("action", choices=("add", "list", "remove"))
    p.add_argument("target", nargs="?", metavar="URL|ID")
    p.add_argument("--format", choices=("json", "slack", "ntfy"), default="json", help="body of the POST (default json)")
    p.add_argument("--secret", metavar="S", help="signing secret, 16+ characters (default: generated)")
    p.add_argument("--description", default="", metavar="TEXT")
    p.add_argument("--from-start", action="store_true", help="also deliver the alerts already on the stream")
    for flag, help_ in (("actor", "a participant (words of the name: Putin)"), ("event-type", "summit, match, strike, ..."),
                        ("kind", "story_new or status_changed"), ("status", "the new status"), ("transition", "FROM->TO, * for any"),
                        ("country", "country of the place"), ("place", "the place"), ("language", "en, de, ..."), ("story", "a story id")):
        p.add_argument(f"--{flag}", action="append", default=[], metavar="X", help=help_)
    p.add_argument("--min-sources", metavar="N", help="at least N independent sources")
    p.add_argument("--min-confidence", metavar="X", help="at least this confidence (0..1)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_subscribe)

    p = command("stories", "list stories, or show one with its whole timeline",
                "list: hot stories (--archived: the archived ones, --all: both), by title, with\n"
                "status, claims and id. show ID: one story, archived or not, with every claim.")
    p.add_argument("action", choices=("list", "show"))
    p.add_argument("ids", nargs="*", metavar="ID", help="story ids (show)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--archived", action="store_true", help="list: archived stories only")
    which.add_argument("--all", action="store_true", help="list: hot and archived stories")
    p.add_argument("--json", action="store_true", help="print JSON (as replay's stories.json)")
    p.set_defaults(func=cmd_stories)

    p = command("trim", "apply stream retention now (what workers do on schedule)",
                "Remove entries older than their stream's retention (STORYWATCH_RETENTION_HOURS) but\n"
                "never one a consumer group has not acknowledged or not yet been delivered: the floor\n"
                "is at most every group's first pending and first undelivered entry. Dead-letter\n"
                "streams are never trimmed. Then story retention: stories archived longer than\n"
                "STORYWATCH_STORY_COMPACT_AFTER_DAYS are compacted (claims dropped, status and\n"
                "sources kept), those archived longer than STORYWATCH_STORY_DELETE_AFTER_DAYS deleted.\n"
                "--dry-run only reports what would go.")
    p.add_argument("--dry-run", action="store_true", help="remove nothing; print the floor and the count per stream")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--story-compact-after-days", type=float, metavar="DAYS",
                   help="compact stories archived longer than this (default 14; STORYWATCH_STORY_COMPACT_AFTER_DAYS)")
    p.add_argument("--story-delete-after-days", type=float, metavar="DAYS",
                   help="delete stories archived longer than this (default 90; STORYWATCH_STORY_DELETE_AFTER_DAYS)")
    p.set_defaults(func=cmd_trim)

    p = sub.add_parser("schema", help="write the JSON Schema of every stream message", description="Write the JSON Schemas of the wire contract to DIR (or stdout).")
    p.add_argument("dir", nargs="?", type=Path, metavar="DIR")
    p.set_defaults(func=cmd_schema)
    return parser


def _zone(value: str) -> tzinfo:
    """A time zone from an IANA name (Europe/Berlin) or an offset (+02:00, -0530, Z)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    text = value.strip()
    if text.upper() in ("Z", "UTC"):
        return UTC
    if text[:1] in "+-":
        try:
            return datetime.strptime(text.replace(":", ""), "%z").tzinfo or UTC
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an offset: {value!r} (use +02:00)") from None
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(f"unknown time zone {value!r} (use an IANA name such as Europe/Berlin, or +02:00)") from None


def _stage_list(value: str) -> tuple[str, ...]:
    names = STAGES if value == "all" else tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    unknown = [n for n in names if n not in STAGES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown stage {', '.join(unknown) or value!r}; choose from {', '.join(STAGES)} or all")
    return names


_STREAM_ID = re.compile(r"\d+(-\d+)?")


def _stream_id(value: str) -> str:
    """A stream id as XREAD takes it (``-`` for the beginning, ``$`` for new entries only)."""
    if value in ("-", "$") or _STREAM_ID.fullmatch(value):
        return value
    raise argparse.ArgumentTypeError(f"{value!r} is not a stream id (like 1761083713000-0, as --json prints, or - or $)")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = _settings(args) if hasattr(args, "redis_url") else Settings()
    except ValidationError as exc:
        print(f"storywatch: bad configuration: {_settings_problem(exc)}", file=sys.stderr)
        return 2
    logs.configure(settings.log_level, settings.log_json)
    metrics.set_build_info(__version__)
    try:
        return int(asyncio.run(args.func(args, settings)) or 0)
    except KeyboardInterrupt:
        return 130
    except StoppedDuringStart:  # a stop signal while waiting for Redis: a clean stop
        log.info("stopped before the workers started (Redis was not reachable yet)")
        return 0
    except BrokenPipeError:  # `storywatch ... | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except PortInUse as exc:
        print(f"storywatch {args.command}: {exc.strerror}", file=sys.stderr)
        return EXIT_PORT_IN_USE
    except InsecureBind as exc:
        print(f"storywatch {args.command}: {exc}", file=sys.stderr)
        return 2
    except UnsupportedServer as exc:
        print(f"storywatch {args.command}: {exc}", file=sys.stderr)
        return EXIT_UNSUPPORTED_SERVER
    except DatabaseInUse as exc:
        print(f"storywatch {args.command}: {exc}", file=sys.stderr)
        return 2
    except RedisError as exc:
        print(f"storywatch {args.command}: Redis error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _settings_problem(exc: ValidationError) -> str:
    """Each invalid setting as its environment variable (or flag) and what is wrong with it."""
    problems = []
    for error in exc.errors():
        name = ".".join(str(p) for p in error["loc"]) or "settings"
        problems.append(f"STORYWATCH_{name.upper()} (--{name.replace('_', '-')}): {error['msg']}, got {error.get('input')!r}")
    return "; ".join(problems)


def _require_url(settings: Settings) -> str:
    url = settings.redis_url_value()
    if not url:
        raise SystemExit("storywatch: this command needs a server: give --redis-url or set STORYWATCH_REDIS_URL")
    return url


async def _connect(settings: Settings) -> Redis:
    """A client on the configured server, refusing a server storywatch cannot work with."""
    redis = connect(_require_url(settings), cluster=settings.redis_cluster)
    try:
        await refuse_cluster(redis, settings.partition_count)
        await check_layout(redis, settings.partitioning, record=False)
    except BaseException:
        await redis.aclose()
        raise
    return redis


def _stop_event() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop


# --- run -------------------------------------------------------------------------

async def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.sources import by_publication, read_inputs
    from ingest.publisher import publish_articles
    from ingest.seed_files import RecordError
    from storywatch.service import redis_endpoint, wait_until_idle

    stop = _stop_event()
    status = 0
    if not settings.partitioning.single:
        raise SystemExit("storywatch run: the one-process demo uses one partition; with --partition-count use worker, publish and alerts")
    async with redis_endpoint(settings) as (url, embedded):
        redis = connect(url)
        async with _serving(url, settings, _stage_list("all"), redis, stop) as workers:
            where = f"embedded server {url} (data in {settings.data_dir})" if embedded else redact(url)
            print(f"storywatch {__version__}: pipeline running on {where}", flush=True)
            if settings.metrics_port:
                print(f"metrics: http://{settings.metrics_host}:{settings.metrics_port}/metrics", flush=True)
            earlier = await redis.xrevrange(ALERTS, count=1)
            if earlier:
                print("alerts from earlier runs on this data dir:", flush=True)
                await _print_alerts(redis, "-", follow=False, as_json=False)
                print("new alerts:", flush=True)
            start = earlier[0][0].decode() if earlier else "-"
            caught_up = asyncio.Event()
            printer = asyncio.create_task(_print_alerts(redis, start, follow=True, as_json=False, drain=caught_up))
            records = list(read_inputs([settings.seeds_dir]))
            for err in (r for r in records if isinstance(r, RecordError)):
                print(f"rejected: {err}", file=sys.stderr)
            articles = by_publication([r for r in records if not isinstance(r, RecordError)])
            await publish_articles(redis, articles)
            print(f"published {len(articles)} articles from {settings.seeds_dir}", flush=True)
            if args.exit_when_idle:
                await wait_until_idle(redis)
                caught_up.set()  # the printer stops once it has printed every alert there is
                await printer
            else:
                print("watching for alerts; Ctrl-C to stop", flush=True)
                if not await _until_stopped(stop, workers):
                    status = EXIT_GROUP_VANISHED
            printer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await printer
            await _print_summary(redis)
        await redis.aclose()
    return status


class StoppedDuringStart(Exception):
    """A stop signal arrived before the workers were running."""


class DatabaseInUse(Exception):
    """``replay`` or ``eval`` was given a server whose database holds data already."""


@contextlib.asynccontextmanager
async def _serving(url: str, settings: Settings, stages: tuple[str, ...], redis: Redis, stop: asyncio.Event | None = None,  # type: ignore[no-untyped-def]
                   partitions: tuple[int, ...] | None = None, retire_stories: bool = True):
    """HTTP first (liveness answers while Redis is still awaited), then the workers.

    A stop signal while the workers wait for Redis ends the start at once
    (StoppedDuringStart) instead of being ignored until the server answers.
    """
    from storywatch.heap import keep_settled
    from storywatch.http_server import servers_for
    from storywatch.workers import Workers

    workers = Workers(url, settings, stages, partitions=partitions, retire_stories=retire_stories)
    servers = servers_for(redis, lambda: workers.healthy, settings)
    started: list[Any] = []
    try:
        for server in servers:
            await server.start()
            started.append(server)
        heap_done = asyncio.Event()
        heap: asyncio.Task[None] | None = None
        try:
            await _unless_stopped(workers.start(), stop)
            heap = asyncio.create_task(keep_settled(heap_done, settings.heap_settle_interval_s, settings.heap_full_collect_s, workers.gate.idle), name="heap")
            yield workers
        finally:
            heap_done.set()
            if heap is not None:
                await heap
            await workers.stop()
    finally:
        for server in started:
            await server.stop()


async def _unless_stopped(work: Any, stop: asyncio.Event | None) -> Any:
    """Await ``work``; if ``stop`` is set first, cancel it and raise StoppedDuringStart."""
    task = asyncio.ensure_future(work)
    if stop is None:
        return await task
    stopper = asyncio.ensure_future(stop.wait())
    await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    if task.done():
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
    raise StoppedDuringStart


async def _print_summary(redis: Redis) -> None:
    from storywatch.service import load_stories, outcome_counts

    counts = await outcome_counts(redis)
    stories = await load_stories(redis)
    print("articles: " + ", ".join(f"{v} {k}" for k, v in counts.items()), flush=True)
    print(f"stories: {len(stories)}", flush=True)
    for story in stories:
        print(f"  {story.status.value:<11} {story.title}  [{story.story_id}]", flush=True)


async def _print_alerts(redis: Redis, since: str, follow: bool, as_json: bool, partitioning: Partitioning = SINGLE,
                        drain: asyncio.Event | None = None) -> None:
    """Print alerts after ``since``; following, ride out lost connections and resume
    after the last one printed. An entry that is not an alert is skipped with a warning.
    With partitions, each partition's alerts stream is followed in turn (a cluster serves
    one XREAD per slot); ``since`` applies to each. Following, once ``drain`` is set it
    returns as soon as it has printed every alert there is."""
    if not partitioning.single:
        await asyncio.gather(*(_print_alerts_of(redis, key, since, follow, as_json, drain) for key in partitioning.keys(ALERTS)))
        return
    await _print_alerts_of(redis, ALERTS, since, follow, as_json, drain)


async def _print_alerts_of(redis: Redis, stream: str, since: str, follow: bool, as_json: bool, drain: asyncio.Event | None = None) -> None:
    from storywatch.alert_view import alert_line
    from storywatch.workers import backoff

    last = since if since != "-" else "0-0"
    failures = 0
    while True:
        try:
            draining = drain is not None and drain.is_set()
            reply = await redis.xread({stream: last}, count=100, block=1000 if follow and not draining else None)
        except (RedisConnectionError, RedisTimeoutError) as exc:
            if not follow:
                raise
            failures += 1
            log.warning("alerts: connection lost; reconnecting", extra={"after": last, "error": repr(exc), "attempt": failures})
            await asyncio.sleep(backoff(failures, 0.1, cap=5.0))
            continue
        failures = 0
        if not reply:
            if not follow or draining:
                return
            continue
        for entry_id, fields in reply[0][1]:
            last = entry_id.decode()
            line = alert_line(last, fields, as_json)
            if line is None:
                log.warning("skipped an entry on the alerts stream that is not an alert", extra={"entry": last})
                continue
            print(line, flush=True)


# --- replay ----------------------------------------------------------------------

async def replay(inputs: list[Path], settings: Settings, timeout: float) -> tuple[list[dict[str, Any]], list[Any], list[Any], list[str]]:
    """Publish inputs in event-time order, wait for every stage, collect the results."""
    from ingest.publisher import publish_articles
    from ingest.seed_files import RecordError
    from ingest.sources import by_publication, read_inputs
    from storywatch.service import collect_decisions, load_stories, read_alerts, redis_endpoint, wait_until_idle

    records = list(read_inputs(inputs))
    errors = [str(r) for r in records if isinstance(r, RecordError)]
    articles = by_publication([r for r in records if not isinstance(r, RecordError)])
    async with redis_endpoint(settings, fresh=True) as (url, embedded):
        layout = settings.partitioning
        redis = connect(url, cluster=settings.redis_cluster)
        await refuse_cluster(redis, layout.count)
        if not embedded and (held := await redis.dbsize()):
            await redis.aclose()
            raise DatabaseInUse(f"the database at {redact(url)} holds {held} keys: a replay's stories and alerts are all the database holds, "
                                "so it needs an empty one (another database number, e.g. redis://host:6379/15, or no --redis-url for an embedded server)")
        # no story compaction or deletion while history is replayed: the story clock jumps
        # years ahead, and a retention pass during a long replay would delete the early
        # stories its results are to hold (how many would depend on how long the replay took)
        async with _serving(url, settings, PIPELINE_NAMES, redis, retire_stories=False):
            entry_ids = await _publish_in_order(redis, articles, layout, timeout)
            decisions = await collect_decisions(redis, list(zip(articles, entry_ids, strict=True)), errors, layout)
            stories = await load_stories(redis, layout)
            alerts = [a for _, a in await read_alerts(redis, partitioning=layout)]
        await redis.aclose()
    return decisions, stories, alerts, errors


async def _publish_in_order(redis: Redis, articles: list[Any], layout: Partitioning, timeout: float) -> list[str]:
    """Publish a replay's articles, in event-time order as the stages see them.

    One stream keeps the order it was written in. Partitions do not keep an order between
    them (an article's events reach its story's partition when its own partition's
    extraction gets to it), and a story's alerts depend on the order its reports arrive;
    so with several partitions a replay of history publishes one article at a time,
    each once the one before went through every stage. Live traffic is spread in time
    and needs no pacing."""
    from ingest.publisher import publish_articles
    from storywatch.service import wait_until_idle

    deadline = time.monotonic() + timeout
    steps = [articles] if layout.single else [[a] for a in articles]
    entry_ids: list[str] = []
    for step in steps:
        entry_ids += await publish_articles(redis, step, partitioning=layout)
        if not await wait_until_idle(redis, timeout=max(0.0, deadline - time.monotonic()), partitioning=layout):
            print(f"storywatch: not done after {timeout} s; writing what was processed", file=sys.stderr)
            entry_ids += await publish_articles(redis, [a for s in steps[len(entry_ids):] for a in s], partitioning=layout)
            break
    return entry_ids


async def cmd_replay(args: argparse.Namespace, settings: Settings) -> int:
    from storywatch.service import write_replay_output

    decisions, stories, alerts, errors = await replay(args.inputs, settings, args.timeout)
    write_replay_output(args.out, decisions, stories, alerts)
    print(f"{len(decisions)} decisions, {len(stories)} stories, {len(alerts)} alerts -> {args.out}")
    for err in errors:
        print(f"rejected: {err}", file=sys.stderr)
    return 0


def with_copied_claims(decisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A copy reports what its original reports: give duplicates their original's events."""
    by_id = {d["article_id"]: d for d in decisions if d["article_id"] and not d.get("duplicate_of")}
    return [
        d | {"events": by_id[d["duplicate_of"]]["events"]} if d.get("duplicate_of") in by_id else d
        for d in decisions
    ]


HELD_OUT = "test"
"""The half of a corpus that is only scored: ``eval`` lists its misses only when asked."""

EVAL_EXTRACT_BUDGET_MS = 60_000.0
"""``eval``'s extraction budget unless one is given: long enough never to depend on the machine's load."""


def eval_settings(settings: Settings) -> Settings:
    """The figures measure judgement: unless a budget was given, a loaded machine must not
    cut an article's extraction short and so change what is scored."""
    if "extract_budget_ms" in settings.model_fields_set:
        return settings
    return settings.model_copy(update={"extract_budget_ms": EVAL_EXTRACT_BUDGET_MS})


async def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from consumers.evaluation import article_languages, evaluate, format_comparison, format_report, labelled_sets, load_articles
    from storywatch.service import write_replay_output

    sets = {args.labels.parent.name: args.labels} if args.articles else labelled_sets(args.labels)
    settings = eval_settings(settings)
    reports = {}
    for i, (name, labels) in enumerate(sets.items()):
        articles = args.articles or labels.parent / "articles.jsonl"
        if i and settings.redis_url_value():
            await _empty_after_half(settings)  # each half starts on an empty database, as on an embedded server
        decisions, stories, alerts, _errors = await replay([articles], settings, args.timeout)
        if args.out:
            write_replay_output(args.out / name if len(sets) > 1 else args.out, decisions, stories, alerts)
        languages = article_languages(load_articles(articles))
        statuses = {story.story_id: story.status.value for story in stories}
        reports[name] = evaluate(with_copied_claims(decisions), [json.loads(a.model_dump_json()) for a in alerts], labels, languages, statuses)
    for name, report in reports.items():
        print(f"== {name}\n{format_report(report, misses=name != HELD_OUT or args.show_test_misses)}\n")
    print(format_comparison(reports))
    if args.json:
        shown = {n: _report_json(r, aggregate_only=n == HELD_OUT and not args.show_test_misses) for n, r in reports.items()}
        args.json.write_text(json.dumps(shown, indent=2, default=str) + "\n")
    gated = reports.get(HELD_OUT) or next(iter(reports.values()))
    failed = [
        name for name, value, floor in (
            ("status accuracy", gated.status_accuracy, args.min_status_accuracy),
            ("B-cubed F1", gated.bcubed[2], args.min_bcubed_f1),
            ("final status right", gated.finals_right / max(1, len(gated.finals)), args.min_final_status),
            ("alert precision", gated.alert_precision, args.min_alert_precision),
            ("no backward alert", -gated.backward_alerts, -args.max_backward_alerts),
        ) if value < floor
    ]
    for name in failed:
        print(f"below threshold: {name}", file=sys.stderr)
    return 1 if failed else 0


async def _empty_after_half(settings: Settings) -> None:
    """Empty the given server's database after a half: ``replay`` found it empty, so all it
    holds is what that half wrote (FLUSHDB reaches every master of a cluster)."""
    redis = connect(_require_url(settings), cluster=settings.redis_cluster)
    try:
        await redis.flushdb()
    finally:
        await redis.aclose()


def _report_json(report: Any, aggregate_only: bool) -> dict[str, Any]:
    """A report's figures as JSON; the held-out half in aggregate (no per-article misses,
    no per-story finals) unless ``--show-test-misses``, as the printed report shows it."""
    figures = _jsonable(dataclasses.asdict(report))
    figures["finals_right"] = report.finals_right
    if aggregate_only:
        figures.pop("misses")
        figures["finals"] = len(report.finals)
    return figures


def _jsonable(value: Any) -> Any:
    """A report as JSON takes: keys that are tuples (a transition, a kind and language) joined by "->"."""
    if isinstance(value, dict):
        return {("->".join(map(str, k)) if isinstance(k, tuple) else k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


# --- publish / ingest ------------------------------------------------------------

async def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.feed_poller import FeedSettings, poll_feed
    from ingest.progress import Progress
    from ingest.publisher import Durability
    from ingest.seed_files import RecordError
    from ingest.sources import read_inputs

    if not args.inputs and not args.feed:
        raise SystemExit("storywatch publish: give files, directories or --feed URL")
    if settings.durable and settings.redis_cluster:
        # WAITAOF confirms the writes of one connection to one node; a cluster client
        # writes the chunk over one connection per master, so nothing would confirm them all
        print("storywatch publish: --durable is not supported on Redis Cluster: WAITAOF confirms one connection's writes "
              "to one node, and a chunk goes to every master; set appendfsync always on the masters instead", file=sys.stderr)
        return 2
    durability = Durability(on_disk=True, replicas=args.durable_replicas) if settings.durable else None
    try:
        redis = await _connect(settings)
    except RedisConnectionError:  # unreachable: each record is then reported as not stored, by name
        redis = connect(_require_url(settings), cluster=settings.redis_cluster)
    rejected = not_stored = stored = 0
    receipt = args.receipt.open("a", encoding="utf-8") if args.receipt else None
    try:
        with Progress("published") as progress:
            batch: list[Any] = []
            for record in read_inputs(args.inputs, args.default_timezone):
                if isinstance(record, RecordError):
                    rejected += 1
                    progress.error()
                    print(f"rejected: {record}", file=sys.stderr)
                    continue
                batch.append(record)
                if len(batch) >= 500:
                    stored, not_stored = _tally(await _publish_batch(redis, batch, durability, progress, receipt, settings.partitioning), stored, not_stored)
                    batch = []
            stored, not_stored = _tally(await _publish_batch(redis, batch, durability, progress, receipt, settings.partitioning), stored, not_stored)
        for feed in args.feed:
            result = await poll_feed(redis, feed, settings=FeedSettings(public_pages_only=not settings.fetch_private_pages, partitioning=settings.partitioning))
            print(result.summary())
            for error in result.errors:
                print(f"error: {error}", file=sys.stderr)
            stored += len(result.published)
            not_stored += result.not_stored
            rejected += len(result.errors) - result.not_stored
    finally:
        if receipt is not None:
            receipt.close()
        await redis.aclose()
    print(f"stored {stored} records, {not_stored} not stored, {rejected} rejected", file=sys.stderr)
    if not_stored:
        print(f"storywatch publish: the server did not store {not_stored} records (named above); publish them again", file=sys.stderr)
    return 1 if rejected or not_stored else 0


def _tally(counts: tuple[int, int], stored: int, not_stored: int) -> tuple[int, int]:
    return stored + counts[0], not_stored + counts[1]


async def _publish_batch(redis: Redis, batch: list[Any], durability: Any, progress: Any, receipt: Any, partitioning: Partitioning = SINGLE) -> tuple[int, int]:
    """Publish one batch; name every record not stored; (stored, not stored)."""
    from ingest.publisher import publish_report

    if not batch:
        return 0, 0
    report = await publish_report(redis, batch, durability=durability, partitioning=partitioning)
    for article, entry_id in report.stored:
        if receipt is not None:
            receipt.write(json.dumps({"id": article.id, "entry_id": entry_id}) + "\n")
    if receipt is not None:
        receipt.flush()
    for article, reason in report.failed:
        print(f"not stored: {article.id}: {reason}", file=sys.stderr)
    progress.tick(len(report.stored))
    progress.error(len(report.failed))
    return len(report.stored), len(report.failed)


async def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Poll feeds until stopped, serving /metrics, /health and /ready (ready: Redis answers, polling)."""
    from ingest.feed_poller import FeedSettings, follow_feeds
    from storywatch.http_server import servers_for

    stop = _stop_event()
    redis = await _connect(settings)
    feed_settings = FeedSettings(public_pages_only=not settings.fetch_private_pages, partitioning=settings.partitioning)
    polling = asyncio.Event()
    servers = servers_for(redis, lambda: polling.is_set() and not stop.is_set(), settings)
    try:
        for server in servers:
            await server.start()
        polling.set()
        try:
            await follow_feeds(redis, args.feed, args.interval, stop, settings=feed_settings,
                               on_result=lambda r: print(r.summary(), flush=True))
        finally:
            polling.clear()
            for server in servers:
                await server.stop()
    finally:
        await redis.aclose()
    return 0


# --- worker ----------------------------------------------------------------------

async def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    url = _require_url(settings)
    stages = args.stage
    partitions = settings.partitioning.parse(args.partitions) if args.partitions else None
    stop = _stop_event()
    redis = connect(url, cluster=settings.redis_cluster)
    try:
        async with _serving(url, settings, stages, redis, stop, partitions) as workers:
            log.info("worker running", extra={"stages": ",".join(stages), "redis": redact(url)})
            ok = await _until_stopped(stop, workers)
    finally:
        await redis.aclose()
    if not ok:
        print(f"storywatch worker: {workers.failure}; exiting so that a restart recreates the groups", file=sys.stderr)
        return EXIT_GROUP_VANISHED
    return 0


async def _until_stopped(stop: asyncio.Event, workers: Any) -> bool:
    """Wait for a stop signal (True) or for the workers to fail for good (False)."""
    waiters = [asyncio.create_task(stop.wait()), asyncio.create_task(workers.failed.wait())]
    await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    for task in waiters:
        task.cancel()
    return not workers.failed.is_set()


# --- alerts / stats / schema -----------------------------------------------------

async def cmd_alerts(args: argparse.Namespace, settings: Settings) -> int:
    redis = await _connect(settings)
    try:
        await _print_alerts(redis, args.since, args.follow, args.json, settings.partitioning)
    finally:
        await redis.aclose()
    return 0


async def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from storywatch.ops import stream_info
    from storywatch.service import check_receipts, outcome_counts, published_count

    redis = await _connect(settings)
    try:
        streams = await stream_info(redis, settings.partitioning)
        counts = await outcome_counts(redis, settings.partitioning)
        published = await published_count(redis, settings.partitioning)
        receipts = await check_receipts(redis, args.receipts, settings.partitioning) if args.receipts else None
    finally:
        await redis.aclose()
    in_flight = max(0, published - sum(counts.values()))
    missing = bool(receipts and receipts["missing"])
    if args.json:
        extra = {"receipts": receipts} if receipts is not None else {}
        print(json.dumps({"streams": streams, "published": published, "outcomes": counts, "in_flight": in_flight, **extra}, indent=2))
        return 1 if missing else 0
    print(f"{'stream':<22}{'length':>9}   group: pending / lag (oldest pending)")
    for stream, info in streams.items():
        groups = "  ".join(
            f"{g}: {v['pending']} / {v['lag'] if v['lag'] is not None else '?'}" + (f" ({v['oldest_pending_age_s']:.0f} s)" if v["pending"] else "")
            for g, v in info["groups"].items()
        )
        print(f"{stream:<22}{info['length']:>9}   {groups}")
    print(f"\npublished {published}; outcomes: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + f"; in flight {in_flight}")
    if receipts is not None:
        print(f"receipts: producers were told {receipts['told']} stored; the stream holds {receipts['held']}, "
              f"{receipts['trimmed']} trimmed, {len(receipts['missing'])} missing")
        if missing:
            shown = ", ".join(f"{m['id']} ({m['entry_id']})" for m in receipts["missing"][:20])
            print(f"LOST: {len(receipts['missing'])} records producers were told were stored are not on the stream: {shown}")
    return 1 if missing else 0


async def cmd_dlq(args: argparse.Namespace, settings: Settings) -> int:
    redis = await _connect(settings)
    args.partitioning = settings.partitioning
    try:
        if args.subscription:
            return await _subscription_dlq(redis, args)
        if args.action == "list":
            return await _dlq_list(redis, args)
        if args.action == "show":
            return await _dlq_show(redis, args)
        return await _dlq_replay(redis, args)
    except ValueError as exc:
        print(f"storywatch dlq: {exc}", file=sys.stderr)
        return 1
    finally:
        await redis.aclose()


async def cmd_stories(args: argparse.Namespace, settings: Settings) -> int:
    from consumers.story_store import is_compacted, load_full, story_ids
    from schemas import Story
    from storywatch.service import story_record

    layout = settings.partitioning
    redis = connect(_require_url(settings), cluster=settings.redis_cluster)
    try:
        if args.action == "show":
            if not args.ids:
                print("storywatch stories: show needs a story id (see: storywatch stories list)", file=sys.stderr)
                return 1
            stories = await load_full(redis, args.ids, layout)
            missing = sorted(set(args.ids) - {s.story_id for s in stories})
        else:
            archived = None if args.all else args.archived
            stories = sorted(await load_full(redis, await story_ids(redis, archived, layout), layout), key=lambda s: (s.title, s.story_id))
            missing = []
        archived_ids = set(await story_ids(redis, archived=True, partitioning=layout))
    finally:
        await redis.aclose()
    def mark(s: Story) -> str:
        return " (archived, compacted)" if is_compacted(s) else " (archived)" if s.story_id in archived_ids else ""

    if args.json:
        records = [story_record(s) | {"archived": s.story_id in archived_ids, "compacted": is_compacted(s), "reports": s.reports} for s in stories]
        print(json.dumps(records, ensure_ascii=False, indent=2))
    elif args.action == "list":
        for s in stories:
            print(f"{s.status.value:<11} {len(s.timeline):>6} claims  {s.title}  [{s.story_id}]{mark(s)}")
    else:
        for s in stories:
            print(f"{s.title}  [{s.story_id}]{mark(s)}")
            print(f"  status {s.status.value} since {s.status_since.isoformat()}; {len(s.timeline)} claims from {len(s.sources)} sources")
            if is_compacted(s):
                print(f"  compacted: archived past the compaction period, the claims of its {s.reports} reports were dropped;"
                      " its status, sources and report count are kept")
            for t in s.timeline:
                print(f"  {t.at.isoformat()}  {t.status.value:<11} {t.source or '-':<20} {t.article_id}  {t.evidence[:100]}")
    for story_id in missing:
        print(f"storywatch stories: no story {story_id}", file=sys.stderr)
    return 1 if missing else 0


async def _dlq_list(redis: Redis, args: argparse.Namespace) -> int:
    from storywatch import dead_letters as dl

    for stage in dl.stage_names(args.stage):
        letters = await dl.list_letters(redis, stage, args.limit, args.partitioning)
        if args.json:
            for item in letters:
                print(json.dumps({"id": item.id, "article_id": item.article_id, **item.letter.model_dump()}, ensure_ascii=False))
            continue
        total = await dl.count_letters(redis, stage, args.partitioning)
        print(f"{stage}: {total} dead letter(s) on {dl.dlq_of(stage)}")
        for item in letters:
            print("  " + dl.describe(stage, item))
    return 0


async def _dlq_show(redis: Redis, args: argparse.Namespace) -> int:
    from storywatch import dead_letters as dl

    if not args.ids:
        raise ValueError("show needs a dead-letter id (see: storywatch dlq list)")
    for letter_id in args.ids:
        found = await dl.find_letter(redis, letter_id, args.stage, args.partitioning)
        if found is None:
            raise ValueError(f"no dead letter {letter_id}")
        stage, item = found
        if args.json:
            print(json.dumps({"id": item.id, "article_id": item.article_id, **item.letter.model_dump()}, ensure_ascii=False, indent=2))
            continue
        print(f"dead letter {item.id}\n  stage:       {stage} (stream {item.letter.stream}, entry {item.letter.entry_id})")
        print(f"  article:     {item.article_id}\n  deliveries:  {item.letter.deliveries}\n  error:       {item.letter.error}")
        for name, value in item.letter.fields.items():
            print(f"  field {name}:\n    {value}")
    return 0


async def _dlq_replay(redis: Redis, args: argparse.Namespace) -> int:
    from storywatch import dead_letters as dl

    if bool(args.ids) == args.all:
        raise ValueError("replay needs dead-letter ids or --all (not both)")
    if args.all:
        targets = [(stage, item) for stage in dl.stage_names(args.stage) for item in await dl.list_letters(redis, stage, args.limit, args.partitioning)]
    else:
        targets = []
        for letter_id in args.ids:
            found = await dl.find_letter(redis, letter_id, args.stage, args.partitioning)
            if found is None:
                raise ValueError(f"no dead letter {letter_id}")
            targets.append(found)
    failed = 0
    for stage, item in targets:
        try:
            new_id = await dl.replay(redis, stage, item, args.partitioning)
        except ValueError as exc:
            failed += 1
            print(f"not replayed: {exc}", file=sys.stderr)
            continue
        print(f"replayed {item.id} ({item.article_id}) onto {dl.input_of(stage)} as {new_id}")
    return 1 if failed else 0


_FILTER_FLAGS = {"actor": "actor", "event_type": "event_type", "kind": "kind", "status": "status", "transition": "transition",
                 "country": "country", "place": "place", "language": "language", "story": "story"}


async def cmd_subscribe(args: argparse.Namespace, settings: Settings) -> int:
    from consumers.delivery import subscriptions as store
    from consumers.delivery.filters import FilterError, filter_from_pairs
    from schemas.subscriptions import SubscriptionRequest

    if args.action in ("add", "remove") and not args.target:
        raise SystemExit(f"storywatch subscribe {args.action}: give the {'URL' if args.action == 'add' else 'subscription id'}")
    request = None
    if args.action == "add":
        pairs = [(query, v) for attr, query in _FILTER_FLAGS.items() for v in getattr(args, attr)]
        pairs += [(n, getattr(args, n)) for n in ("min_sources", "min_confidence") if getattr(args, n) is not None]
        try:
            request = SubscriptionRequest(url=args.target, format=args.format, filter=filter_from_pairs(pairs),
                                          secret=args.secret, description=args.description, from_start=args.from_start)
        except (FilterError, ValidationError) as exc:
            print(f"storywatch subscribe: {exc}", file=sys.stderr)
            return 2
    redis = await _connect(settings)
    try:
        if request is not None:
            sub = await store.add(redis, request)
            if args.json:
                print(json.dumps(sub.public() | {"secret": sub.secret}, ensure_ascii=False))
            else:
                print(f"subscription {sub.id} -> {sub.url} ({sub.format.value})\nsigning secret (shown once): {sub.secret}")
            return 0
        if args.action == "remove":
            if not await store.remove(redis, args.target, settings.partitioning):
                print(f"storywatch subscribe: no subscription {args.target}", file=sys.stderr)
                return 1
            print(f"removed {args.target}")
            return 0
        subs = await store.load_all(redis)
        states = {s.id: await store.outbox_state(redis, s.id, settings.partitioning) for s in subs}
    finally:
        await redis.aclose()
    for sub in subs:
        record = sub.public() | states[sub.id]
        if args.json:
            print(json.dumps(record, ensure_ascii=False))
            continue
        flt = {k: v for k, v in sub.filter.model_dump(mode="json").items() if v}
        print(f"{sub.id}  {sub.url} ({sub.format.value})  waiting {states[sub.id]['waiting']}, dead letters {states[sub.id]['dead_letters']}\n    filter: {json.dumps(flt, ensure_ascii=False) if flt else 'every alert'}")
    return 0


async def _subscription_dlq(redis: Redis, args: argparse.Namespace) -> int:
    """``dlq list|show|replay --subscription ID``: the deliveries its target never accepted."""
    from consumers.delivery import subscriptions as store

    letters = await store.dead_letters(redis, args.subscription, args.limit if args.action != "show" else 100_000, args.partitioning)
    if args.action == "replay":
        if bool(args.ids) == args.all:
            raise ValueError("replay needs dead-letter ids or --all (not both)")
        for letter_id in args.ids or [i for i, _ in letters]:
            alert_id = await store.replay_dead_letter(redis, args.subscription, letter_id, args.partitioning)
            print(f"replayed {letter_id}: alert {alert_id} is due for delivery again")
        return 0
    shown = [(i, letter) for i, letter in letters if args.action == "list" or i in args.ids]
    if args.action == "show" and len(shown) < len(args.ids or [None]):
        raise ValueError(f"no such dead letter for {args.subscription}")
    for letter_id, letter in shown:
        if args.json or args.action == "show":
            print(json.dumps({"id": letter_id, **letter}, ensure_ascii=False, indent=2 if args.action == "show" else None))
        else:
            print(f"  {letter_id}  alert {letter['alert_id']}  after {letter['attempts']} attempt(s): {letter['error']}")
    if args.action == "list" and not args.json:
        print(f"{args.subscription}: {len(shown)} dead letter(s) listed")
    return 0


async def cmd_trim(args: argparse.Namespace, settings: Settings) -> int:
    from storywatch.retention import StoryRetention, retire_stories, trim_all

    redis = await _connect(settings)
    try:
        results = await trim_all(redis, settings.retention_hours, dry_run=args.dry_run, partitioning=settings.partitioning)
        policy = StoryRetention.of(settings)
        stories = await retire_stories(redis, policy, dry_run=args.dry_run, partitioning=settings.partitioning)
    finally:
        await redis.aclose()
    if args.json:
        print(json.dumps({"dry_run": args.dry_run, "streams": [r.as_dict() for r in results], "stories": [r.as_dict() for r in stories]}, indent=2))
        return 0
    verb = "would remove" if args.dry_run else "removed"
    print(f"{'stream':<18}{'keep (h)':>9}{'length':>10}{verb:>14}   floor (limited by)")
    for r in results:
        print(f"{r.stream:<18}{r.retention_hours:>9g}{r.length:>10}{r.removed:>14}   {r.floor} ({r.limited_by})")
    verb = "would be " if args.dry_run else ""
    print(f"\nstories archived > {settings.story_compact_after_days:g} days compacted, > {settings.story_delete_after_days:g} days deleted (story clock):")
    for s in stories:
        print(f"  partition {s.partition}: clock {s.clock or '-'}; {s.compacted} {verb}compacted, {s.deleted} {verb}deleted")
    return 0


async def cmd_schema(args: argparse.Namespace, _settings: Settings) -> int:
    from schemas.__main__ import main as write_schemas

    write_schemas([str(args.dir)] if args.dir else [])
    return 0


if __name__ == "__main__":
    sys.exit(main())
