"""The progress line: counts, rate and errors, one line per interval when not on a terminal."""

from __future__ import annotations

import io

from ingest.progress import Progress, counted


def test_counts_rate_and_errors() -> None:
    out = io.StringIO()
    with Progress(stream=out, every=0) as progress:
        records = list(counted([1, ValueError("bad"), 2, 3], progress))
    assert len(records) == 4
    lines = out.getvalue().splitlines()
    assert len(lines) == 5  # one per record (every=0) and the final line
    assert lines[-1].startswith("published 3 (") and "/s), 1 errors" in lines[-1]


def test_quiet_between_intervals() -> None:
    out = io.StringIO()
    progress = Progress(label="read", stream=out, every=3600)
    for _ in range(1000):
        progress.tick()
    assert out.getvalue() == ""
    assert progress.close().startswith("read 1000 (")
