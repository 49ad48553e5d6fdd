"""Whether an alert matches a subscription's filter (pure), and filters from query parameters."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import ValidationError

from schemas import Alert
from schemas.subscriptions import AlertFilter

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _name_matches(wanted: str, name: str) -> bool:
    """``Putin`` matches ``Vladimir Putin``: every word of the wanted name, in order, among the name's words."""
    want, have = _words(wanted), _words(name)
    if not want:
        return False
    for start in range(len(have) - len(want) + 1):
        if have[start:start + len(want)] == want:
            return True
    return False


def _any_name(wanted: list[str], names: Iterable[str | None]) -> bool:
    present = [n for n in names if n]
    return any(_name_matches(w, n) for w in wanted for n in present)


def _folded(values: list[str]) -> set[str]:
    return {v.casefold() for v in values}


def _transition_matches(patterns: list[str], alert: Alert) -> bool:
    source = alert.from_status.value if alert.from_status else "new"
    for pattern in patterns:
        want_from, want_to = pattern.split("->")
        if want_from in ("*", source) and want_to in ("*", alert.to_status.value):
            return True
    return False


def matches(flt: AlertFilter, alert: Alert) -> bool:
    """True when the alert satisfies every condition the filter sets."""
    checks = (
        not flt.actors or _any_name(flt.actors, alert.actors),
        not flt.event_types or (alert.event_type or "").casefold() in _folded(flt.event_types),
        not flt.kinds or alert.kind in flt.kinds,
        not flt.statuses or alert.to_status in flt.statuses,
        not flt.transitions or _transition_matches(flt.transitions, alert),
        not flt.countries or _any_name(flt.countries, [alert.country, alert.location]),
        not flt.places or _any_name(flt.places, [alert.location]),
        not flt.languages or (alert.language or "").casefold() in _folded(flt.languages),
        not flt.story_ids or alert.story_id in flt.story_ids or (alert.parent_id or "") in flt.story_ids,
        alert.sources_count >= flt.min_sources,
        alert.confidence >= flt.min_confidence,
    )
    return all(checks)


QUERY_FIELDS: dict[str, str] = {
    "actor": "actors",
    "event_type": "event_types",
    "type": "event_types",
    "kind": "kinds",
    "status": "statuses",
    "transition": "transitions",
    "country": "countries",
    "place": "places",
    "language": "languages",
    "story": "story_ids",
    "story_id": "story_ids",
    "min_sources": "min_sources",
    "min_confidence": "min_confidence",
}
"""Query parameter (repeatable, or comma-separated) -> filter field."""


class FilterError(ValueError):
    """Query parameters that do not make a filter; the message names the parameter."""


def filter_from_pairs(pairs: Iterable[tuple[str, str]], ignore: Iterable[str] = ()) -> AlertFilter:
    """A filter from ``(name, value)`` pairs such as a query string's; unknown names are refused."""
    skip = set(ignore)
    lists: dict[str, list[str]] = {}
    scalars: dict[str, str] = {}
    for name, value in pairs:
        if name in skip:
            continue
        field = QUERY_FIELDS.get(name)
        if field is None:
            raise FilterError(f"unknown filter parameter {name!r}; known: {', '.join(sorted(QUERY_FIELDS))}")
        if field.startswith("min_"):
            scalars[field] = value
        else:
            lists.setdefault(field, []).extend(v for v in (p.strip() for p in value.split(",")) if v)
    try:
        return AlertFilter.model_validate({**lists, **scalars})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise FilterError(f"bad filter: {problems}") from None
