"""Property-based tests of every parser at an entry point: they answer or reject, never crash.

``decode`` (stream entries), ``schemas.Article`` (the contract), ``read_jsonl`` (files)
and ``claimed_id`` (error messages) get arbitrary, hostile input: invalid UTF-8,
deep nesting, wrong types, control characters, markup. Each must return a value or a
rejection that says why; no input may raise anything else or vanish silently.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import assume, HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from consumers.stage_runtime import FAULT_ENV, Entry, Rejection, claimed_id, decode, injected_faults
from ingest.jsonl import read_jsonl
from ingest.seed_files import RecordError
from schemas import Article
from schemas.articles import MAX_TEXT_CHARS
from schemas.streams import DATA_FIELD
from storywatch.settings import Settings, redact

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
field_names = st.sampled_from(["id", "url", "source", "published_at", "language", "title", "text", "agency", "lead", "received_at", "x"])
article_like = st.dictionaries(field_names, json_values | st.text(alphabet=st.characters(codec="utf-8"), max_size=80), max_size=8)
hostile_texts = st.sampled_from([
    "<script>alert(1)</script> Das Treffen wurde abgesagt.",
    "Treffen\x00\x07\x1b[31m abgesagt\u202e",
    "<html><body onload=x()>Gipfel</body></html>",
    "\ud7ff\ufeff Gipfel \U0001f600",
])


def _deep(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


@given(st.binary(max_size=300))
def test_decode_answers_every_body(body: bytes) -> None:
    result = decode(Entry("1-0", {DATA_FIELD.encode(): body}), Article)
    assert isinstance(result, Article | Rejection)
    if isinstance(result, Rejection):
        assert result.error.startswith("entry 1-0") and result.article_id


@given(article_like)
def test_decode_answers_every_json_object(record: dict[str, object]) -> None:
    result = decode(Entry("2-0", {DATA_FIELD.encode(): json.dumps(record).encode()}), Article)
    if isinstance(result, Article):
        assert result.id and result.text.strip() and len(result.text) <= MAX_TEXT_CHARS
    else:
        assert isinstance(result, Rejection) and result.error


@given(st.dictionaries(st.binary(max_size=10), st.binary(max_size=30), max_size=3))
def test_entries_outside_the_contract_are_rejected_with_a_reason(fields: dict[bytes, bytes]) -> None:
    fields.pop(DATA_FIELD.encode(), None)
    result = decode(Entry("3-0", fields), Article)
    assert isinstance(result, Rejection) and DATA_FIELD in result.error


def test_deep_nesting_huge_text_and_bad_utf8_are_rejected() -> None:
    for body in (_deep(100_000), json.dumps({"text": "x" * (MAX_TEXT_CHARS + 1)}).encode(), b'{"text": "\xff\xfe"}', b'{"text": 5}', b"[]"):
        result = decode(Entry("4-0", {DATA_FIELD.encode(): body}), Article)
        assert isinstance(result, Rejection), body[:40]
    assert claimed_id(_deep(100_000)) is None


@given(hostile_texts)
def test_markup_and_control_characters_are_data_not_code(text: str) -> None:
    article = Article(text=text)
    assert article.text == text and article.id


@given(st.binary(max_size=400))
def test_claimed_id_never_raises(body: bytes) -> None:
    ident = claimed_id(body)
    assert ident is None or (isinstance(ident, str) and len(ident) <= 200)


@given(article_like)
def test_article_contract_validates_or_says_why(record: dict[str, object]) -> None:
    try:
        article = Article.model_validate(record)
    except ValidationError as exc:
        assert exc.errors()
    else:
        assert article.id and article.text.strip()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(st.lists(st.binary(max_size=120) | article_like.map(lambda r: json.dumps(r).encode()), max_size=8))
def test_read_jsonl_reports_every_nonblank_line(tmp_path: Path, lines: list[bytes]) -> None:
    lines = [line.replace(b"\n", b" ") for line in lines]
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines))
    items = list(read_jsonl(path))
    assert all(isinstance(i, Article | RecordError) for i in items)
    assert len(items) == sum(1 for line in lines if line.strip())


def test_fault_hook_is_inert_unless_set(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    entry = Entry("5-0", {DATA_FIELD.encode(): b'{"id": "poison-1", "text": "x"}'})
    monkeypatch.delenv(FAULT_ENV, raising=False)
    assert injected_faults("extract", [entry]) == {}
    monkeypatch.setenv(FAULT_ENV, "track:^poison-")
    assert injected_faults("extract", [entry]) == {}
    monkeypatch.setenv(FAULT_ENV, "extract:^poison-")
    assert "InjectedFault" in injected_faults("extract", [entry])["5-0"]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789%!~", min_size=6, max_size=30), st.sampled_from(["redis", "rediss"]), st.sampled_from(["", "worker"]))
def test_redact_never_shows_the_password(password: str, scheme: str, user: str) -> None:
    url = f"{scheme}://{user}:{password}@cache.internal:6380/2?password={password}"
    assume(password not in f"{scheme}://{user}:***@cache.internal:6380/2?password=***")  # it cannot hide in plain sight
    shown = redact(url)
    assert password not in shown
    assert shown.startswith(f"{scheme}://{user}:***@cache.internal:6380/2")


def test_settings_never_print_the_url_secret(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("STORYWATCH_REDIS_URL", "redis://:topsecret-pw@h:1/0")
    settings_ = Settings()
    assert "topsecret-pw" not in repr(settings_) and "topsecret-pw" not in str(settings_)
    assert settings_.redis_url_value() == "redis://:topsecret-pw@h:1/0"


def test_eval_keeps_a_given_extraction_budget_and_lifts_the_default(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from storywatch.cli import EVAL_EXTRACT_BUDGET_MS, eval_settings

    monkeypatch.delenv("STORYWATCH_EXTRACT_BUDGET_MS", raising=False)
    assert eval_settings(Settings()).extract_budget_ms == EVAL_EXTRACT_BUDGET_MS
    assert eval_settings(Settings(extract_budget_ms=7)).extract_budget_ms == 7
    monkeypatch.setenv("STORYWATCH_EXTRACT_BUDGET_MS", "9")
    assert eval_settings(Settings()).extract_budget_ms == 9


def test_an_outcome_without_stories_leaves_the_field_out_and_reads_back_empty() -> None:
    from consumers.stage_runtime import body
    from schemas import Outcome, OutcomeKind

    bare = Outcome(article_id="a1", kind=OutcomeKind.PROCESSED, stage="track")
    filed = Outcome(article_id="a2", kind=OutcomeKind.PROCESSED, stage="track", stories=["st-1", None])
    assert b"stories" not in body(bare)
    assert Outcome.model_validate_json(body(bare)).stories == []
    assert Outcome.model_validate_json(body(filed)).stories == ["st-1", None]
