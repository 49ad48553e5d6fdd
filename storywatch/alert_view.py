"""Alerts as a person reads them in a terminal."""

from __future__ import annotations

import json
import textwrap

from pydantic import ValidationError

from schemas import Alert, AlertKind
from schemas.streams import DATA_FIELD


def format_alert(alert: Alert) -> str:
    when = alert.event_time.strftime("%Y-%m-%d %H:%M")
    if alert.kind is AlertKind.STATUS_CHANGED:
        head = f"[{when}] STATUS CHANGED  {alert.story_title}: {alert.from_status} -> {alert.to_status}"
    else:
        head = f"[{when}] NEW STORY       {alert.story_title}: {alert.to_status}"
    claim = f" (claimed by {alert.attributed_to})" if alert.attributed_to else ""
    source = alert.source or alert.url or "unknown source"
    evidence = textwrap.shorten(alert.evidence, width=220, placeholder=" ...")
    return (
        f"{head}\n"
        f"    «{evidence}»{claim}\n"
        f"    article {alert.article_id} · {source} · {alert.sources_count} source(s) · confidence {alert.confidence:.2f}"
    )


def alert_line(entry_id: str, fields: dict[bytes, bytes], as_json: bool) -> str | None:
    """One alerts-stream entry as printed: text, or JSON carrying ``stream_id`` to resume
    from (``--since``); None when the entry is not an alert (the caller warns and goes on)."""
    body = fields.get(DATA_FIELD.encode())
    if body is None:
        return None
    try:
        alert = Alert.model_validate_json(body)
    except ValidationError:
        return None
    if not as_json:
        return format_alert(alert)
    return json.dumps({"stream_id": entry_id, **json.loads(alert.model_dump_json())}, ensure_ascii=False)
