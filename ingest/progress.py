"""Progress of long publishes on stderr: count, rate, errors; plain text, no dependencies.

On a terminal the line is rewritten in place; otherwise (a log file, CI) one line is
written every ``every`` seconds, so logs stay readable.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")


class Progress:
    """Counts records and errors; ``tick``/``error`` as they happen, ``close`` at the end."""

    def __init__(self, label: str = "published", stream: TextIO | None = None, every: float = 1.0) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.every = every
        self.count = 0
        self.errors = 0
        self.started = time.monotonic()
        self._last = self.started
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def tick(self, n: int = 1) -> None:
        self.count += n
        self._maybe_show()

    def error(self, n: int = 1) -> None:
        self.errors += n
        self._maybe_show()

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        return f"{self.label} {self.count} ({self.count / elapsed:,.0f}/s), {self.errors} errors, {elapsed:.1f} s"

    def _maybe_show(self) -> None:
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            self.stream.write(("\r" + self.line()) if self._tty else self.line() + "\n")
            self.stream.flush()

    def close(self) -> str:
        """Write and return the final line."""
        final = self.line()
        self.stream.write(("\r" if self._tty else "") + final + "\n")
        self.stream.flush()
        return final

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def counted(records: Iterable[T], progress: Progress, is_error: type[BaseException] = Exception) -> Iterator[T]:
    """Pass records through, counting each as a tick or, when it is an ``is_error``, an error."""
    for record in records:
        if isinstance(record, is_error):
            progress.error()
        else:
            progress.tick()
        yield record
