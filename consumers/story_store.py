"""Where stories live in Redis (first cut: the track stage's current layout)."""

from __future__ import annotations

from collections.abc import Iterator

from consumers.stage_runtime import Writes
from schemas import Story, TimelineEntry


def commands(writes: Writes) -> Iterator[tuple[str | int, ...]]:
    """Fenced-commit writes as plain commands (for loading stories outside a stage)."""
    args, i = writes.args, 0
    while i < len(args):
        cmd, key, argc = args[i], writes.keys[int(args[i + 1]) - 2], int(args[i + 2])
        yield (cmd, key, *args[i + 3:i + 3 + argc])
        i += 3 + argc


def preload_commands(stories: list[tuple[Story, list[TimelineEntry]]]) -> Iterator[tuple[str | int, ...]]:
    from consumers.track_stage import _story_writes

    return commands(_story_writes([s for s, _ in stories], Writes()))
