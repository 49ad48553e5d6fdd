"""Story tracking cost per article, without Redis: what the track stage spends deciding.

    python -m bench.tracking_bench [--articles 2000] [--batch 100] [--seed-rounds 200] [--repeat 3]

Extraction runs once up front; only ``track_article`` is timed. The stream run files
``event_articles`` in order as the track stage does: copies are dropped (deduplication
would), each batch reads the most recently reported stories of its articles'
``candidate_terms`` (at most ``DEFAULT_CANDIDATES`` per term) freshly decoded from JSON,
then tracks its articles in turn, merging each result. The seed run tracks the seed
articles in arrival order from no stories, ``--seed-rounds`` times. Each run is repeated
``--repeat`` times and the fastest is reported (the others were slowed by something else).

Each run also prints a digest of everything tracking decided (assignments, alerts, final
stories), so a faster version can be checked to decide exactly the same.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from collections import defaultdict
from collections.abc import Iterable

from bench.pipeline_bench import event_articles
from consumers.extraction import article_events
from consumers.story_tracking import TrackResult, candidate_terms, story_terms, track_article
from consumers.story_store import RECENT as DEFAULT_CANDIDATES
from schemas import Article, ArticleEvents, Story
from tests.seedfiles import read_seeds


class Digest:
    """A running hash of tracking decisions."""

    def __init__(self) -> None:
        self._h = hashlib.sha256()

    def add(self, result: TrackResult) -> None:
        self._h.update(repr(result.assignments).encode())
        for alert in result.alerts:
            self._h.update(alert.model_dump_json().encode())

    def add_stories(self, stories: Iterable[Story]) -> None:
        for story in sorted(stories, key=lambda s: s.story_id):
            self._h.update(story.model_dump_json().encode())

    def hex(self) -> str:
        return self._h.hexdigest()[:16]


def unique(articles: list[Article]) -> list[Article]:
    """Drop exact copies, as deduplication does before extraction."""
    seen: set[str] = set()
    out = []
    for a in articles:
        if a.text not in seen:
            seen.add(a.text)
            out.append(a)
    return out


class Store:
    """Stories as the stage keeps them: JSON by id, and per-term indexes by last report."""

    def __init__(self) -> None:
        self.json: dict[str, str] = {}
        self.index: dict[str, dict[str, float]] = defaultdict(dict)

    def candidates(self, batch: list[ArticleEvents], per_term: int) -> dict[str, Story]:
        terms = {t for a in batch for m in a.events for t in candidate_terms(m)}
        ids = set()
        for term in terms:
            ranked = sorted(self.index[term].items(), key=lambda kv: kv[1], reverse=True)
            ids.update(sid for sid, _ in ranked[:per_term])
        return {sid: Story.model_validate_json(self.json[sid]) for sid in sorted(ids)}

    def write(self, stories: Iterable[Story]) -> None:
        for story in stories:
            self.json[story.story_id] = story.model_dump_json(exclude_none=True)
            last = max((t.at for t in story.timeline), default=story.status_since).timestamp()
            for term in story_terms(story):
                self.index[term][story.story_id] = max(last, self.index[term].get(story.story_id, last))


def run_stream(extracted: list[ArticleEvents], batch: int, per_term: int) -> tuple[float, str, int]:
    """Seconds spent in ``track_article``, the decisions' digest, and the stories made."""
    store, digest, spent = Store(), Digest(), 0.0
    for start in range(0, len(extracted), batch):
        chunk = extracted[start:start + batch]
        stories = store.candidates(chunk, per_term)
        changed: dict[str, Story] = {}
        for article in chunk:
            t0 = time.perf_counter()
            result = track_article(article, stories)
            spent += time.perf_counter() - t0
            stories.update(result.stories)
            changed.update(result.stories)
            digest.add(result)
        store.write(changed.values())
    digest.add_stories(Story.model_validate_json(j) for j in store.json.values())
    return spent, digest.hex(), len(store.json)


def run_seeds(extracted: list[ArticleEvents], rounds: int) -> tuple[float, str]:
    """Seconds spent in ``track_article`` over all rounds, and the last round's digest."""
    spent, digest = 0.0, Digest()
    for _ in range(rounds):
        stories: dict[str, Story] = {}
        digest = Digest()
        for article in extracted:
            t0 = time.perf_counter()
            result = track_article(article, stories)
            spent += time.perf_counter() - t0
            stories.update(result.stories)
            digest.add(result)
        digest.add_stories(stories.values())
    return spent, digest.hex()


def main(args: argparse.Namespace) -> None:
    articles = unique(event_articles(args.articles))
    extracted = [article_events(a) for a in articles]
    mentions = sum(len(a.events) for a in extracted)
    runs = [run_stream(extracted, args.batch, args.candidates) for _ in range(args.repeat)]
    spent, digest, n_stories = min(runs)
    assert len({r[1:] for r in runs}) == 1, "tracking decided differently on the same input"
    print(f"stream: {len(extracted)} articles ({mentions} mentions, {n_stories} stories), "
          f"track_article {spent / len(extracted) * 1e6:.1f} µs/article, digest {digest}")
    seeds = sorted(read_seeds(), key=lambda a: (a.received_at or a.event_time, a.id))
    seed_events = [article_events(a) for a in seeds]
    spent, digest = min(run_seeds(seed_events, args.seed_rounds) for _ in range(args.repeat))
    per = spent / (len(seed_events) * args.seed_rounds)
    print(f"seeds: {len(seed_events)} articles ({sum(len(a.events) for a in seed_events)} mentions) x {args.seed_rounds}, "
          f"track_article {per * 1e6:.1f} µs/article, digest {digest}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=100, help="entries per batch (the stage's COUNT)")
    parser.add_argument("--candidates", type=int, default=DEFAULT_CANDIDATES, help="stories read per index term")
    parser.add_argument("--seed-rounds", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, the fastest reported")
    main(parser.parse_args())
