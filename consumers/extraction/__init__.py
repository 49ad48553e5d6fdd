"""Event extraction: which scheduled events an article reports, and with what status.

``extract_events(article)`` is the one entry point; it is pure and deterministic;
``extract(article, budget_seconds)`` is the same with a time budget. Rules and word lists
are data (``lexicons/*.yaml``, ``types.yaml``, ``gazetteer.yaml``, ``names.yaml``), loaded
once at import, with the German tagger's model.
"""

from consumers.extraction import tagger
from consumers.extraction.extract import Extraction, extract, extract_events, language_of
from consumers.extraction.lexicon import event_types, gazetteer, lexicons
from schemas import Article, ArticleEvents

__all__ = ["Extraction", "article_events", "event_types", "extract", "extract_events", "gazetteer", "language_of", "lexicons"]


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

# load and compile the data files once, at import, not on the first article
lexicons()
event_types()
gazetteer()
tagger.load()
