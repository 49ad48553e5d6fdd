"""The shared dedup index in Redis: one atomic decide-and-insert per batch.

All keys of one decision carry the same hash tag, so the script also runs on Redis
Cluster. A re-delivered article finds the verdict it got the first time under its own
owner token and gets it again (``redelivery`` if it was unique), so processing stays
idempotent under at-least-once delivery. The owner token is opaque to the index.

Entries live in time buckets of one hash each (plus one string of signature records);
the script reads every field an article needs from a bucket with one HMGET. A bucket
expires as a whole once the window has passed, so memory is bounded by the window and
no per-entry TTL is needed.
"""

from __future__ import annotations

import math
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import numpy as np
import xxhash
from redis.asyncio import Redis

from consumers.fingerprint import NEAR_PARAMS, Fingerprint
from consumers.near_duplicates import NearParams, Thresholds
from schemas.streams import dedup_tag

FINGERPRINT_VERSION = "x3"
"""Bumped whenever hashing, normalisation or the key layout changes, so old and new keys never mix."""

DAY = 86400
_SCRIPT = resources.files("consumers.lua").joinpath("dedup_decide.lua").read_text()
_BUCKETS_PER_WINDOW = 4
"""Buckets a window is cut into: each bucket costs one HMGET per article, and an entry
lives between one window and one window plus a bucket."""
_NO_URL = bytes(9)
"""Stands in for the URL field of an article without a URL; never written."""


@dataclass(frozen=True)
class Verdict:
    article_id: str
    kind: str
    """``unique``, ``redelivery`` (same article again: not a duplicate) or a DuplicateKind."""
    duplicate_of: str | None = None
    similarity: float = 1.0
    """1.0 for exact copies; for near copies the estimated containment (shared shingles
    over the smaller text's shingles)."""

    @property
    def is_duplicate(self) -> bool:
        return self.kind not in ("unique", "redelivery")


@dataclass(frozen=True)
class Layout:
    """How time is cut into buckets; derived from the window."""

    bucket_seconds: int
    lookback: int

    @classmethod
    def plan(cls, window_seconds: int) -> Layout:
        bucket = max(1, math.ceil(window_seconds / _BUCKETS_PER_WINDOW))
        return cls(bucket_seconds=bucket, lookback=math.ceil(window_seconds / bucket))

    @property
    def tag(self) -> str:
        return f"w{self.bucket_seconds}"


class DedupIndex:
    def __init__(
        self,
        redis: Redis,
        window_seconds: int = 7 * DAY,
        *,
        thresholds: Thresholds = Thresholds(),
        params: NearParams = NEAR_PARAMS,
        max_candidates: int = 4,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``clock`` is injectable for tests."""
        self._redis = redis
        self._window = window_seconds
        self._layout = Layout.plan(window_seconds)
        self._tag = dedup_tag(f"{FINGERPRINT_VERSION}{params.version}{self._layout.tag}")
        if params.num_perm % 8:
            raise ValueError("the script compares signatures 8 values at a time: num_perm must be a multiple of 8")
        record = 4 + 2 * params.num_perm
        self._constants = [str(thresholds.jaccard), str(thresholds.containment), str(thresholds.jaccard_floor), max_candidates, record, thresholds.containment_min_shingles]
        self._clock = clock
        self._script = redis.register_script(_SCRIPT)

    async def decide(self, items: list[Fingerprint]) -> list[Verdict]:
        """Verdicts for a batch, in order: one script call, one round trip."""
        if not items:
            return []
        bucket, expire_at = self._bucket()
        args: list[str | bytes | int] = [bucket, self._layout.lookback, expire_at, *self._constants, len(items)]
        for fp in items:
            args.extend(_item_args(fp))
        replies = await self._script(keys=[self._tag], args=args)
        return [_verdict(fp, reply) for fp, reply in zip(items, replies, strict=True)]

    async def size(self) -> int:
        """Articles indexed within the window (one counter per bucket): for a gauge."""
        bucket, _ = self._bucket()
        async with self._redis.pipeline(transaction=False) as pipe:
            for d in range(bucket - self._layout.lookback, bucket + 1):
                pipe.hget(f"{self._tag}:h:{d}", "c")  # the bucket hash, as the script names it
            counts = await pipe.execute()
        return sum(int(v) for v in counts if v is not None)

    def _bucket(self) -> tuple[int, int]:
        """The current bucket and the unix time its keys expire: when the window has passed its end."""
        size = self._layout.bucket_seconds
        bucket = int(self._clock()) // size
        return bucket, (bucket + 1) * size + self._window


def _item_args(fp: Fingerprint) -> tuple[str, bytes, bytes]:
    """Owner, signature record, and the fields the script reads with one HMGET, packed
    into one argument (encoding a command costs the client per argument).

    Exact keys keep 8 bytes of their digest; a band keeps 4 bytes, which can collide by
    chance: that only adds a candidate, which the signature check then rejects.
    """
    digest = bytes.fromhex(fp.text_hash)
    url = b"u" + xxhash.xxh3_64_digest(fp.url_key.encode()) if fp.url_key else _NO_URL
    bands = np.frombuffer(fp.bands, dtype="<u4")[::2].tobytes()  # low half of each 8-byte digest
    fields = b"i" + xxhash.xxh3_64_digest(fp.article_id.encode()) + digest[8:16] + url + bands
    record = struct.pack("<I", fp.shingles) + fp.signature if fp.signature else b""
    return fp.article_id, record, fields


def _verdict(fp: Fingerprint, reply: list[bytes]) -> Verdict:
    kind, other, similarity = (x.decode() if isinstance(x, bytes) else str(x) for x in reply)
    if kind in ("unique", "redelivery"):
        return Verdict(fp.article_id, kind)
    return Verdict(fp.article_id, kind, duplicate_of=other, similarity=float(similarity))
