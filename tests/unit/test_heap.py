"""The worker's collector policy: survivors frozen out of full passes, cycles still freed."""

from __future__ import annotations

import asyncio
import gc
import time
import weakref

import pytest

from storywatch import heap


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def cycle() -> weakref.ref[Node]:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.fixture(autouse=True)
def restore_collector():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_settle_frees_unfrozen_cycles_and_freezes_survivors() -> None:
    gc.unfreeze()
    kept = [Node() for _ in range(100)]
    dead = cycle()
    heap.settle()
    assert dead() is None  # garbage made since the last settle is still collected
    assert gc.get_freeze_count() >= len(kept)


def test_a_cycle_that_survived_a_young_pass_is_frozen_and_freed_by_the_full_collection() -> None:
    gc.unfreeze()
    a, b = Node(), Node()
    a.other, b.other = b, a
    ref = weakref.ref(a)
    gc.collect(0)  # alive: moved on to the next generation, which settle does not walk
    del a, b
    heap.settle()
    assert ref() is not None
    heap.full_collection()
    assert ref() is None


def test_full_collection_frees_a_cycle_that_became_garbage_while_frozen() -> None:
    a, b = Node(), Node()
    a.other, b.other = b, a
    ref = weakref.ref(a)
    heap.settle()
    del a, b
    gc.collect()
    assert ref() is not None  # frozen: the collector does not look at it
    heap.full_collection()
    assert ref() is None


async def test_keep_settled_turns_automatic_full_passes_off_and_restores_them() -> None:
    before = gc.get_threshold()
    stop = asyncio.Event()
    task = asyncio.create_task(heap.keep_settled(stop, interval_s=0.01, full_every_s=3600))
    await asyncio.sleep(0.05)
    assert gc.get_threshold()[2] == heap.NO_AUTOMATIC_FULL
    assert gc.get_threshold()[0] == max(before[0], heap.YOUNG_THRESHOLD)
    assert gc.get_freeze_count() > 0
    stop.set()
    await task
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


async def test_keep_settled_with_interval_zero_leaves_the_collector_alone() -> None:
    before = gc.get_threshold()
    await heap.keep_settled(asyncio.Event(), interval_s=0, full_every_s=3600)
    assert gc.get_threshold() == before


async def test_a_pass_waits_for_the_process_to_be_between_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(heap, "settle", lambda: seen.append("pass"))

    async def quiet() -> None:
        seen.append("asked")
        await asyncio.sleep(0.05)  # the batch in hand is committed
        seen.append("between batches")

    stop = asyncio.Event()
    task = asyncio.create_task(heap.keep_settled(stop, interval_s=0.5, full_every_s=3600, quiet=quiet))
    for _ in range(100):
        if len(seen) >= 3:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await task
    assert seen[:3] == ["asked", "between batches", "pass"]


async def test_a_process_never_between_batches_is_still_settled_once_an_interval_has_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    passes: list[float] = []
    monkeypatch.setattr(heap, "settle", lambda: passes.append(time.monotonic()))
    stop = asyncio.Event()
    task = asyncio.create_task(heap.keep_settled(stop, interval_s=0.05, full_every_s=3600, quiet=asyncio.Event().wait))
    for _ in range(200):  # the start's full collection of the test process's heap may take a while
        if len(passes) >= 2:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await task
    assert len(passes) >= 2
