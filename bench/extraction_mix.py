"""Extraction CPU per article on the realistic mix, the article gate word by word against
the whole-text search, interleaved in one process.

    python -m bench.extraction_mix [--articles 1500] [--repeat 3]

Articles are ``bench.news_mix.mix_articles`` (~3 KB German, 60% without a scheduled
event). Each repeat times ``extract`` over all of them once with the gate's literals
searched in the whole text (``Gate.found`` with its word table off) and once word by
word; the first 200 articles are extracted beforehand, untimed, so both start with the
same warm caches. Prints process CPU ms per article, min / median.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import consumers.extraction.lexicon as lexicon
from bench.news_mix import meeting_stories, mix_articles
from consumers.extraction.extract import extract
from schemas import Article


def cpu_per_article(articles: list[Article]) -> float:
    start = time.process_time()
    for article in articles:
        extract(article)
    return (time.process_time() - start) / len(articles) * 1e3


def main(args: argparse.Namespace) -> None:
    articles = mix_articles(args.articles, meeting_stories(random.Random(9), 2000))
    for article in articles[:200]:
        extract(article)
    word_table = lexicon._WORD_CACHE_FROM
    runs: dict[str, list[float]] = {"whole text": [], "word by word": []}
    for _ in range(args.repeat):
        for label, threshold in (("whole text", 10**9), ("word by word", word_table)):
            lexicon._WORD_CACHE_FROM = threshold
            runs[label].append(cpu_per_article(articles))
    lexicon._WORD_CACHE_FROM = word_table
    print(f"{len(articles)} articles, {args.repeat} repeats: extraction CPU ms per article, min / median")
    for label, values in runs.items():
        print(f"| gate {label} | {min(values):.3f} / {statistics.median(values):.3f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=3)
    main(parser.parse_args())
