"""Cost of ``extract_events`` on one core, in ms per article, for three kinds of text.

    python -m bench.extraction_bench [--articles 500] [--repeat 5]

1. ``event_articles(n)`` of the pipeline benchmark: ~5 KB German, one event lead
   sentence, then news prose dense in event words and cues (copies included);
2. the five seed articles (~3 KB, ten or more event mentions each);
3. ~5 KB German news prose without a single event word (the gate's case);
4. the real-news evaluation corpus (``tests/data/realnews``, both halves, German and
   English as the outlets published them): prose nobody here wrote, longer sentences
   and more names than the generated texts.

Each figure is the best of ``--repeat`` timed passes, after one warm-up pass, in CPU
time of this process (other load on the machine inflates wall time, not this). The
per-process sentence memos are emptied before each timed pass: only what a pass itself
repeats is found there.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime

from pathlib import Path

from bench.pipeline_bench import event_articles
from consumers.extraction import extract_events, lexicons
from consumers.extraction.lexicon import lower
from consumers.extraction.text import set_memos
from consumers.evaluation import load_articles
from schemas import Article
from tests.data.dedup.make_corpus import BANK, Writer, facts_for
from tests.seedfiles import read_seeds


def quiet_articles(n: int, seed: int = 5, size: int = 5200) -> list[Article]:
    """~5 KB German articles from the test-set writer with every event word left out."""
    types = lexicons()["de"].type_words.values()
    bank = {key: [w for w in words if not any(rx.search(lower(w)) for rx in types)] for key, words in BANK["de"].items()}
    rng = random.Random(seed)
    out: list[Article] = []
    for i in range(n):
        facts = {**facts_for("de", i, rng), "topic": rng.choice(bank["topic"])}
        writer = Writer(bank, facts, random.Random(rng.random()))
        text = "\n\n".join(writer.article(20))[:size]
        out.append(Article(id=f"quiet-{i}", source="bench", language="de", published_at=datetime(2026, 1, 1, tzinfo=UTC), text=text))
    return out


REAL_NEWS = Path(__file__).resolve().parent.parent / "tests" / "data" / "realnews"


def real_news() -> list[Article]:
    """Every article of the real-news corpus, both halves."""
    return [a for half in ("dev", "test") for a in load_articles(REAL_NEWS / half / "articles.jsonl")]


def ms_per_article(articles: list[Article], repeat: int) -> float:
    """Best-of-``repeat`` CPU time of one pass over the articles, per article."""
    for article in articles:
        extract_events(article)
    best = float("inf")
    for _ in range(repeat):
        set_memos(True)  # texts of the pass before are not remembered sentences
        started = time.process_time()
        for article in articles:
            extract_events(article)
        best = min(best, time.process_time() - started)
    return best * 1000 / len(articles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cases = {
        f"event_articles({args.articles})": event_articles(args.articles),
        "seeds (5, 20 times)": read_seeds() * 20,
        f"5 KB without events ({args.articles})": quiet_articles(args.articles),
        "real news (tests/data/realnews)": real_news(),
    }
    for name, articles in cases.items():
        size = sum(len(a.text) for a in articles) / len(articles)
        print(f"{name:32} {ms_per_article(articles, args.repeat):8.3f} ms/article  (avg {size / 1000:.1f} KB)")


if __name__ == "__main__":
    main()
