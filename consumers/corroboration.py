"""Copies corroborate: a duplicate's outlet is kept on its original's stories (pure).

A copy is not an independent report. It adds no claim to the timeline, never moves a
status and never alerts; it records that one more outlet carried the story, which is
what a desk reads as reach.
"""

from __future__ import annotations

from schemas import ArticleEvents, Story


def copy_outlet(copy: ArticleEvents) -> str:
    """How a copy's outlet is named on the story."""
    return copy.source or copy.url or copy.article_id


def corroborate(story: Story, outlets: list[str]) -> Story | None:
    """The story with these outlets recorded, or None when it knows them all already."""
    new = [o for o in outlets if o not in story.corroborated_by]
    if not new:
        return None
    return story.model_copy(update={"corroborated_by": sorted({*story.corroborated_by, *new}), "version": story.version + 1})
