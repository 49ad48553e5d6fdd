"""Alerts as a person reads them in a terminal."""

from __future__ import annotations

import textwrap

from schemas import Alert, AlertKind


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
