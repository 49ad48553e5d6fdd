"""``bench.cpu_split``: every busy sample goes to exactly one part of the pipeline."""

from __future__ import annotations

from bench.cpu_split import OTHER, part_of, split

LOOP = "BaseEventLoop._run_once (asyncio/base_events.py:1922);Handle._run (asyncio/events.py:80)"
RUNTIME = f"{LOOP};StageRuntime._handle_once (consumers/stage_runtime.py:600);StageRuntime._decide_and_commit (consumers/stage_runtime.py:650)"


def frames(stack: str) -> list[str]:
    return stack.split(";")


def test_idle_and_startup_samples_are_left_out() -> None:
    assert part_of(frames(f"{LOOP};BaseSelector.select (selectors.py:468)")) is None
    assert part_of(frames("<module> (storywatch/cli.py:34);_find_and_load (<frozen importlib._bootstrap>:1176)")) is None


def test_the_innermost_part_wins_and_the_library_below_it_is_named() -> None:
    track = f"{RUNTIME};TrackStage.decide (consumers/track_stage.py:80);_decide (consumers/track_stage.py:200)"
    assert part_of(frames(f"{track};track_article (consumers/story_tracking.py:1372);find_story (consumers/story_tracking.py:820)")) == (
        "track: track_article (pure matching and status)")
    assert part_of(frames(f"{track};StoryStore.candidates (consumers/story_store.py:300);decode_head (consumers/story_store.py:90);"
                          "BaseModel.model_validate (pydantic/main.py:700)")) == "track: candidate lookup (index script, heads fetched and decoded) [pydantic]"
    assert part_of(frames(f"{RUNTIME};_commit_writes (consumers/stage_runtime.py:700);AbstractConnection._send_packed_command (redis/asyncio/connection.py:500)")) == (
        "runtime: commit sent and read [redis-py and the socket]")


def test_the_settle_pass_wins_wherever_it_is() -> None:
    assert part_of(frames(f"{LOOP};keep_settled (storywatch/heap.py:60);settle (storywatch/heap.py:40)")) == "settle pass (storywatch.heap)"


def test_a_sample_outside_every_part_is_the_loop_s() -> None:
    assert part_of(frames(f"{LOOP};StreamReaderProtocol.data_received (asyncio/streams.py:250)")) == f"{OTHER} [redis-py and the socket]"
    assert part_of(frames(f"{LOOP};TimerHandle._run (asyncio/events.py:90)")) == OTHER


def test_split_counts_busy_samples_by_part() -> None:
    lines = [
        f"{RUNTIME};ExtractStage.decide (consumers/extract_stage.py:40);extract (consumers/extraction/extract.py:124);_complete (consumers/extraction/extract.py:900) 7\n",
        f"{RUNTIME};ExtractStage.decide (consumers/extract_stage.py:40);extract (consumers/extraction/extract.py:119);Document.of (consumers/extraction/document.py:95) 3\n",
        f"{LOOP};BaseSelector.select (selectors.py:468) 50\n",
        "garbage line\n",
    ]
    parts, busy = split(lines)
    assert busy == 10
    assert parts["extract: _complete (participants and place from the context)"] == 7
    assert parts["extract: Document.of (cleaning, splitting, gates, event words of admitted sentences)"] == 3
