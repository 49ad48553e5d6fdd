"""Agency attribution (pure): which news agency a text credits, from its dateline or credits.

Agency copy is the same story reprinted by many outlets; knowing it lets later stages
weigh sources. Only explicit attributions count: a dateline ``Washington (dpa) -``, a
parenthesised credit ``(dpa)`` / ``(AFP/dpa)``, or a credit line ``@ dpa.de`` /
``Quelle: dpa`` / ``© AFP``. A bare mention in prose ("berichtete Reuters") does not.
Credit lines are removed from the text; the dateline stays, it is part of the lead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ingest.cleantext import collapse_blank_lines
from ingest.rules import load_rules

_HEAD_PARAGRAPHS = 3
"""Datelines and parenthesised credits are looked for in this many first paragraphs (and the last)."""


@dataclass(frozen=True)
class AgencyRules:
    """Compiled ``agencies.yaml``: alias (folded) -> agency name, and the patterns built from it."""

    names: dict[str, str]
    dateline: re.Pattern[str]
    credit_line: re.Pattern[str]
    parenthesised: re.Pattern[str]


@cache
def default_rules() -> AgencyRules:
    return compile_rules(load_rules("agencies"))


def compile_rules(raw: dict) -> AgencyRules:
    names = {alias.casefold(): name for name, aliases in raw.get("agencies", {}).items() for alias in [name, *aliases]}
    alias = "|".join(re.escape(a) for a in sorted(names, key=len, reverse=True))
    one = rf"(?<![\w.-])(?:{alias})(?![\w-])"
    listed = rf"{one}(?:\s*(?:/|,|&|\bund\b|\band\b)\s*(?:{one}|[a-z]{{1,6}}(?![\w-])))*"
    flags = re.IGNORECASE | re.UNICODE
    return AgencyRules(
        names=names,
        dateline=re.compile(rf"^(?:[^\n()]{{1,60}}?\s)?\(\s*(?P<who>{listed})\s*\)\s*[-–—:]", flags),
        credit_line=re.compile(
            rf"^\(?\s*(?:@|©|\(c\)|copyright|quelle\s*:|quellen\s*:|source\s*:|sources\s*:|agenturen\s*:|"
            rf"mit material (?:von|der|des)|material\s*:|text\s*:)?\s*(?P<who>{listed})\s*\)?\s*\.?$",
            flags,
        ),
        parenthesised=re.compile(rf"\(\s*(?P<who>{listed})\s*\)", flags),
    )


def _names_in(match_text: str, rules: AgencyRules) -> list[str]:
    parts = re.split(r"\s*(?:/|,|&|\bund\b|\band\b)\s*", match_text, flags=re.IGNORECASE)
    found = [rules.names[p.casefold()] for p in parts if p.casefold() in rules.names]
    return list(dict.fromkeys(found))


def detect_agency(text: str, rules: AgencyRules | None = None) -> tuple[str | None, str]:
    """(agency or None, text without credit lines). Several agencies are joined with ``/``."""
    rules = rules or default_rules()
    found: list[str] = []
    kept: list[str] = []
    paragraphs = [i for i, line in enumerate(text.split("\n")) if line.strip()]
    edge = set(paragraphs[:_HEAD_PARAGRAPHS] + paragraphs[-1:])
    for i, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if stripped and (m := rules.credit_line.match(stripped)):
            found += _names_in(m.group("who"), rules)
            continue
        if i in edge:
            if m := rules.dateline.match(stripped):
                found += _names_in(m.group("who"), rules)
            for m in rules.parenthesised.finditer(stripped):
                found += _names_in(m.group("who"), rules)
        kept.append(line)
    agencies = list(dict.fromkeys(found))
    return ("/".join(agencies) if agencies else None), collapse_blank_lines("\n".join(kept))
