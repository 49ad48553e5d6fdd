"""What a webhook request looks like: body per format, headers, signature (all pure).

The signature follows the scheme of Stripe's and Standard Webhooks': the header
``Storywatch-Signature: t=<unix seconds>,v1=<hex>`` where ``<hex>`` is
HMAC-SHA256(secret, ``<t>.<body>``). Signing the timestamp with the body lets a receiver
refuse replays of an old request; comparing in constant time keeps the secret safe.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from schemas import Alert
from schemas.subscriptions import Subscription, TargetFormat

SIGNATURE_HEADER = "Storywatch-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
DEFAULT_TOLERANCE_S = 300


@dataclass(frozen=True)
class Request:
    """One HTTP POST to a subscription's target."""

    url: str
    body: bytes
    headers: dict[str, str]


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, now: float, tolerance_s: float = DEFAULT_TOLERANCE_S) -> bool:
    """Whether a signature header is valid for ``body`` and recent enough (what a receiver does)."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs(now - timestamp) > tolerance_s:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def alert_text(alert: Alert) -> str:
    """One line a person reads: what changed, for which story, with the evidence."""
    change = f"{alert.from_status.value} -> {alert.to_status.value}" if alert.from_status else f"new, {alert.to_status.value}"
    when = f" on {alert.event_date.isoformat()}" if alert.event_date else ""
    source = f" ({alert.source})" if alert.source else ""
    return f"{alert.story_title}{when}: {change}. \u201c{alert.evidence}\u201d{source}"


def body_of(sub: Subscription, alert: Alert) -> tuple[bytes, dict[str, str]]:
    """The request body and its format's own headers."""
    if sub.format is TargetFormat.SLACK:
        text = alert_text(alert) + (f" <{alert.url}|article>" if alert.url else "")
        return json.dumps({"text": text}, ensure_ascii=False).encode(), {"Content-Type": "application/json"}
    if sub.format is TargetFormat.NTFY:
        headers = {"Content-Type": "text/plain; charset=utf-8", "Title": _latin1(alert.story_title), "Tags": alert.to_status.value}
        if alert.url:
            headers["Click"] = alert.url
        return alert_text(alert).encode(), headers
    envelope = {"type": "alert", "subscription_id": sub.id, "alert": alert.model_dump(mode="json", exclude_none=True)}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode(), {"Content-Type": "application/json"}


def _latin1(text: str) -> str:
    """HTTP header values are Latin-1: anything else becomes '?'."""
    return text.encode("latin-1", "replace").decode("latin-1")


def build_request(sub: Subscription, alert: Alert, timestamp: int, attempt: int) -> Request:
    """The signed POST that delivers ``alert`` to ``sub`` (attempt numbers start at 1)."""
    body, headers = body_of(sub, alert)
    headers |= {
        SIGNATURE_HEADER: sign(sub.secret, timestamp, body),
        IDEMPOTENCY_HEADER: alert.alert_id,
        "Storywatch-Subscription": sub.id,
        "Storywatch-Attempt": str(attempt),
        "User-Agent": "storywatch-webhooks",
    }
    return Request(sub.url, body, headers)
