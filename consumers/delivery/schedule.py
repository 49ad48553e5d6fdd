"""When to try a failed delivery again, and when to give up (pure)."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential back-off with jitter: ``base * 2**(n-1)`` capped at ``max_interval``,
    each wait drawn from its upper half so that many failed deliveries do not retry in
    step; a delivery still failing ``give_up_after`` seconds after its first attempt is
    dead-lettered. The defaults keep trying for a day."""

    base_s: float = 5.0
    max_interval_s: float = 3600.0
    give_up_after_s: float = 86400.0

    def delay(self, attempts: int, rng: random.Random | None = None) -> float:
        """Seconds to wait after ``attempts`` failed attempts."""
        ceiling = min(self.max_interval_s, self.base_s * 2 ** min(max(attempts - 1, 0), 40))
        return ceiling * (0.5 + 0.5 * (rng or random).random())

    def gives_up(self, first_attempt_at: float, now: float) -> bool:
        return now - first_attempt_at >= self.give_up_after_s


RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def retryable(status: int | None) -> bool:
    """Network errors (no status), timeouts, rate limits and server errors are worth
    retrying; any other 4xx means the request itself is refused, so it is dead-lettered now."""
    return status is None or status in RETRYABLE_STATUSES or status >= 500
