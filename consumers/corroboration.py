"""What corroborates a story's news (pure).

A copy is not an independent report. It adds no claim to the timeline, never moves a
status and never alerts; it records that one more outlet carried the story, which is
what a desk reads as reach (``corroborate``). A move waiting for a second source is
confirmed only by sources that report it since the story took the status it would
leave (``confirming_sources``).
"""

from __future__ import annotations

from datetime import datetime

from consumers.story_status import MIN_CONFIDENCE, WINDOW, instant, source_key
from schemas import ArticleEvents, Status, Story, TimelineEntry


def confirming_sources(timeline: list[TimelineEntry], status: Status, since: datetime) -> int:
    """Independent sources (``source_key``) that report ``status`` at or after ``since``,
    within the status window (``window_of``: the claims the next decision reads).

    A source whose latest word is a status the story has since left does not confirm a
    return to it: three outlets that reported the vote postponed in February, and a body
    sentence in March recalling "his last-minute postponement" after the new date was
    set, are one report of a delay in March, not four. Only what is said since the story
    took its current status, in the same news cycle, confirms a move away from it; the
    window is also all a stored story keeps at hand, so every layout counts alike.
    """
    start, horizon, keys = instant(since), None, set()
    for e in reversed(timeline):  # in event-time order: newest first, until the window or the turn is passed
        if e.confidence < MIN_CONFIDENCE:
            continue
        at = instant(e.at)
        if horizon is None:
            horizon = at - WINDOW
        if at < start or at < horizon:
            break
        if e.status == status:
            keys.add(source_key(e))
    return len(keys)


def copy_outlet(copy: ArticleEvents) -> str:
    """How a copy's outlet is named on the story."""
    return copy.source or copy.url or copy.article_id


def corroborate(story: Story, outlets: list[str]) -> Story | None:
    """The story with these outlets recorded, or None when it knows them all already."""
    new = [o for o in outlets if o not in story.corroborated_by]
    if not new:
        return None
    return story.model_copy(update={"corroborated_by": sorted({*story.corroborated_by, *new}), "version": story.version + 1})
