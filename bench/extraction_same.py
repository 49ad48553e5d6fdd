"""Every mention ``extract`` gives on the benchmark and evaluation corpora, to one file:
run it before and after a change to extraction's code and compare the files (``cmp``);
a change meant to cut cost only must leave them byte-identical.

    python -m bench.extraction_same OUT [--memos off]

Corpora: the real-news development half (``tests/data/realnews/dev``), the development
set (``tests/data/devset``), the seed articles, the realistic mix of
``bench.extraction_mix`` (1,500 articles and the 300 of its warm-up seed), the
event-dense and the event-free articles of ``bench.extraction_bench``. The real-news
test half is included as one digest per article (its mentions are not written out), so
the comparison covers it without anyone reading it.
"""

from __future__ import annotations

import argparse
import hashlib
import random
from collections.abc import Iterator
from pathlib import Path

from bench.extraction_bench import REAL_NEWS, quiet_articles
from bench.news_mix import meeting_stories, mix_articles
from bench.pipeline_bench import event_articles
from consumers.evaluation import load_articles
from consumers.extraction.extract import extract
from consumers.extraction.text import set_memos
from schemas import Article
from tests.seedfiles import read_seeds

DEVSET = REAL_NEWS.parent / "devset" / "articles.jsonl"


def corpora() -> Iterator[tuple[str, list[Article], bool]]:
    """(name, articles, written out in full); the test half only as digests."""
    meetings = meeting_stories(random.Random(9), 2000)
    yield "realnews-dev", load_articles(REAL_NEWS / "dev" / "articles.jsonl"), True
    yield "devset", load_articles(DEVSET), True
    yield "seeds", read_seeds(), True
    yield "mix", mix_articles(1500, meetings), True
    yield "mix-99", mix_articles(300, meetings, seed=99), True
    yield "event-dense", event_articles(500), True
    yield "quiet", quiet_articles(200), True
    yield "realnews-test", load_articles(REAL_NEWS / "test" / "articles.jsonl"), False


def lines(name: str, articles: list[Article], full: bool) -> Iterator[str]:
    """One line per mention (or per article's digest), in article order."""
    for n, article in enumerate(articles):
        result = extract(article)
        dumped = [m.model_dump_json() for m in result.events]
        if full:
            yield from (f"{name}\t{n}\t{article.id}\t{d}" for d in dumped)
            if result.over_budget:
                yield f"{name}\t{n}\t{article.id}\tOVER BUDGET"
        else:
            digest = hashlib.sha256("\n".join(dumped).encode()).hexdigest()
            yield f"{name}\t{n}\t{len(dumped)}\t{digest}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--memos", choices=("on", "off"), default="on")
    args = parser.parse_args()
    set_memos(args.memos == "on")
    count = 0
    with args.out.open("w", encoding="utf-8") as out:
        for name, articles, full in corpora():
            for line in lines(name, articles, full):
                out.write(line + "\n")
                count += 1
    print(f"{count} lines -> {args.out}")


if __name__ == "__main__":
    main()
