"""The German part-of-speech model (HanTa), loaded once and asked one word at a time.

German capitalises every noun, so whether an unknown capitalised word is a name
("Weselsky", "Mailand") or a common noun ("Frage", "Zukunft") needs a lexicon. HanTa
ships its trained model inside the package; nothing is downloaded. Only words that other
cues leave open reach it (a few per article), and answers are cached by the caller.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _model() -> Any:
    from HanTa import HanoverTagger

    return HanoverTagger.HanoverTagger("morphmodel_ger.pgz")


def german_tag(word: str) -> str:
    """The most likely STTS tag of one German word on its own ("NE", "NN", ...)."""
    tags = _model().tag_word(word)
    return tags[0][0] if tags else ""


UNKNOWN_SCORE = -25.0
"""HanTa's log-probability below which its best tag for a word is a guess from the
word's shape: a word of its lexicon scores far higher ("Frage" -8, "Flughafens" -12,
"Konzerthauses" -22; "Skylink" -35, "Weselsky" -32)."""


def german_unknown(word: str) -> bool:
    """Whether HanTa's German lexicon does not know a word (its tags are guesses)."""
    tags = _model().tag_word(word)
    return not tags or float(tags[0][1]) < UNKNOWN_SCORE


def load() -> None:
    """Load the model now (at import of the extractor), not on the first article."""
    _model()
