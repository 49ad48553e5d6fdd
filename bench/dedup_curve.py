"""Precision and recall of the near-duplicate rule on the generated test set.

For every parameter set: the share of copy pairs that become LSH candidates (share at
least one band), the share of non-copy pairs that do (verification work), and
precision/recall of the verified decision as the containment threshold moves.
Pure functions only, no Redis.

    python -m bench.dedup_curve
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np

from consumers.fingerprint import normalise_text
from consumers.near_duplicates import NearParams, NearSketch, Thresholds, is_copy, similarity, sketch
from tests.data.dedup.make_corpus import Item, build


@dataclass(frozen=True)
class Pair:
    copy: bool
    edit: str
    a: NearSketch
    b: NearSketch


def pairs(items: list[Item], params: NearParams) -> list[Pair]:
    """Each copy and each non-copy against the original; non-copies also against the cut copy."""
    sketches = {i.id: sketch(normalise_text(i.text), params) for i in items}
    out = []
    for item in items:
        if item.role == "original":
            continue
        against = [f"{item.event}-orig"] + ([f"{item.event}-cut"] if item.role != "copy" else [])
        out += [Pair(item.role == "copy", item.edit, sketches[item.id], sketches[o]) for o in against]
    return out


def candidate(p: Pair) -> bool:
    return bool(np.any(np.frombuffer(p.a.bands, "<u8") == np.frombuffer(p.b.bands, "<u8")))


def table(items: list[Item], params: NearParams, thresholds: list[float], floor: float, jaccard: float) -> str:
    ps = pairs(items, params)
    sims = [similarity(p.a, p.b) for p in ps]
    copies = [p.copy for p in ps]
    cand = [candidate(p) for p in ps]
    n_pos, n_neg = sum(copies), len(copies) - sum(copies)
    lines = [
        f"### shingles={params.shingle_words} perms={params.num_perm} bands={params.bands} rows={params.rows}",
        "",
        f"LSH candidates: {sum(c for c, y in zip(cand, copies) if y) / n_pos:.3f} of {n_pos} copy pairs, "
        f"{sum(c for c, y in zip(cand, copies) if not y) / n_neg:.3f} of {n_neg} non-copy pairs. "
        f"Max estimated containment of a non-copy: {max(c for (j, c), y in zip(sims, copies) if not y):.3f}; "
        f"min of a copy: {min(c for (j, c), y in zip(sims, copies) if y):.3f}.",
        "",
        "| containment >= | recall | precision | false duplicates |",
        "|---|---|---|---|",
    ]
    for t in thresholds:
        rule = Thresholds(jaccard=jaccard, containment=t, jaccard_floor=floor)
        said = [k and is_copy(j, c, rule) for (j, c), k in zip(sims, cand)]
        tp = sum(s and y for s, y in zip(said, copies))
        fp = sum(s and not y for s, y in zip(said, copies))
        precision = tp / (tp + fp) if tp + fp else 1.0
        lines.append(f"| {t:.2f} | {tp / n_pos:.3f} | {precision:.3f} | {fp} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=60, help="events per language")
    args = parser.parse_args()
    items = build(args.events)
    grid = [(5, 128, 16, 1), (5, 128, 32, 2), (5, 128, 16, 8), (5, 64, 16, 1), (3, 128, 16, 1)]
    for k, perms, bands, rows in grid:
        params = NearParams(shingle_words=k, num_perm=perms, bands=bands, rows=rows)
        print(table(items, params, [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], floor=Thresholds().jaccard_floor, jaccard=Thresholds().jaccard))


if __name__ == "__main__":
    main()
