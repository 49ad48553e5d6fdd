"""Reading the seed articles (tests only): the formats of seeds/*.txt."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from schemas import Article

SEED_DIR = Path(__file__).resolve().parents[1] / "seeds"
_DATE_LINE = re.compile(r"^\s*date (\d{4})-(\d{2})-(\d{2})\s*")
_DOTTED = re.compile(r"^\s*(\d{2})\.(\d{2})\.(\d{4}) - (\d{2}):(\d{2}):(\d{2})\s*$", re.M)
ARRIVAL = datetime(2025, 10, 22, 8, 0, tzinfo=UTC)


def read_seed(path: Path) -> Article:
    """One seed file as an Article; the undated one gets its arrival time (the newest)."""
    text = path.read_text(encoding="utf-8")
    published = None
    if m := _DATE_LINE.match(text):
        published = datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC)
        text = text[m.end() :]
    elif m := _DOTTED.search(text):
        published = datetime(int(m[3]), int(m[2]), int(m[1]), int(m[4]), int(m[5]), int(m[6]), tzinfo=UTC)
        text = text[: m.start()] + text[m.end() :]
    article_id = path.stem.split("_", 1)[1]
    received = ARRIVAL if published is None else published + timedelta(hours=1)
    return Article(id=article_id, source=f"seed-{article_id[:4]}", language="de", published_at=published, text=text, received_at=received, date_from_arrival=published is None)


def read_seeds() -> list[Article]:
    return [read_seed(p) for p in sorted(SEED_DIR.glob("*.txt"))]
