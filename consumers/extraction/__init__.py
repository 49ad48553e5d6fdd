"""Event extraction: which scheduled events an article reports, and with what status.

``extract_events(article)`` is the one entry point; it is pure and deterministic. Rules
and word lists are data (``lexicons/*.yaml``, ``types.yaml``, ``gazetteer.yaml``), loaded
once at import.
"""

from consumers.extraction.extract import extract_events, language_of
from consumers.extraction.lexicon import event_types, gazetteer, lexicons
from schemas import Article, ArticleEvents

__all__ = ["article_events", "event_types", "extract_events", "gazetteer", "language_of", "lexicons"]


def article_events(article: Article) -> ArticleEvents:
    """An article's extraction result with the metadata tracking orders and cites by."""
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
        events=extract_events(article),
    )

# load and compile the data files once, at import, not on the first article
lexicons()
event_types()
gazetteer()
