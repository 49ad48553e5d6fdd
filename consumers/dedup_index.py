"""The shared dedup index in Redis: one atomic decide-and-insert per article.

All keys of one decision carry the same hash tag, so the script also runs on Redis
Cluster. A re-delivered article finds its own id under its keys and is not its own
duplicate: the verdict repeats, so processing stays idempotent under at-least-once
delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from redis.asyncio import Redis

from consumers.fingerprint import Fingerprint
from schemas.streams import KEY_PREFIX

FINGERPRINT_VERSION = "x1"
"""Bumped whenever hashing or normalisation changes, so old and new keys never mix."""

_SCRIPT = resources.files("consumers.lua").joinpath("dedup_exact.lua").read_text()


@dataclass(frozen=True)
class Verdict:
    article_id: str
    kind: str
    """``unique``, ``redelivery`` (same article again: not a duplicate) or a DuplicateKind."""
    duplicate_of: str | None = None
    similarity: float = 1.0

    @property
    def is_duplicate(self) -> bool:
        return self.kind not in ("unique", "redelivery")


class DedupIndex:
    def __init__(self, redis: Redis, window_seconds: int = 7 * 86400, prefix: str = KEY_PREFIX) -> None:
        self._redis = redis
        self._window = window_seconds
        self._prefix = f"{prefix}:dd:{FINGERPRINT_VERSION}"
        self._script = redis.register_script(_SCRIPT)

    def _keys(self, fp: Fingerprint) -> list[str]:
        tag = "{" + self._prefix + "}"
        return [f"{tag}:t:{fp.text_hash}", f"{tag}:u:{fp.url_key}" if fp.url_key else ""]

    async def decide(self, items: list[Fingerprint]) -> list[Verdict]:
        """Verdicts for a batch, in order: one pipelined round trip."""
        if not items:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for fp in items:
                await self._script(keys=self._keys(fp), args=[fp.article_id, self._window], client=pipe)
            replies = await pipe.execute()
        return [_verdict(fp, reply) for fp, reply in zip(items, replies, strict=True)]


def _verdict(fp: Fingerprint, reply: list[bytes]) -> Verdict:
    kind, other = (x.decode() if isinstance(x, bytes) else x for x in reply)
    if kind in ("unique", "redelivery"):
        return Verdict(fp.article_id, kind)
    return Verdict(fp.article_id, kind, duplicate_of=other)
