"""The ``storywatch`` command: one entry point, one subcommand per job."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import logging
import signal
import sys
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from consumers.stages import STAGE_NAMES as STAGES
from schemas.streams import ALERTS
from storywatch import __version__, logs
from storywatch.connections import connect
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
  storywatch dlq replay --all --stage extract  re-inject them after a fix
"""


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    for name in ("redis_url", "data_dir", "seeds_dir", "metrics_port", "metrics_host", "batch_size", "claim_idle_ms", "max_deliveries", "log_level"):
        value = getattr(args, name, None)
        if value is not None:
            overrides[name] = value
    if getattr(args, "log_json", False):
        overrides["log_json"] = True
    return Settings(**overrides)


def _add_common(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("connection and logging")
    g.add_argument("--redis-url", metavar="URL", help="redis://[user:pass@]host:port/db, rediss:// for TLS (default: embedded server)")
    g.add_argument("--log-level", metavar="LEVEL", help="DEBUG, INFO, WARNING or ERROR (default INFO)")
    g.add_argument("--log-json", action="store_true", help="log one JSON object per line")


def _add_runtime(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("stages")
    g.add_argument("--metrics-port", type=int, metavar="PORT", help="serve /metrics, /health, /ready, /articles here (default 9108; 0 = off)")
    g.add_argument("--metrics-host", metavar="HOST", help="address to bind the HTTP server to (default 127.0.0.1)")
    g.add_argument("--batch-size", type=int, metavar="N", help="entries read per batch (default 100)")
    g.add_argument("--claim-idle-ms", type=int, metavar="MS", help="reclaim entries pending longer than this (default 30000)")
    g.add_argument("--max-deliveries", type=int, metavar="N", help="dead-letter an entry after N deliveries (default 5)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="storywatch", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"storywatch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_: str, description: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
        _add_common(p)
        return p

    p = command("run", "run everything on the seeds and print alerts (the main job)",
                "Start the server (embedded unless --redis-url), all stages and the HTTP endpoints,\n"
                "publish the seed articles in publication order, and print every alert as it arrives.\n"
                "Runs until Ctrl-C. The embedded server keeps its data in --data-dir with AOF on.")
    _add_runtime(p)
    p.add_argument("--seeds-dir", type=Path, metavar="DIR", help="articles to publish at start (default ./seeds)")
    p.add_argument("--data-dir", type=Path, metavar="DIR", help="embedded server's data directory (default ./.storywatch)")
    p.add_argument("--exit-when-idle", action="store_true", help="stop once everything published has been processed")
    p.set_defaults(func=cmd_run)

    p = command("replay", "batch mode: run inputs through the pipeline and write results",
                "Publish every input (sorted by published_at), wait until every stage has processed it,\n"
                "then write DIR/decisions.jsonl (one line per input record), DIR/stories.json and\n"
                "DIR/alerts.jsonl. Uses a fresh embedded server unless --redis-url is given.")
    p.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="JSONL file of Article records, or a directory of articles")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="where the three result files go")
    p.add_argument("--timeout", type=float, default=300, metavar="S", help="give up waiting after S seconds (default 300)")
    _add_runtime(p)
    p.set_defaults(func=cmd_replay, metrics_port=0)

    p = command("eval", "measure extraction, clustering and alerts against labels",
                "Run a labelled set through the real pipeline (as replay does) and print per-article\n"
                "status accuracy, B-cubed precision/recall/F1 of the story clustering, alert precision\n"
                "and recall against the labelled transitions, and the status confusion matrix.\n"
                "LABELS is labels.json or the directory holding it and articles.jsonl.\n"
                "The exit status is 1 when a figure is below its --min-* threshold.")
    p.add_argument("labels", type=Path, metavar="LABELS")
    p.add_argument("--articles", type=Path, metavar="JSONL", help="the articles (default: articles.jsonl beside the labels)")
    p.add_argument("--out", type=Path, metavar="DIR", help="also write the replay files here")
    p.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    p.add_argument("--min-status-accuracy", type=float, default=0.0, metavar="X")
    p.add_argument("--min-bcubed-f1", type=float, default=0.0, metavar="X")
    p.add_argument("--timeout", type=float, default=300, metavar="S")
    _add_runtime(p)
    p.set_defaults(func=cmd_eval, metrics_port=0)

    p = command("publish", "publish articles onto the articles stream",
                "Read articles from files and directories (seed format, .jsonl, .html, feed files) or\n"
                "from feeds (--feed) and publish them. Bad records are reported by file and line and\n"
                "skipped; the exit status is 1 when any record was rejected.")
    p.add_argument("inputs", nargs="*", type=Path, metavar="INPUT")
    p.add_argument("--feed", action="append", default=[], metavar="URL", help="poll this RSS/Atom feed once (repeatable)")
    p.set_defaults(func=cmd_publish)

    p = command("ingest", "keep polling feeds and publishing new items",
                "Poll every --feed each --interval seconds with conditional GET, publishing items not\n"
                "seen before (seen items are remembered in Redis, so a restart does not republish).")
    p.add_argument("--feed", action="append", required=True, metavar="URL", help="RSS/Atom feed URL or file (repeatable)")
    p.add_argument("--interval", type=float, default=300, metavar="S", help="seconds between polls (default 300)")
    p.set_defaults(func=cmd_ingest)

    p = command("worker", "run pipeline stages against a Redis server",
                "Run one stage or all of them until SIGTERM/Ctrl-C. Start as many workers as you\n"
                "like: each stage is a consumer group, so they share the work.")
    p.add_argument("--stage", type=_stage_list, default=STAGES, metavar="STAGES",
                   help="dedup, extract, track, a comma-separated list (extract,track) or all (default)")
    _add_runtime(p)
    p.set_defaults(func=cmd_worker)

    p = command("alerts", "print alerts", "Print the alerts on the alerts stream; --follow waits for new ones.")
    p.add_argument("--follow", "-f", action="store_true", help="keep waiting for new alerts")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--since", default="-", metavar="ID", help="start after this stream id (default: the beginning)")
    p.set_defaults(func=cmd_alerts)

    p = command("stats", "stream lengths, pending and lag per group, outcomes, dead letters",
                "Per stream its length, per consumer group the entries pending (delivered, not\n"
                "acknowledged) and the lag (not yet delivered), the outcome of every article\n"
                "(processed, duplicate, rejected, dead-lettered) and what is still in flight.")
    p.add_argument("--json", action="store_true", help="print JSON")
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
    p.add_argument("--all", action="store_true", help="replay: every dead letter (of --stage, or of all stages)")
    p.add_argument("--limit", type=int, default=100, metavar="N", help="list/replay --all: at most N per stage (default 100)")
    p.add_argument("--json", action="store_true", help="list/show: print JSON")
    p.set_defaults(func=cmd_dlq)

    p = sub.add_parser("schema", help="write the JSON Schema of every stream message", description="Write the JSON Schemas of the wire contract to DIR (or stdout).")
    p.add_argument("dir", nargs="?", type=Path, metavar="DIR")
    p.set_defaults(func=cmd_schema)
    return parser


def _stage_list(value: str) -> tuple[str, ...]:
    names = STAGES if value == "all" else tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    unknown = [n for n in names if n not in STAGES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown stage {', '.join(unknown) or value!r}; choose from {', '.join(STAGES)} or all")
    return names


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = _settings(args) if hasattr(args, "redis_url") else Settings()
    logs.configure(settings.log_level, settings.log_json)
    try:
        return int(asyncio.run(args.func(args, settings)) or 0)
    except KeyboardInterrupt:
        return 130


def _require_url(settings: Settings) -> str:
    url = settings.redis_url_value()
    if not url:
        raise SystemExit("storywatch: this command needs a server: give --redis-url or set STORYWATCH_REDIS_URL")
    return url


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
    async with redis_endpoint(settings) as (url, embedded):
        redis = connect(url)
        async with _serving(url, settings, STAGES, redis) as workers:
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
            printer = asyncio.create_task(_print_alerts(redis, start, follow=True, as_json=False))
            records = list(read_inputs([settings.seeds_dir]))
            for err in (r for r in records if isinstance(r, RecordError)):
                print(f"rejected: {err}", file=sys.stderr)
            articles = by_publication([r for r in records if not isinstance(r, RecordError)])
            await publish_articles(redis, articles)
            print(f"published {len(articles)} articles from {settings.seeds_dir}", flush=True)
            if args.exit_when_idle:
                await wait_until_idle(redis)
                await asyncio.sleep(0.3)
            else:
                print("watching for alerts; Ctrl-C to stop", flush=True)
                if not await _until_stopped(stop, workers):
                    status = 3
            printer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await printer
            await _print_summary(redis)
        await redis.aclose()
    return status


@contextlib.asynccontextmanager
async def _serving(url: str, settings: Settings, stages: tuple[str, ...], redis: Redis):  # type: ignore[no-untyped-def]
    from storywatch.http_server import HttpServer, make_app
    from storywatch.workers import Workers

    workers = Workers(url, settings, stages)
    http = HttpServer(make_app(redis, lambda: workers.healthy), settings.metrics_host, settings.metrics_port)
    await workers.start()
    try:
        await http.start()
        try:
            yield workers
        finally:
            await http.stop()
    finally:
        await workers.stop()


async def _print_summary(redis: Redis) -> None:
    from storywatch.service import load_stories, outcome_counts

    counts = await outcome_counts(redis)
    stories = await load_stories(redis)
    print("articles: " + ", ".join(f"{v} {k}" for k, v in counts.items()), flush=True)
    print(f"stories: {len(stories)}", flush=True)
    for story in stories:
        print(f"  {story.status.value:<11} {story.title}  [{story.story_id}]", flush=True)


async def _print_alerts(redis: Redis, since: str, follow: bool, as_json: bool) -> None:
    from schemas import Alert
    from schemas.streams import ALERTS, DATA_FIELD
    from storywatch.alert_view import format_alert

    last = since if since != "-" else "0-0"
    while True:
        reply = await redis.xread({ALERTS: last}, count=100, block=1000 if follow else None)
        if not reply:
            if not follow:
                return
            continue
        for entry_id, fields in reply[0][1]:
            last = entry_id.decode()
            alert = Alert.model_validate_json(fields[DATA_FIELD.encode()])
            print(alert.model_dump_json() if as_json else format_alert(alert), flush=True)


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
    async with redis_endpoint(settings, fresh=True) as (url, _embedded):
        redis = connect(url)
        async with _serving(url, settings, STAGES, redis):
            entry_ids = await publish_articles(redis, articles)
            if not await wait_until_idle(redis, timeout=timeout):
                print(f"storywatch: not done after {timeout} s; writing what was processed", file=sys.stderr)
            decisions = await collect_decisions(redis, list(zip(articles, entry_ids, strict=True)), errors)
            stories = await load_stories(redis)
            alerts = [a for _, a in await read_alerts(redis)]
        await redis.aclose()
    return decisions, stories, alerts, errors


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


async def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from consumers.evaluation import evaluate, format_report
    from storywatch.service import write_replay_output

    labels = args.labels / "labels.json" if args.labels.is_dir() else args.labels
    articles = args.articles or labels.parent / "articles.jsonl"
    decisions, stories, alerts, _errors = await replay([articles], settings, args.timeout)
    if args.out:
        write_replay_output(args.out, decisions, stories, alerts)
    report = evaluate(with_copied_claims(decisions), [json.loads(a.model_dump_json()) for a in alerts], labels)
    print(format_report(report))
    if args.json:
        args.json.write_text(json.dumps(dataclasses.asdict(report), indent=2, default=str) + "\n")
    failed = [
        name for name, value, floor in (
            ("status accuracy", report.status_accuracy, args.min_status_accuracy),
            ("B-cubed F1", report.bcubed[2], args.min_bcubed_f1),
        ) if value < floor
    ]
    for name in failed:
        print(f"below threshold: {name}", file=sys.stderr)
    return 1 if failed else 0


# --- publish / ingest ------------------------------------------------------------

async def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.feed_poller import poll_feed
    from ingest.progress import Progress, counted
    from ingest.publisher import publish_articles
    from ingest.seed_files import RecordError
    from ingest.sources import read_inputs

    if not args.inputs and not args.feed:
        raise SystemExit("storywatch publish: give files, directories or --feed URL")
    redis = connect(_require_url(settings))
    rejected = 0
    try:
        with Progress("published") as progress:
            batch = []
            for record in counted(read_inputs(args.inputs), progress, RecordError):
                if isinstance(record, RecordError):
                    rejected += 1
                    print(f"rejected: {record}", file=sys.stderr)
                    continue
                batch.append(record)
                if len(batch) >= 500:
                    await publish_articles(redis, batch)
                    batch = []
            await publish_articles(redis, batch)
        for feed in args.feed:
            result = await poll_feed(redis, feed)
            print(result.summary())
            rejected += len(result.errors)
    finally:
        await redis.aclose()
    return 1 if rejected else 0


async def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.feed_poller import follow_feeds

    redis = connect(_require_url(settings))
    try:
        await follow_feeds(redis, args.feed, args.interval, _stop_event(), on_result=lambda r: print(r.summary(), flush=True))
    finally:
        await redis.aclose()
    return 0


# --- worker ----------------------------------------------------------------------

async def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    url = _require_url(settings)
    stages = args.stage
    stop = _stop_event()
    redis = connect(url)
    async with _serving(url, settings, stages, redis) as workers:
        log.info("worker running", extra={"stages": ",".join(stages), "redis": redact(url)})
        ok = await _until_stopped(stop, workers)
    await redis.aclose()
    if not ok:
        print(f"storywatch worker: {workers.failure}; exiting so that a restart recreates the groups", file=sys.stderr)
        return 3
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
    redis = connect(_require_url(settings))
    try:
        await _print_alerts(redis, args.since, args.follow, args.json)
    finally:
        await redis.aclose()
    return 0


async def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from storywatch.service import outcome_counts
    from storywatch.workers import update_gauges

    from storywatch.service import published_count

    redis = connect(_require_url(settings))
    try:
        streams = await update_gauges(redis)
        counts = await outcome_counts(redis)
        published = await published_count(redis)
    finally:
        await redis.aclose()
    in_flight = max(0, published - sum(counts.values()))
    if args.json:
        print(json.dumps({"streams": streams, "published": published, "outcomes": counts, "in_flight": in_flight}, indent=2))
        return 0
    print(f"{'stream':<22}{'length':>9}   group: pending / lag")
    for stream, info in streams.items():
        groups = "  ".join(f"{g}: {v['pending']} / {v['lag'] if v['lag'] is not None else '?'}" for g, v in info["groups"].items())
        print(f"{stream:<22}{info['length']:>9}   {groups}")
    print(f"\npublished {published}; outcomes: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + f"; in flight {in_flight}")
    return 0


async def cmd_dlq(args: argparse.Namespace, settings: Settings) -> int:
    redis = connect(_require_url(settings))
    try:
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


async def _dlq_list(redis: Redis, args: argparse.Namespace) -> int:
    from storywatch import dead_letters as dl

    for stage in dl.stage_names(args.stage):
        letters = await dl.list_letters(redis, stage, args.limit)
        if args.json:
            for item in letters:
                print(json.dumps({"id": item.id, "article_id": item.article_id, **item.letter.model_dump()}, ensure_ascii=False))
            continue
        total = await redis.xlen(dl.dlq_of(stage))
        print(f"{stage}: {total} dead letter(s) on {dl.dlq_of(stage)}")
        for item in letters:
            print("  " + dl.describe(stage, item))
    return 0


async def _dlq_show(redis: Redis, args: argparse.Namespace) -> int:
    from storywatch import dead_letters as dl

    if not args.ids:
        raise ValueError("show needs a dead-letter id (see: storywatch dlq list)")
    for letter_id in args.ids:
        found = await dl.find_letter(redis, letter_id, args.stage)
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
        targets = [(stage, item) for stage in dl.stage_names(args.stage) for item in await dl.list_letters(redis, stage, args.limit)]
    else:
        targets = []
        for letter_id in args.ids:
            found = await dl.find_letter(redis, letter_id, args.stage)
            if found is None:
                raise ValueError(f"no dead letter {letter_id}")
            targets.append(found)
    failed = 0
    for stage, item in targets:
        try:
            new_id = await dl.replay(redis, stage, item)
        except ValueError as exc:
            failed += 1
            print(f"not replayed: {exc}", file=sys.stderr)
            continue
        print(f"replayed {item.id} ({item.article_id}) onto {dl.input_of(stage)} as {new_id}")
    return 1 if failed else 0


async def cmd_schema(args: argparse.Namespace, _settings: Settings) -> int:
    from schemas.__main__ import main as write_schemas

    write_schemas([str(args.dir)] if args.dir else [])
    return 0


if __name__ == "__main__":
    sys.exit(main())
