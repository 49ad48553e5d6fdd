"""Character-level clean-up of article text (pure): encoding damage, Unicode form, spacing.

Scraped and re-encoded news text arrives with mojibake (``GesprÃ¤che``), non-breaking
and zero-width spaces, soft hyphens, Windows line ends and runs of blank lines. Later
stages hash, split and match this text, so every copy of an article should come out of
here with the same characters.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=True, normalization="NFC", explain=False)
_LINE_BREAKS = re.compile(r"\r\n|\r|[\u2028\u2029\x85\x0b\x0c]")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_RUNS = re.compile(r"\n{3,}")
_CP1252_CONTINUATION = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
_FTFY_WORK = re.compile(
    rf"[\u00c2-\u00f4][{_CP1252_CONTINUATION}]"  # UTF-8 read as Latin-1/Windows-1252: "GesprÃ¤che"
    r"|&#?\w{1,8};"  # HTML entities
    r"|[\u0080-\u009f\ufb00-\ufb06\uff01-\uff5e\ud800-\udfff\x1b\ufffd]"  # C1 controls, ligatures, full width, escapes
)
"""Text without any of these has nothing for ftfy to fix; checking first makes clean text ~10x faster."""


def clean_text(text: str) -> str:
    """Repair mojibake, NFC-normalise, unify line breaks and spaces; keep paragraph breaks."""
    if _FTFY_WORK.search(text):
        text = ftfy.fix_text(text, _FTFY)
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return collapse_blank_lines("\n".join(lines))


def collapse_blank_lines(text: str) -> str:
    """At most one blank line between paragraphs, none at the ends (after lines were removed)."""
    return _BLANK_RUNS.sub("\n\n", text).strip()


def clean_line(text: str | None) -> str | None:
    """A one-line field (title, source): cleaned, inner line breaks folded to spaces."""
    if text is None:
        return None
    cleaned = " ".join(clean_text(text).split())
    return cleaned or None


def looks_binary(raw: bytes) -> bool:
    """True for bytes that are not text in any encoding we read (NULs, many control bytes)."""
    sample = raw[:4096]
    if not sample:
        return False
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with BOM: NULs are expected
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    return control / len(sample) > 0.05


def decode_text(raw: bytes) -> str:
    """Bytes of a text file as str: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Windows-1252 is the fallback because German news exports from older systems use it;
    it decodes almost any byte string, so binary input is refused first.
    """
    if looks_binary(raw):
        raise ValueError("binary data, not text")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")
