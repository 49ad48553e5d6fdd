"""Log lines: UTC timestamps with offset, structured fields, and the stack trace of a failure."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from storywatch import logs


@pytest.fixture
def captured() -> io.StringIO:
    stream = io.StringIO()
    yield stream
    logging.getLogger().handlers[:] = []


def _log_failure(stream: io.StringIO, as_json: bool) -> str:
    logs.configure("INFO", as_json)
    logging.getLogger().handlers[0].setStream(stream)  # type: ignore[attr-defined]
    try:
        raise KeyError("missing field")
    except KeyError:
        logging.getLogger("storywatch.test").error("entry failed", extra={"stage": "extract", "entry": "1-0"}, exc_info=True)
    return stream.getvalue()


def test_key_value_lines_have_an_offset_fields_then_the_trace(captured: io.StringIO) -> None:
    text = _log_failure(captured, as_json=False)
    first, *rest = text.splitlines()
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00 ERROR storywatch.test: entry failed stage=extract entry=1-0$", first), first
    assert rest[0] == "Traceback (most recent call last):" and "KeyError: 'missing field'" in rest[-1]


def test_json_lines_carry_the_trace(captured: io.StringIO) -> None:
    record = json.loads(_log_failure(captured, as_json=True))
    assert record["ts"].endswith("+00:00") and record["stage"] == "extract"
    assert "Traceback" in record["exc"] and "KeyError" in record["exc"]


async def test_a_stage_failure_is_logged_with_its_stack_trace(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from consumers import extract_stage
    from consumers.stage_runtime import Entry, Item, View
    from schemas import UniqueArticle

    def broken(*_args: object) -> object:
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(extract_stage, "extract", broken)
    unique = UniqueArticle.model_validate({"article": {"id": "a1", "text": "Das Treffen findet statt.", "published_at": "2025-10-21T10:00:00+00:00"}, "text_hash": "h"})
    entry = Entry("1-0", {b"__data__": unique.model_dump_json().encode()})
    stage = extract_stage.ExtractStage()
    with caplog.at_level(logging.ERROR):
        out = await stage.decide([Item(entry, unique)], View(None, None))  # type: ignore[arg-type]  # decide() does not touch Redis
    assert "RuntimeError: extractor bug" in out.failed["1-0"]
    failures = [r for r in caplog.records if r.exc_info]
    assert failures and failures[0].exc_info[0] is RuntimeError
