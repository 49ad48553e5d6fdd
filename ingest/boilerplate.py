"""Boilerplate removal (pure): teaser blocks, read-more lines, captions, players, paywalls.

The patterns live in ``ingest/rules/boilerplate.yaml`` so that users can add their own
outlets' lines without touching code. Removal works line by line (a line is a paragraph
in the texts we get); it never edits inside a line, so what is kept is verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ingest.cleantext import collapse_blank_lines
from ingest.rules import load_rules


@dataclass(frozen=True)
class BoilerplateRules:
    """Compiled form of ``boilerplate.yaml``."""

    block_headings: frozenset[str]
    teaser_lines: tuple[re.Pattern[str], ...]
    teaser_max_chars: int
    drop_lines: tuple[re.Pattern[str], ...]
    max_line_chars: int = 600


def _heading_key(line: str) -> str:
    return line.strip().rstrip(":").strip().casefold()


@cache
def default_rules() -> BoilerplateRules:
    """The built-in rules plus the user's (``STORYWATCH_INGEST_RULES``), compiled once."""
    return compile_rules(load_rules("boilerplate"))


def compile_rules(raw: dict) -> BoilerplateRules:
    """Compile a rules mapping with the keys of ``boilerplate.yaml``."""
    flags = re.IGNORECASE | re.UNICODE
    groups = raw.get("line_patterns") or {}
    drop = [p for patterns in (groups.values() if isinstance(groups, dict) else [groups]) for p in patterns]
    return BoilerplateRules(
        block_headings=frozenset(_heading_key(h) for h in raw.get("block_headings", [])),
        teaser_lines=tuple(re.compile(p, flags) for p in raw.get("teaser_line_patterns", [])),
        teaser_max_chars=int(raw.get("teaser_max_chars", 160)),
        drop_lines=tuple(re.compile(p, flags) for p in drop),
        max_line_chars=int(raw.get("max_line_chars", 600)),
    )


def _is_teaser(line: str, rules: BoilerplateRules) -> bool:
    return len(line) <= rules.teaser_max_chars or any(p.search(line) for p in rules.teaser_lines)


def _is_boilerplate(line: str, rules: BoilerplateRules) -> bool:
    return len(line) <= rules.max_line_chars and any(p.search(line) for p in rules.drop_lines)


def strip_boilerplate(text: str, rules: BoilerplateRules | None = None) -> str:
    """Text without teaser blocks and boilerplate lines; blank-line runs collapsed."""
    rules = rules or default_rules()
    kept: list[str] = []
    in_block = False
    for line in text.split("\n"):
        stripped = line.strip()
        if _heading_key(stripped) in rules.block_headings:
            in_block = True
            continue
        if in_block and (not stripped or _is_teaser(stripped, rules)):
            continue
        in_block = False
        if stripped and _is_boilerplate(stripped, rules):
            continue
        kept.append(line)
    return collapse_blank_lines("\n".join(kept))
