"""The German and English part-of-speech models (HanTa), loaded once and asked one word
at a time.

German capitalises every noun, so whether an unknown capitalised word is a name
("Weselsky", "Mailand") or a common noun ("Frage", "Zukunft") needs a lexicon. HanTa
ships its trained model inside the package; nothing is downloaded. Only words that other
cues leave open reach it (a few per article), and answers are cached by the caller.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any


@cache
def _model() -> Any:
    from HanTa import HanoverTagger

    return HanoverTagger.HanoverTagger("morphmodel_ger.pgz")


_REFORMED_SS = re.compile(r"ss(?=$|[^aeiouäöüy])")


def _old_spelling(word: str) -> str | None:
    """A word as written before the 1996 spelling reform, when that differs: "ss" at the
    end or before a consonant was "ß" ("Einfluss" -> "Einfluß"). HanTa's lexicon holds
    some words only in the old spelling, and takes the new one for a name."""
    if len(word) < OLD_SPELLING_MIN:
        return None  # short words in -ss are as often surnames ("Weiss", "Ross", "Hess")
    old = _REFORMED_SS.sub("ß", word)
    return old if old != word else None


OLD_SPELLING_MIN = 7
"""The shortest word looked up in its old spelling: the nouns HanTa misses in the new
one are compounds ("Einfluss", "Anschluss"); a short word in -ss is as often a surname."""


@cache
def _english_model() -> Any:
    from HanTa import HanoverTagger

    return HanoverTagger.HanoverTagger("morphmodel_en.pgz")


def english_name(word: str) -> bool:
    """Whether English reads a word as a name: its lexicon tags it a proper noun (NP0,
    "Adele") or knows it not at all ("Coldplay", "Metallica"), as opposed to a common
    word ("Officials", "Police", "Sting"). A capital at a sentence's start says nothing;
    this does."""
    tags = _english_model().tag_word(word)
    return _guessed(tags) or tags[0][0] == "NP0"


def german_tag(word: str) -> str:
    """The most likely STTS tag of one German word on its own ("NE", "NN", ...); a word
    the lexicon knows only in its old spelling has that spelling's tag."""
    tags = _model().tag_word(word)
    tag = tags[0][0] if tags else ""
    if (tag == "NE" or _guessed(tags)) and (old := _old_spelling(word)) is not None:
        known = _model().tag_word(old)
        if not _guessed(known):
            return known[0][0]
    return tag


def _guessed(tags: list[Any]) -> bool:
    return not tags or float(tags[0][1]) < UNKNOWN_SCORE


UNKNOWN_SCORE = -25.0
"""HanTa's log-probability below which its best tag for a word is a guess from the
word's shape: a word of its lexicon scores far higher ("Frage" -8, "Flughafens" -12,
"Konzerthauses" -22; "Skylink" -35, "Weselsky" -32)."""


def german_unknown(word: str) -> bool:
    """Whether HanTa's German lexicon does not know a word (its tags are guesses), in
    the new spelling or the old."""
    if not _guessed(_model().tag_word(word)):
        return False
    old = _old_spelling(word)
    return old is None or _guessed(_model().tag_word(old))


def load() -> None:
    """Load the model now (at import of the extractor), not on the first article."""
    _model()
