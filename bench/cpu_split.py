"""Where a worker's CPU goes, split over the whole pipeline: py-spy samples of each worker
process during the realistic benchmark, each busy sample given to exactly one part.

    python -m bench.cpu_split [--articles 8000] [--live 50000] [--layout dedup,track/extract] [--rate 200] [--out DIR]
    python -m bench.cpu_split --offered 20 --seconds 30 [--live 50000] [--layout dedup,track/extract]
    python -m bench.cpu_split --raw DIR/*.txt

The first form runs ``bench.realistic_bench`` (one repeat, no latency run) and attaches
``py-spy record -f raw`` (``pip install py-spy``; not a dependency of the project) to every
``storywatch worker`` it starts; the second splits raw files recorded before. Samples of
the event loop waiting (``select``) and of start-up (imports) are left out: the shares are
of the process's busy time on batches. Each sample goes to the innermost stage part on its
stack (``PARTS``, the deepest frame that names one), and, below that part, the library it
was in when the sample was taken (redis-py and the socket, pydantic); the settle pass, the
metrics and logging win wherever they are. The shares add up to 100% per process.
``--offered`` profiles the latency run instead: articles published at that rate for
``--seconds``, so batches are as small as a live feed's (a backlog's are 100 long).
"""

from __future__ import annotations

import argparse
import glob
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

OVERALL = (
    ("settle pass (storywatch.heap)", "storywatch/heap.py"),
    ("metrics (prometheus-client)", "prometheus_client/"),
    ("metrics (prometheus-client)", "consumers/metrics.py"),
    ("logging", "logging/__init__.py"),
)
"""Parts that own a sample wherever they are on its stack (checked innermost first)."""

PARTS = (
    ("FastStream and fast-depends", "faststream/"),
    ("FastStream and fast-depends", "fast_depends/"),
    ("runtime: reading, fencing, bookkeeping", "consumers/stage_runtime.py"),
    ("runtime: entries decoded (pydantic)", "decode (consumers/stage_runtime.py"),
    ("runtime: bodies encoded (pydantic)", "body (consumers/stage_runtime.py"),
    ("runtime: commit sent and read", "_commit_writes (consumers/stage_runtime.py"),
    ("dedup: decide", "DedupStage.decide"),
    ("dedup: fingerprints", "consumers/fingerprint.py"),
    ("dedup: fingerprints", "consumers/near_duplicates.py"),
    ("dedup: index script", "consumers/dedup_index.py"),
    ("extract: stage", "consumers/extract_stage.py"),
    ("extract: Document.of (cleaning, splitting, gates, event words of admitted sentences)", "Document.of (consumers"),
    ("extract: claim_sentences (cues, anaphors)", "Document.claim_sentences"),
    ("extract: analysis of claim sentences (names, event words, cues, source)", "_analysis (consumers"),
    ("extract: frames and drafts", "_drafts (consumers"),
    ("extract: _complete (participants and place from the context)", "_complete (consumers"),
    ("extract: mentions made", "_mention (consumers"),
    ("track: stage (batch state, corroboration)", "consumers/track_stage.py"),
    ("track: candidate lookup (index script, heads fetched and decoded)", "StoryStore.candidates"),
    ("track: heads encoded, index re-scored", "StoryStore.writes"),
    ("track: candidates sorted per article (story_store.Candidates)", "Candidates."),
    ("track: track_article (pure matching and status)", "track_article (consumers"),
)
"""Stage parts by a substring of a frame; the innermost frame that names one decides."""

LIBRARIES = (
    ("redis-py and the socket", "/redis/"),
    ("redis-py and the socket", "redis/asyncio"),
    ("redis-py and the socket", "storywatch/connections.py"),
    ("redis-py and the socket", "asyncio/selector_events.py"),
    ("redis-py and the socket", "asyncio/streams.py"),
    ("pydantic", "pydantic/"),
)
"""Libraries a sample was in below its part (innermost first)."""

OTHER = "event loop and other"


