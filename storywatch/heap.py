"""Keeping the cyclic garbage collector's full passes short in a long-running worker.

A worker holds many long-lived objects: the lexicons and gazetteer loaded at start, and
up to ``story_store.CACHE_SIZE`` decoded story heads (about 450,000 objects for 20,000
heads). CPython's full collection walks every one of them, and it runs whenever enough
objects have been promoted since the last one, which a cache that keeps replacing heads
does every few seconds: each pass stopped the event loop for 140 ms on a quiet machine
(more under load), which was the tail of publication -> alert latency. Those objects are
almost never cyclic garbage: heads, models and lexicon tables are trees, freed by
reference counting when evicted (a measured run's full passes found 50 objects in all).

So, every ``interval_s``: the youngest generation is collected (what was allocated
since the collector's last young pass) and every survivor is moved out of the
collector's sight (``gc.freeze``); the collector's own full passes are turned off
meanwhile, so none walks the frozen heap. Reference counting still frees frozen objects;
only a frozen object that is, or later becomes, part of a garbage cycle would stay, so
every ``full_every_s`` the whole heap is collected once (one long pause an hour instead of
one every few seconds).

The settle pass walks only the youngest generation, not the older unfrozen ones (what
survived a young pass since the last settle): cyclic garbage dies young, and the older
generations, which hold a second's new story heads and memo entries, were most of the
pass's time while holding none. Measured in one process on the realistic mix
(``bench.stage_cpu``, 3,000 articles, 50,000 live stories): the young, middle and old
generations took 459, 603 and 648 ms over the run's passes (20-100 ms a pass while
tracking, on a loaded machine) and held 9, 0 and 0 objects of garbage.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


NO_AUTOMATIC_FULL = 1_000_000_000
"""Third collector threshold while ``keep_settled`` runs: its own passes replace them."""

YOUNG_THRESHOLD = 50_000
"""First collector threshold while ``keep_settled`` runs (CPython's default is 700).

A batch allocates hundreds of thousands of short-lived objects (decoded entries, story
heads, extraction layers); almost all are freed by reference counting, but every 700
net allocations the collector walked the young survivors, and a survivor of a whole
batch was walked again and again until promoted: 3-4% of a worker's CPU in the
realistic benchmark's profile. With the settle pass collecting (and freezing) every
second anyway, a young pass every 50,000 allocations keeps at most that many objects
of cyclic garbage waiting for it, a few MB."""


def settle() -> None:
    """Collect the youngest generation, then exempt every survivor (of any generation)
    from later passes."""
    gc.collect(0)
    gc.freeze()


def full_collection() -> int:
    """Collect the whole heap, frozen objects included, then freeze the survivors again."""
    gc.unfreeze()
    found = gc.collect()
    gc.freeze()
    return found


async def keep_settled(stop: asyncio.Event, interval_s: float, full_every_s: float, quiet: Callable[[], Awaitable[None]] | None = None) -> None:
    """``settle`` every ``interval_s`` and run a ``full_collection`` every ``full_every_s``
    until ``stop`` is set (``interval_s`` <= 0: leave the collector as it is).

    ``quiet``: awaited (at most ``interval_s``) before each pass, until the process has no
    batch in hand. A pass stops the event loop; started by the clock alone it landed
    between a batch's round trips and held the batch (and every batch of the process's
    other stages) for its length. Between batches it delays only what arrives during it."""
    if interval_s <= 0:
        return
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], YOUNG_THRESHOLD), thresholds[1], NO_AUTOMATIC_FULL)
    full_collection()  # what start-up left behind, then the start-up heap frozen
    last_full = time.monotonic()
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval_s)
        if stop.is_set():
            break
        if quiet is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(quiet(), timeout=interval_s)
        if time.monotonic() - last_full >= full_every_s:
            started = time.perf_counter()
            found = full_collection()
            last_full = time.monotonic()
            log.info("full garbage collection", extra={"collected": found, "ms": round((time.perf_counter() - started) * 1e3, 1)})
        else:
            settle()
    gc.unfreeze()
    gc.set_threshold(*thresholds)
