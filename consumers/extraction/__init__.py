"""Event extraction: which scheduled events an article reports, and with what status.

``extract_events(article)`` is the one entry point; it is pure and deterministic. Rules
and word lists are data (``lexicons/*.yaml``, ``types.yaml``, ``gazetteer.yaml``), loaded
once at import.
"""

from consumers.extraction.extract import extract_events, language_of
from consumers.extraction.lexicon import event_types, gazetteer, lexicons

__all__ = ["event_types", "extract_events", "gazetteer", "language_of", "lexicons"]

# load and compile the data files once, at import, not on the first article
lexicons()
event_types()
gazetteer()
