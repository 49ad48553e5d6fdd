"""Normalisation rules as data: boilerplate patterns, agencies, month names, stopwords.

Each YAML file here is read once. A deployment can add its own outlets' patterns by
pointing ``STORYWATCH_INGEST_RULES`` at a directory holding files of the same names;
their lists are appended to the built-in ones (see ``docs/ingest.md``).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml

BUILTIN_DIR = Path(__file__).parent
EXTRA_DIR_ENV = "STORYWATCH_INGEST_RULES"


def _merge(base: Any, extra: Any) -> Any:
    """Lists are appended, mappings merged key by key, scalars replaced."""
    if isinstance(base, dict) and isinstance(extra, dict):
        return {k: _merge(base.get(k), v) if k in base else v for k, v in extra.items()} | {
            k: v for k, v in base.items() if k not in extra
        }
    if isinstance(base, list) and isinstance(extra, list):
        return base + extra
    return extra


@cache
def load_rules(name: str) -> dict[str, Any]:
    """The rules file ``<name>.yaml``, merged with the user's copy if one exists."""
    rules = yaml.safe_load((BUILTIN_DIR / f"{name}.yaml").read_text(encoding="utf-8")) or {}
    if extra_dir := os.environ.get(EXTRA_DIR_ENV):
        extra_path = Path(extra_dir) / f"{name}.yaml"
        if extra_path.is_file():
            rules = _merge(rules, yaml.safe_load(extra_path.read_text(encoding="utf-8")) or {})
    return rules
