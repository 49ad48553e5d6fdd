"""The shared dedup index in Redis: one atomic decide-and-insert per article.

All keys of one decision carry the same hash tag, so the script also runs on Redis
Cluster. A re-delivered article finds the verdict it got the first time under its own
id and gets it again (``redelivery`` if it was unique), so processing stays idempotent
under at-least-once delivery.

Entries live in time buckets (one per day by default) of small hashes that Redis keeps
as compact listpacks; a bucket expires as a whole once the window has passed, so memory
is bounded by the window and no per-entry TTL is needed.
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
from schemas.streams import KEY_PREFIX

FINGERPRINT_VERSION = "x2"
"""Bumped whenever hashing, normalisation or the key layout changes, so old and new keys never mix."""

DAY = 86400
_SCRIPT = resources.files("consumers.lua").joinpath("dedup_decide.lua").read_text()
_ENTRIES_PER_HASH = 64
"""Target fill of a bucket hash: well below Redis' default listpack limit of 128 entries."""


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
    """How keys are cut into buckets and shards; derived from window and expected volume."""

    bucket_seconds: int
    lookback: int
    exact_bits: int
    band_bits: int

    @classmethod
    def plan(cls, window_seconds: int, articles_per_day: int, bands: int) -> Layout:
        bucket = min(DAY, window_seconds)
        return cls(
            bucket_seconds=bucket,
            lookback=math.ceil(window_seconds / bucket),
            exact_bits=_shard_bits(articles_per_day * 3),  # text owner, own verdict, url owner
            band_bits=_shard_bits(articles_per_day * bands),
        )

    @property
    def tag(self) -> str:
        return f"e{self.exact_bits}b{self.band_bits}"


def _shard_bits(entries_per_day: int) -> int:
    """Shards so that one day's entries fill each hash to about ``_ENTRIES_PER_HASH``."""
    return max(0, min(16, math.ceil(math.log2(max(1, entries_per_day / _ENTRIES_PER_HASH)))))


class DedupIndex:
    def __init__(
        self,
        redis: Redis,
        window_seconds: int = 7 * DAY,
        prefix: str = KEY_PREFIX,
        *,
        thresholds: Thresholds = Thresholds(),
        params: NearParams = NEAR_PARAMS,
        articles_per_day: int = 20_000,
        max_candidates: int = 4,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``articles_per_day`` sizes the shards so bucket hashes stay compact; a wrong
        guess costs memory, never correctness. ``clock`` is injectable for tests."""
        self._redis = redis
        self._window = window_seconds
        self._layout = Layout.plan(window_seconds, articles_per_day, params.bands)
        self._tag = "{" + f"{prefix}:dd:{FINGERPRINT_VERSION}{params.version}{self._layout.tag}" + "}"
        self._constants = [str(thresholds.jaccard), str(thresholds.containment), str(thresholds.jaccard_floor), max_candidates]
        self._clock = clock
        self._script = redis.register_script(_SCRIPT)

    async def decide(self, items: list[Fingerprint]) -> list[Verdict]:
        """Verdicts for a batch, in order: one pipelined round trip."""
        if not items:
            return []
        bucket, expire_at = self._bucket()
        async with self._redis.pipeline(transaction=False) as pipe:
            for fp in items:
                args = [fp.article_id, bucket, self._layout.lookback, expire_at, *self._lookup_args(fp), *self._constants]
                await self._script(keys=[self._tag], args=args, client=pipe)
            replies = await pipe.execute()
        return [_verdict(fp, reply) for fp, reply in zip(items, replies, strict=True)]

    async def size(self) -> int:
        """Articles indexed within the window (one counter per bucket): for a gauge."""
        bucket, _ = self._bucket()
        keys = [f"{self._tag}:c:{d}" for d in range(bucket - self._layout.lookback, bucket + 1)]
        return sum(int(v) for v in await self._redis.mget(keys) if v is not None)

    def _bucket(self) -> tuple[int, int]:
        """The current bucket and the unix time its keys expire: when the window has passed its end."""
        size = self._layout.bucket_seconds
        bucket = int(self._clock()) // size
        return bucket, (bucket + 1) * size + self._window

    def _lookup_args(self, fp: Fingerprint) -> list[str | bytes | int]:
        exact = self._layout.exact_bits
        text_shard, text_field = _split128(bytes.fromhex(fp.text_hash), exact)
        id_field = b"i" + xxhash.xxh3_64_digest(fp.article_id.encode())
        url_shard, url_field = _split128(xxhash.xxh3_128_digest(fp.url_key.encode()), exact) if fp.url_key else ("", b"")
        band_shards, band_fields = _split_bands(fp.bands, self._layout.band_bits)
        record = struct.pack("<I", fp.shingles) + fp.signature if fp.signature else b""
        return [text_shard, text_field, id_field, url_shard, url_field, band_shards, band_fields, record]


def _split128(digest: bytes, bits: int) -> tuple[int, bytes]:
    """Shard from the top bits of the first half, the second half as the 8-byte field."""
    return int.from_bytes(digest[:8], "big") >> (64 - bits) if bits else 0, digest[8:16]


def _split_bands(bands: bytes, bits: int) -> tuple[bytes, bytes]:
    """Per band: a 2-byte shard from the top bits and the low 4 bytes as the field.

    A 4-byte field can collide by chance; that only adds a candidate, which the
    signature check then rejects.
    """
    digests = np.frombuffer(bands, dtype="<u8")
    shards = (digests >> np.uint64(64 - bits)) if bits else np.zeros_like(digests)
    return shards.astype("<u2").tobytes(), (digests & np.uint64(0xFFFFFFFF)).astype("<u4").tobytes()


def _verdict(fp: Fingerprint, reply: list[bytes]) -> Verdict:
    kind, other, similarity = (x.decode() if isinstance(x, bytes) else str(x) for x in reply)
    if kind in ("unique", "redelivery"):
        return Verdict(fp.article_id, kind)
    return Verdict(fp.article_id, kind, duplicate_of=other, similarity=float(similarity))
