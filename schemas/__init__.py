"""The wire contract of storywatch: every stream's message model, in one place.

Every stream entry carries one field, ``__data__``, holding the JSON of one of these
models (the field name FastStream subscribers read). ``python -m schemas`` writes their
JSON Schemas.
"""

from schemas.alerts import Alert, AlertKind
from schemas.articles import MAX_TEXT_CHARS, Article, DuplicateKind, StreamArticle, UniqueArticle
from schemas.events import ArticleEvents, EventMention
from schemas.outcomes import Outcome, OutcomeKind, DeadLetter
from schemas.status import Status
from schemas.stories import Story, TimelineEntry

__all__ = [
    "MAX_TEXT_CHARS",
    "Alert",
    "AlertKind",
    "Article",
    "ArticleEvents",
    "DeadLetter",
    "DuplicateKind",
    "EventMention",
    "Outcome",
    "OutcomeKind",
    "Status",
    "Story",
    "TimelineEntry",
    "StreamArticle",
    "UniqueArticle",
]
