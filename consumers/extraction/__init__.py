"""Event extraction: which scheduled events an article reports, and with what status.

``extract_events(article)`` is the one entry point; it is pure and deterministic;
``extract(article, budget_seconds)`` is the same with a time budget. Rules and word lists
are data (``lexicons/*.yaml``, ``types.yaml``, ``gazetteer.yaml``, ``names.yaml``), loaded
once at import, with the German tagger's model.
"""

from datetime import UTC, datetime
from pathlib import Path

import yaml

from consumers.extraction import tagger
from consumers.extraction.extract import Extraction, extract, extract_events, language_of
from consumers.extraction.lexicon import event_types, gazetteer, lexicons
from schemas import Article, ArticleEvents

__all__ = ["Extraction", "article_events", "event_types", "extract", "extract_events", "gazetteer", "language_of", "lexicons", "warm_up"]

WARM_UP = Path(__file__).with_name("warmup.yaml")


def article_events(article: Article, budget_seconds: float | None = None) -> ArticleEvents:
    """An article's extraction result with the metadata tracking orders and cites by."""
    return article_result(article, extract(article, budget_seconds).events)


def article_result(article: Article, events: list) -> ArticleEvents:
    """The wire record of an article's extraction, with the mentions given."""
    return ArticleEvents(
        article_id=article.id or "",
        source=article.source,
        url=article.url,
        agency=article.agency,
        title=article.title,
        language=language_of(article).language,
        published_at=article.published_at,
        received_at=article.received_at,
        event_time=article.event_time,  # type: ignore[arg-type]
        events=events,
    )


def warm_up(path: Path = WARM_UP) -> int:
    """Extract the warm-up articles of ``path`` once; how many there were.

    Most of extraction's patterns are compiled on first use, so a fresh process paid for
    them on its first articles (about 140 ms more over the first twenty of the realistic
    mix than a warm process), and those articles' alerts waited for it. A worker calls
    this before it reads, where the cost delays nothing. Extraction is pure: what it keeps
    of these articles (compiled patterns, per-process memos of sentences and words) is
    what it keeps of any article, and no later article's result depends on them."""
    articles = yaml.safe_load(path.read_text(encoding="utf-8"))["articles"]
    for n, spec in enumerate(articles):
        extract(Article(id=f"warm-up-{n}", source="warm-up", published_at=datetime(2025, 3, 10, 9, tzinfo=UTC), **spec))
    return len(articles)


# load and compile the data files once, at import, not on the first article
lexicons()
event_types()
gazetteer()
tagger.load()
