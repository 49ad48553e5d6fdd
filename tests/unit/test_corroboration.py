from datetime import UTC, datetime

from consumers.corroboration import copy_outlet, corroborate
from schemas import ArticleEvents, Story

T = datetime(2025, 10, 21, tzinfo=UTC)


def _story() -> Story:
    return Story(story_id="st-1", title="t", type="summit", status="planned", status_since=T, sources=["dpa"])


def test_a_copy_adds_its_outlet_once_and_nothing_else():
    story = _story()
    once = corroborate(story, ["spiegel.de"])
    assert once is not None
    assert once.corroborated_by == ["spiegel.de"] and once.version == story.version + 1
    assert (once.status, once.timeline, once.sources) == (story.status, story.timeline, story.sources)
    assert corroborate(once, ["spiegel.de"]) is None


def test_outlet_name_falls_back_to_url_then_id():
    base = dict(article_id="a1", event_time=T, duplicate_of="a0")
    assert copy_outlet(ArticleEvents(**base, source="zeit.de", url="https://x")) == "zeit.de"
    assert copy_outlet(ArticleEvents(**base, url="https://x/1")) == "https://x/1"
    assert copy_outlet(ArticleEvents(**base)) == "a1"
