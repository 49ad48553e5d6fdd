"""Logging through the standard library, with structured fields.

Pass fields as ``extra={...}``; they are printed as ``key=value`` (or as JSON lines
with ``--log-json``) so that log shippers can index them. Timestamps are ISO 8601 in
UTC with their offset, so lines from hosts in different zones sort and compare; a
failure logged with ``exc_info`` carries its stack trace after its fields.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "taskName"}


def timestamp(record: logging.LogRecord) -> str:
    """The record's time as ISO 8601 UTC with milliseconds and offset (``...T14:03:07.123+00:00``)."""
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


def _fields(record: logging.LogRecord) -> dict[str, object]:
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD}


class _KeyValueFormatter(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 (logging's name)
        return timestamp(record)

    def format(self, record: logging.LogRecord) -> str:
        record.message = record.getMessage()
        record.asctime = self.formatTime(record)
        line = self.formatMessage(record) + "".join(f" {k}={v}" for k, v in _fields(record).items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {"ts": timestamp(record), "level": record.levelname, "logger": record.name, "msg": record.getMessage()}
        payload |= _fields(record)
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str, ensure_ascii=False)


def configure(level: str = "INFO", as_json: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonFormatter() if as_json else _KeyValueFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("faststream").setLevel(max(logging.WARNING, root.level))
