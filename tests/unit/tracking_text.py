"""Reports and a tracking run built for a test, as the story-identity tests share them."""

from __future__ import annotations

from datetime import datetime

from consumers.story_tracking import track_article
from schemas import ArticleEvents, EventMention, Story


def reported(aid: str, at: datetime, *events: EventMention) -> ArticleEvents:
    """An article of its own outlet (``src-<aid>``) published at ``at`` with these events."""
    return ArticleEvents(article_id=aid, source=f"src-{aid}", url=f"https://x/{aid}", published_at=at, event_time=at, events=list(events))


def tracked(*articles: ArticleEvents) -> dict[str, Story]:
    """The stories the articles leave, tracked one after the other."""
    stories: dict[str, Story] = {}
    for a in articles:
        stories.update(track_article(a, stories).stories)
    return stories
