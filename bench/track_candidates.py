"""How many stories a mention meets against how many it could belong to, by live stories.

    python -m bench.track_candidates [--live 1000 10000 50000 200000] [--articles 500]

Pure (no Redis, nothing timed): the live stories of ``bench.track_scale`` (the same
``Universe``, seeds and pre-load) are filed in memory under ``story_store.index_keys``
with their stamps; the measured articles are ``track_scale``'s first run. Per mention:

* ``read``: the distinct stories the candidate lookup returns (``lookup_keys``: the
  latest ``RECENT`` of each term, ``DATED`` of each date bucket), i.e. the heads the
  track stage fetches or finds cached and scores;
* ``could``: the stories of all its terms (no cap) that ``story_tracking`` would accept
  (``match_score`` not None, at the article's time): the floor any index can get to;
* why the others are rejected (participants, family, time, place).

The track stage's cost grows with ``read``; if ``could`` grows too, no keying of the
index makes the cost flat, only a cheaper look at each candidate.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter, defaultdict
from datetime import timedelta

from bench.news_mix import START, Universe, mix_events, story_of
from consumers.story_store import head, index_keys, lookup_keys, stamped
from consumers.story_tracking import _actor_score, _fits_time, _place_score, _Probe, _score, candidate_terms_of, family, story_terms_of
from schemas import Story


def why_not(probe: _Probe, story: Story) -> str:
    """The first of ``_score``'s rejections a story meets (``match`` if none)."""
    if _actor_score(probe, story) is None:
        return "participants"
    if family(story.type) != probe.family:
        return "family"
    if not _fits_time(probe, story):
        return "time"
    if _place_score(probe, story) is None:
        return "place"
    return "match" if _score(probe, story) is not None else "status"


def measure(size: int, n: int, preload: str = "independent") -> str:
    universe = Universe(seed=1)
    idents = universe.identities(size + n) if preload == "independent" else universe.trackable(size + n)
    rng = random.Random(2)
    at = START + timedelta(days=20)
    stories: dict[str, Story] = {}
    by_key: dict[str, list[tuple[int, str]]] = defaultdict(list)
    by_term: dict[str, set[str]] = defaultdict(set)
    for i, ident in enumerate(idents[:size]):
        story = stamped(head(story_of(ident, f"st-pre{i:07d}", 3, at - timedelta(seconds=i), rng)[0]))
        stories[story.story_id] = story
        for key in index_keys(story):
            by_key[key].append((story.stamp, story.story_id))
        for term in story_terms_of(story.type, story.actors, story.location):
            by_term[term].add(story.story_id)
    for members in by_key.values():
        members.sort(reverse=True)
    pool = idents[:size] * 7 + idents[size:] * 3
    articles = mix_events(rng.sample(pool, min(len(pool), 20_000)), n, at + timedelta(hours=1), rng, prefix="c")
    mentions = read = could = 0
    reasons: Counter[str] = Counter()
    for article in articles:
        for m in article.events:
            probe = _Probe.of(m, article.event_time)
            met = {sid for key, cap in lookup_keys(m) for _, sid in by_key.get(key, [])[:cap]}
            everyone = set().union(*(by_term.get(t, set()) for t in candidate_terms_of(m.type, m.actors, m.location)))
            mentions += 1
            read += len(met)
            could += sum(1 for sid in everyone if _score(probe, stories[sid]) is not None)
            reasons.update(why_not(probe, stories[sid]) for sid in met)
    shares = ", ".join(f"{why} {count / max(read, 1):.0%}" for why, count in reasons.most_common())
    return f"| {size:,} | {mentions} | {read / mentions:.2f} | {could / mentions:.2f} | {shares} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--live", type=int, nargs="*", default=[1000, 10_000, 50_000, 200_000])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--preload", choices=["independent", "trackable"], default="independent",
                        help="live stories of independent random identities (as track_scale) or only ones no report of another would fit")
    args = parser.parse_args()
    print("| live stories | mentions | stories read per mention | stories it could belong to | what the read ones are |\n|---|---|---|---|---|")
    for size in args.live:
        print(measure(size, args.articles, args.preload), flush=True)


if __name__ == "__main__":
    main()