def _idle_or_startup(frames: list[str]) -> bool:
    return "select (selectors.py" in frames[-1] or any("_find_and_load" in f for f in frames) or not any("Handle._run" in f for f in frames)


def part_of(frames: list[str]) -> str | None:
    """The part one busy sample belongs to (frames outermost first), None for idle or start-up."""
    if not frames or _idle_or_startup(frames):
        return None
    for frame in reversed(frames):
        for name, marker in OVERALL:
            if marker in frame:
                return name
    part, at = OTHER, 0
    for i, frame in enumerate(frames):
        for name, marker in PARTS:
            if marker in frame:
                part, at = name, i
    for frame in reversed(frames[at:]):
        if "faststream" in frame:
            continue
        for name, marker in LIBRARIES:
            if marker in frame:
                return f"{part} [{name}]"
    return part


def split(lines: Iterable[str]) -> tuple[Counter[str], int]:
    """Busy samples per part of ``py-spy record -f raw`` lines (``frame;frame;... count``)."""
    parts: Counter[str] = Counter()
    busy = 0
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        part = part_of(stack.split(";"))
        if part is not None:
            parts[part] += int(count)
            busy += int(count)
    return parts, busy


def table(name: str, parts: Counter[str], busy: int, floor: float = 0.002) -> str:
    rows = [f"| `{name}` part ({busy:,} busy samples) | share |", "|---|---|"]
    rows += [f"| {part} | {100 * n / busy:.1f}% |" for part, n in parts.most_common() if busy and n / busy >= floor]
    return "\n".join(rows)


def _stage_names(pid: int) -> str | None:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    if b"worker" not in argv or b"--stage" not in argv:
        return None
    return argv[argv.index(b"--stage") + 1].decode()


def _children(parent: int) -> list[int]:
    """The processes whose parent is ``parent`` (from /proc)."""
    found = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.split("/")[2]))
    return found


def record(args: argparse.Namespace) -> list[Path]:
    """Run the realistic benchmark with py-spy on each worker it starts; the raw files."""
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.offered:
        run = ["--articles", str(int(args.offered * args.seconds)), "--layouts", "--latency-layout", args.layout, "--rate", str(args.offered), "--seconds", str(args.seconds)]
    else:
        run = ["--articles", str(args.articles), "--layouts", args.layout, "--rate", "0"]
    bench = subprocess.Popen(
        [sys.executable, "-m", "bench.realistic_bench", "--live", str(args.live), "--repeat", "1", *run],
        stdout=(out / "bench.txt").open("w"), stderr=subprocess.STDOUT,
    )
    spies: dict[int, tuple[subprocess.Popen[bytes], Path]] = {}
    while bench.poll() is None:
        for pid in _children(bench.pid):
            stages = _stage_names(pid)
            if stages is not None and pid not in spies:
                path = out / f"{stages.replace(',', '_')}.{pid}.txt"
                spies[pid] = (subprocess.Popen(["py-spy", "record", "-r", str(args.rate), "-f", "raw", "-o", str(path), "--pid", str(pid)],
                                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), path)
        time.sleep(0.2)
    for spy, _ in spies.values():
        spy.wait(timeout=60)
    print((out / "bench.txt").read_text())
    return [path for _, path in spies.values() if path.exists()]


def main(args: argparse.Namespace) -> None:
    paths = [Path(p) for pattern in args.raw for p in sorted(glob.glob(pattern))] if args.raw else record(args)
    for path in paths:
        with path.open() as lines:
            parts, busy = split(lines)
        print(table(path.name.split(".")[0].replace("_", ","), parts, busy) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=8000)
    parser.add_argument("--live", type=int, default=50_000)
    parser.add_argument("--layout", default="dedup,track/extract")
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    parser.add_argument("--offered", type=int, default=0, help="profile the latency run at this many articles/s instead of a backlog")
    parser.add_argument("--seconds", type=float, default=30, help="length of the --offered run")
    parser.add_argument("--out", default=os.path.join("/tmp", "storywatch-cpu-split"))
    parser.add_argument("--raw", nargs="*", help="split these py-spy raw files instead of running the benchmark")
    main(parser.parse_args())
