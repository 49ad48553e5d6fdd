"""Extraction CPU per article on the realistic mix, in one process: with the
per-process sentence memos and without them, interleaved.

    python -m bench.extraction_mix [--articles 1500] [--repeat 3]

Articles are ``bench.news_mix.mix_articles`` (~3 KB German, 60% without a scheduled
event, 30% near-copies of one of the 300 articles before). Before the timed passes,
300 articles of another seed are extracted (untimed: compiled patterns, the tagger's
and the word tables' caches warm). Each repeat times ``extract`` over all the articles
once with the memos (``consumers.extraction.text.Memo``) emptied before the pass, so
only what the pass itself repeats is found there (copies, boilerplate), and once with
the memos off. Prints process CPU ms per article, min / median.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from bench.news_mix import meeting_stories, mix_articles
from consumers.extraction.extract import extract
from consumers.extraction.text import set_memos
from schemas import Article


def cpu_per_article(articles: list[Article]) -> float:
    start = time.process_time()
    for article in articles:
        extract(article)
    return (time.process_time() - start) / len(articles) * 1e3


def main(args: argparse.Namespace) -> None:
    meetings = meeting_stories(random.Random(9), 2000)
    articles = mix_articles(args.articles, meetings)
    for article in mix_articles(300, meetings, seed=99):
        extract(article)
    runs: dict[str, list[float]] = {"memos on (emptied before each pass)": [], "memos off": []}
    for _ in range(args.repeat):
        for label, enabled in (("memos on (emptied before each pass)", True), ("memos off", False)):
            set_memos(enabled)
            runs[label].append(cpu_per_article(articles))
    set_memos(True)
    print(f"{len(articles)} articles, {args.repeat} repeats: extraction CPU ms per article, min / median")
    for label, values in runs.items():
        print(f"| {label} | {min(values):.3f} / {statistics.median(values):.3f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=3)
    main(parser.parse_args())
