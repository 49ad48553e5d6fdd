"""Offline language detection (pure) from function-word counts (``rules/languages.yaml``).

News text is long enough that counting a few dozen very frequent words per language
tells German from English (and French, Italian, Spanish, Dutch) reliably, without a
model download. Too little evidence gives ``None`` rather than a guess.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from ingest.rules import load_rules

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SAMPLE_CHARS = 4000


@cache
def _lexicon() -> tuple[dict[str, str], int, float]:
    rules = load_rules("languages")
    owners: dict[str, set[str]] = {}
    for lang, words in rules["stopwords"].items():
        for word in words:
            owners.setdefault(str(word).casefold(), set()).add(lang)
    unique = {w: next(iter(langs)) for w, langs in owners.items() if len(langs) == 1}
    return unique, int(rules.get("min_hits", 3)), float(rules.get("min_share", 0.6))


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the evidence is too thin."""
    lexicon, min_hits, min_share = _lexicon()
    votes = Counter(lexicon[w] for w in _WORD.findall(text[:_SAMPLE_CHARS].casefold()) if w in lexicon)
    if not votes:
        return None
    lang, hits = votes.most_common(1)[0]
    return lang if hits >= min_hits and hits / sum(votes.values()) >= min_share else None
