"""Evaluation against a labelled development set (pure, apart from reading its files).

``evaluate(decisions, alerts, labels_path)`` takes what a replay produced: per article a
decision dict ``{"article_id", "events": [{"story_id", "type", "status", "actors"?,
"location"?, "background"?, "in_lead"?, "confidence"?}]}`` and the alert dicts; the
labels say per article which stories it reports with which status, and per story its
expected transitions. ``run_pure_pipeline`` produces such outputs in-process, without
Redis, so the figures can be computed in a test.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from consumers.extraction import article_events
from consumers.extraction.lexicon import year_edition
from consumers.story_status import STAGE
from consumers.story_tracking import family, fold, place_word, track_article
from schemas import Article, Status, Story

NONE = "none"
"""Confusion-matrix label for an expected event the system did not report."""


def load_articles(path: Path) -> list[Article]:
    """A JSONL file of Article records."""
    return [Article.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_labels(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def run_pure_pipeline(articles: list[Article], skip: set[str] | None = None) -> tuple[list[dict], dict[str, Story], list[dict]]:
    """Extract and track in arrival order (received_at, else event time), as the stream would.

    ``skip`` holds the ids of copies (what deduplication drops). Returns the decisions,
    the final stories and the alerts, as the evaluation expects them.
    """
    skip = skip or set()
    ordered = sorted((a for a in articles if a.id not in skip), key=lambda a: (a.received_at or a.event_time, a.id))
    stories: dict[str, Story] = {}
    decisions: list[dict] = []
    alerts: list[dict] = []
    for article in ordered:
        result_in = article_events(article)
        result = track_article(result_in, stories)
        stories.update(result.stories)
        alerts += [a.model_dump(mode="json") for a in result.alerts]
        events = [m.model_dump(mode="json") | {"story_id": sid} for m, sid in zip(result_in.events, result.assignments, strict=True)]
        decisions.append({"article_id": article.id, "events": events})
    return decisions, stories, alerts


def _claim_rank(event: dict) -> tuple[bool, bool, float]:
    return (not event.get("background", False), bool(event.get("in_lead", False)), float(event.get("confidence", 1.0)))


def article_claims(decision: dict) -> dict[str, dict]:
    """One claim per story an article was filed under: news, then lead, then confidence."""
    best: dict[str, dict] = {}
    for event in decision.get("events", []):
        sid = event.get("story_id")
        if sid and (sid not in best or _claim_rank(event) > _claim_rank(best[sid])):
            best[sid] = event
    return best


_NAME_STOP = frozenset(
    "the der die das den dem des von van von und and of for fc sc club team mission president präsident "
    "kanzler chancellor minister ministerin king könig queen prime premier".split()
)


def name_tokens(names: list[str] | None) -> set[str]:
    """The distinctive words of participant or place names, lowered.

    Labels name participants as a reader would ("Pittsburgh Steelers", "Olaf Scholz"); the
    system may report a shorter or longer form ("Steelers", "Scholz"). Matching on shared
    distinctive words judges the story, not the spelling of its names: accents folded
    ("Erdoğan", "Erdogan") and a place's German or English name its own ("Mailand-Sanremo",
    "Milan-San Remo"), as labels name a story once whatever the language of its reports.
    """
    words: set[str] = set()
    for name in names or []:
        for word in re.findall(r"\w+", fold(name)):
            if len(word) >= 3 and word not in _NAME_STOP:
                words.update(place_word(word))
    return words


def _fits(claim: dict, story: dict) -> float:
    """How well a reported story fits a labelled one (0 = not at all)."""
    if family(claim.get("type", "")) != family(story["type"]):
        return 0.0
    mine, theirs = name_tokens(claim.get("actors")), name_tokens(story.get("actors"))
    if mine and theirs and not mine & theirs:
        return 0.0
    places = name_tokens([claim.get("location") or ""]), name_tokens([story.get("location") or "", story.get("country") or ""])
    if places[0] and places[1] and not places[0] & places[1]:
        return 0.0
    return 1.0 + len(mine & theirs) / max(1, len(mine | theirs)) + (0.5 if places[0] & places[1] else 0.0) + _year_fit(claim, story)


YEAR_FIT = 0.25
"""What a claim's year (its edition's, else its date's) adds where it is the labelled
event's, or takes where it is another: a tie-break between two editions of one event in
one article ("returns one year after it was cancelled"), never a fit by itself."""


def _year_fit(claim: dict, story: dict) -> float:
    mine = year_edition(claim.get("edition")) or (int(claim["event_date"][:4]) if claim.get("event_date") else None)
    theirs = int(story["event_date"][:4]) if story.get("event_date") else None
    if mine is None or theirs is None:
        return 0.0
    return YEAR_FIT if mine == theirs else -YEAR_FIT


@dataclass
class Report:
    """The figures of one evaluation run."""

    status_accuracy: float
    status_total: int
    bcubed: tuple[float, float, float]
    alert_precision: float
    alert_recall: float
    alerts: int
    expected_transitions: int
    backward_alerts: int
    junk_alerts: int
    spurious_events: int
    confusion: dict[str, Counter] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    finals: list[tuple[str, str, str, str]] = field(default_factory=list)
    """Per labelled story with transitions: (story, type, expected final status, reported final status)."""
    by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Story type -> (labelled events with the right status, labelled events)."""
    by_language: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Article language -> (labelled events with the right status, labelled events)."""
    copies: tuple[int, int, int] = (0, 0, 0)
    """Deduplication: (copies flagged as labelled, articles flagged as copies, labelled copies)."""
    by_story: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Labelled story -> (its labelled events with the right status, its labelled events):
    what ``intervals`` resamples."""
    unmatched: Counter = field(default_factory=Counter)
    """Labelled events without a claim of their story, by cause (``UNMATCHED``)."""

    @property
    def dedup_precision(self) -> float:
        return self.copies[0] / self.copies[1] if self.copies[1] else 1.0

    @property
    def dedup_recall(self) -> float:
        return self.copies[0] / self.copies[2] if self.copies[2] else 1.0

    @property
    def finals_right(self) -> int:
        return sum(1 for _, _, want, got in self.finals if want == got)


UNMATCHED = ("no claim at all", "other kinds only", "other participants", "another place", "claim taken")
"""Why a labelled event got no claim of its story, tested in this order over all the
article's claims, the way ``_fits`` checks them: the article has none; none is of the
story's family; those that are name other participants; those that name its participants
(or none) are placed elsewhere; one fits but was matched to another labelled event of the
same article (two labelled events, one claim: an event and its near miss read as one).
Read in aggregate, they say where a half's misses lie (finding the event, naming its
sides, placing it, telling two events apart) without listing its articles."""


def _unmatched_cause(claims: dict[str, dict], story: dict) -> str:
    """Which of ``UNMATCHED`` kept every claim of an article from fitting a labelled story."""
    if not claims:
        return UNMATCHED[0]
    same_kind = [c for c in claims.values() if family(c.get("type", "")) == family(story["type"])]
    if not same_kind:
        return UNMATCHED[1]
    theirs = name_tokens(story.get("actors"))
    sided = [c for c in same_kind if not (theirs and (mine := name_tokens(c.get("actors"))) and not mine & theirs)]
    if not sided:
        return UNMATCHED[2]
    return UNMATCHED[4] if any(_fits(c, story) > 0 for c in sided) else UNMATCHED[3]


def _match(decisions: list[dict], labels: dict) -> tuple[list[tuple[str, str, str | None, str]], list[tuple[str, str]], Counter]:
    """(article, story label, story id, reported status) per expected event, spurious
    claims, and why the events without a claim of their story got none (``UNMATCHED``)."""
    stories = labels["stories"]
    items, spurious, unmatched = [], [], Counter()
    by_id = {d["article_id"]: d for d in decisions}
    for article_id, meta in labels["articles"].items():
        if meta.get("duplicate_of"):
            continue
        claims = article_claims(by_id.get(article_id, {}))
        events = meta.get("events", [])
        options = [sorted(((fit, sid) for sid, c in claims.items() if (fit := _fits(c, stories[e["story"]])) > 0), reverse=True) for e in events]
        chosen = _assignment(options)
        for expected, sid in zip(events, chosen):
            if sid is not None:
                items.append((article_id, expected["story"], sid, claims[sid]["status"]))
            else:
                items.append((article_id, expected["story"], None, NONE))
                unmatched[_unmatched_cause(claims, stories[expected["story"]])] += 1
        spurious += [(article_id, sid) for sid in claims if sid not in chosen]
    return items, spurious, unmatched


def _assignment(options: list[list[tuple[float, str]]]) -> list[str | None]:
    """One claim per labelled event of an article, each claim used once, as many events
    matched as can be. Taking each event's best claim in label order can give an earlier
    event the one claim a later event alone fits (two concerts, a claim placed at each
    city) and leave the later one without; among the assignments that match the most,
    the one taken is the first in that same order (each event's best fit first), so where
    label order loses nothing the match is exactly that order's."""

    @lru_cache(maxsize=None)
    def best(i: int, used: frozenset[str]) -> tuple[int, tuple[str | None, ...]]:
        if i == len(options):
            return 0, ()
        answer: tuple[int, tuple[str | None, ...]] | None = None
        for _, sid in options[i]:
            if sid not in used:
                matched, rest = best(i + 1, used | {sid})
                if answer is None or matched + 1 > answer[0]:
                    answer = (matched + 1, (sid, *rest))
        matched, rest = best(i + 1, used)
        if answer is None or matched > answer[0]:
            answer = (matched, (None, *rest))
        return answer

    return list(best(0, frozenset())[1])


def bcubed(gold: list[str], predicted: list[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering (items in the same order)."""
    n = len(gold)
    if n == 0:
        return 1.0, 1.0, 1.0
    precision = recall = 0.0
    for i in range(n):
        same_pred = [j for j in range(n) if predicted[j] == predicted[i]]
        same_gold = [j for j in range(n) if gold[j] == gold[i]]
        both = sum(1 for j in same_pred if gold[j] == gold[i])
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    p, r = precision / n, recall / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _story_labels(items: list[tuple[str, str, str | None, str]]) -> dict[str, str]:
    """Each reported story's label: the labelled story most of its events belong to."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for _, label, sid, _ in items:
        if sid:
            votes[sid][label] += 1
    return {sid: c.most_common(1)[0][0] for sid, c in votes.items()}


def _alert_scores(alerts: list[dict], labels: dict, names: dict[str, str]) -> tuple[int, int, int, int]:
    """(true positives, expected, backward alerts, alerts from junk text)."""
    gold = Counter(
        (label, *(tuple(t))) for label, story in labels["stories"].items() if not story.get("background") for t in story.get("transitions", [])
    )  # a story known only from recounted background is filed, never announced
    got = Counter((names.get(a["story_id"]), a.get("from_status"), a["to_status"]) for a in alerts)
    hits = sum((gold & got).values())
    backward = sum(1 for a in alerts if a.get("from_status") and STAGE[Status(a["to_status"])] < STAGE[Status(a["from_status"])] and not gold[(names.get(a["story_id"]), a["from_status"], a["to_status"])])
    junk = {aid: meta.get("junk", []) for aid, meta in labels["articles"].items()}
    from_junk = sum(1 for a in alerts if any(_overlaps(j, a.get("evidence", "")) for j in junk.get(a.get("article_id"), ())))
    return hits, sum(gold.values()), backward, from_junk


def _final_statuses(
    items: list[tuple[str, str, str | None, str]], alerts: list[dict], labels: dict, statuses: dict[str, str] | None
) -> list[tuple[str, str, str, str]]:
    """Each labelled story's expected final status against that of the story it was mostly
    filed under: its status at the end when known, else the last alert's."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for _, label, sid, _ in items:
        if sid:
            votes[label][sid] += 1
    last: dict[str, str] = {}
    for alert in alerts:
        last[alert["story_id"]] = alert["to_status"]
    last |= statuses or {}
    finals = []
    for label, story in labels["stories"].items():
        if not story.get("transitions"):
            continue
        sid = votes[label].most_common(1)[0][0] if votes[label] else None
        finals.append((label, story["type"], story["transitions"][-1][1], last.get(sid, NONE) if sid else NONE))
    return finals


RESAMPLES = 2000
"""Bootstrap resamples behind ``intervals`` (seeded: the same labels give the same interval)."""


def intervals(report: Report, level: float = 0.95, resamples: int = RESAMPLES) -> dict[str, tuple[float, float]]:
    """How far status accuracy and the share of right final statuses could move on another
    draw of stories like these: a percentile bootstrap over the labelled stories (a story's
    events go together, as they do not vary apart). On a half of 66 stories status accuracy
    spans about +-0.06 and the final statuses +-0.12: a change smaller than that is not
    shown by the half alone."""
    events = list(report.by_story.values())
    finals = [want == got for _, _, want, got in report.finals]
    rng = random.Random(0)
    out: dict[str, tuple[float, float]] = {}
    for name, draw in (
        ("status", lambda: _ratio(rng.choices(events, k=len(events)))),
        ("final", lambda: sum(rng.choices(finals, k=len(finals))) / len(finals)),
    ):
        if (events if name == "status" else finals):
            values = sorted(draw() for _ in range(resamples))
            out[name] = (values[int((1 - level) / 2 * resamples)], values[min(resamples - 1, int((1 + level) / 2 * resamples))])
    return out


def _ratio(stories: list[tuple[int, int]]) -> float:
    total = sum(t for _, t in stories)
    return sum(r for r, _ in stories) / total if total else 1.0


def _tally(items: list[tuple[str, str, str | None, str]], want: dict[tuple[str, str], str], key: Any) -> dict[str, tuple[int, int]]:
    right: Counter = Counter()
    total: Counter = Counter()
    for article_id, label, _, got in items:
        k = key(article_id, label)
        total[k] += 1
        right[k] += want[(article_id, label)] == got
    return {k: (right[k], total[k]) for k in sorted(total)}


def _copies(decisions: list[dict], labels: dict) -> tuple[int, int, int]:
    """A flagged copy is right when the labels call it a copy (of any article: which one
    came first depends on arrival)."""
    if not any("duplicate_of" in d for d in decisions):
        return 0, 0, 0  # deduplication did not run (the in-process evaluation skips labelled copies)
    gold = {a for a, meta in labels["articles"].items() if meta.get("duplicate_of")}
    flagged = {d["article_id"] for d in decisions if d.get("duplicate_of")}
    return len(flagged & gold), len(flagged), len(gold)


def _overlaps(junk: str, evidence: str) -> bool:
    """Evidence taken from a labelled junk line (a teaser, a caption) of the alert's own
    article: a short junk line elsewhere ("Brazil", "By AFP") says nothing of this one."""
    return bool(evidence) and (junk in evidence or (len(evidence) >= 15 and evidence in junk))


def evaluate(
    decisions: list[dict],
    alerts: list[dict],
    labels_path: Path | str,
    languages: dict[str, str] | None = None,
    statuses: dict[str, str] | None = None,
) -> Report:
    """Status accuracy, B-cubed clustering, alert precision/recall, confusion matrix.

    ``languages`` (article id -> language) adds the per-language breakdown; ``statuses``
    (story id -> status at the end) judges final statuses, else the last alerts do.
    """
    labels = load_labels(Path(labels_path))
    items, spurious, unmatched = _match(decisions, labels)
    confusion: dict[str, Counter] = defaultdict(Counter)
    expected_status = {(a, e["story"]): e["status"] for a, meta in labels["articles"].items() for e in meta.get("events", [])}
    correct = 0
    misses = []
    for article_id, label, _, got in items:
        want = expected_status[(article_id, label)]
        confusion[want][got] += 1
        correct += want == got
        if want != got:
            misses.append(f"{article_id}: {label} expected {want}, got {got}")
    gold = [label for _, label, _, _ in items] + [f"spurious:{a}:{s}" for a, s in spurious]
    predicted = [sid or f"unmatched:{a}:{label}" for a, label, sid, _ in items] + [s for _, s in spurious]
    hits, expected, backward, junk = _alert_scores(alerts, labels, _story_labels(items))
    return Report(
        status_accuracy=correct / len(items) if items else 1.0,
        status_total=len(items),
        bcubed=bcubed(gold, predicted),
        alert_precision=hits / len(alerts) if alerts else 1.0,
        alert_recall=hits / expected if expected else 1.0,
        alerts=len(alerts),
        expected_transitions=expected,
        backward_alerts=backward,
        junk_alerts=junk,
        spurious_events=len(spurious),
        unmatched=unmatched,
        confusion=dict(confusion),
        misses=misses,
        finals=_final_statuses(items, alerts, labels, statuses),
        copies=_copies(decisions, labels),
        by_kind=_tally(items, expected_status, lambda _a, label: labels["stories"][label]["type"]),
        by_language=_tally(items, expected_status, lambda a, _label: (languages or {}).get(a, "?")),
        by_story=_tally(items, expected_status, lambda _a, label: label),
    )


def format_report(report: Report, misses: bool = True) -> str:
    """The figures as a short text table, with the articles it got wrong unless ``misses``
    is off (a held-out half is read only in aggregate)."""
    p, r, f = report.bcubed
    statuses = [s.value for s in Status] + [NONE]
    lines = [
        f"status accuracy   {report.status_accuracy:.1%} of {report.status_total} labelled events",
        f"B-cubed           P {p:.3f}  R {r:.3f}  F1 {f:.3f}",
        f"alerts            P {report.alert_precision:.1%}  R {report.alert_recall:.1%}  ({report.alerts} raised, {report.expected_transitions} expected)",
        f"backward alerts   {report.backward_alerts}",
        f"alerts from junk  {report.junk_alerts}",
        f"spurious events   {report.spurious_events} (story claims no label expects)",
        f"no claim of story {sum(report.unmatched.values())} ({_causes(report)})",
        f"final status      {report.finals_right} of {len(report.finals)} stories right",
        f"copies            P {report.dedup_precision:.2f}  R {report.dedup_recall:.2f}  ({report.copies[1]} flagged, {report.copies[2]} labelled)",
        "",
        "confusion (rows expected, columns reported)",
        "".ljust(12) + "".join(s[:10].ljust(11) for s in statuses),
    ]
    lines += [want.ljust(12) + "".join(str(report.confusion.get(want, Counter())[got]).ljust(11) for got in statuses) for want in statuses[:-1]]
    if report.misses and misses:
        lines += ["", "misses:"] + [f"  {m}" for m in report.misses]
    elif report.misses:
        lines += ["", f"misses: {len(report.misses)} (not listed: a held-out half is read in aggregate; --show-test-misses lists them)"]
    return "\n".join(lines)


def _causes(report: Report) -> str:
    """The causes of the events without a claim of their story, most frequent first."""
    return ", ".join(f"{cause} {n}" for cause, n in report.unmatched.most_common()) or "-"


def _share(right: int, total: int) -> str:
    return f"{right / total:.2f} ({right}/{total})" if total else "-"


def _interval(report: Report, name: str) -> str:
    low, high = intervals(report).get(name, (float("nan"), float("nan")))
    return f"{low:.2f}-{high:.2f}"


def format_comparison(reports: dict[str, Report]) -> str:
    """Several evaluations (e.g. the development and the test half) side by side.

    Per kind of event and per language: status accuracy over labelled events, and for kinds
    how many stories end in the right status.
    """
    names = list(reports)
    rows: list[tuple[str, list[str]]] = [("", names)]

    def row(title: str, cells: list[str]) -> None:
        rows.append((title, cells))

    for title, cell in (
        ("status accuracy", lambda r: _share(round(r.status_accuracy * r.status_total), r.status_total)),
        ("  95% CI over stories", lambda r: _interval(r, "status")),
        ("story B-cubed F1", lambda r: f"{r.bcubed[2]:.3f} (P {r.bcubed[0]:.2f} R {r.bcubed[1]:.2f})"),
        ("final status right", lambda r: _share(r.finals_right, len(r.finals))),
        ("  95% CI over stories", lambda r: _interval(r, "final")),
        ("alert precision", lambda r: _share(round(r.alert_precision * r.alerts), r.alerts)),
        ("alert recall", lambda r: _share(round(r.alert_recall * r.expected_transitions), r.expected_transitions)),
        ("backward alerts", lambda r: str(r.backward_alerts)),
        ("alerts from junk", lambda r: str(r.junk_alerts)),
        ("spurious events", lambda r: str(r.spurious_events)),
        ("no claim of its story", lambda r: str(sum(r.unmatched.values()))),
        *((f"  {cause}", lambda r, cause=cause: str(r.unmatched[cause])) for cause in UNMATCHED),
        ("copies flagged/labelled", lambda r: f"P {r.dedup_precision:.2f} R {r.dedup_recall:.2f} ({r.copies[1]}/{r.copies[2]})"),
    ):
        row(title, [cell(reports[n]) for n in names])
    kinds = sorted({k for r in reports.values() for k in r.by_kind})
    row("", [])
    row("by kind", [f"{n}: status, final" for n in names])
    for kind in kinds:
        cells = []
        for n in names:
            r = reports[n]
            finals = [f for f in r.finals if f[1] == kind]
            right = sum(1 for _, _, want, got in finals if want == got)
            cells.append(f"{_share(*r.by_kind.get(kind, (0, 0)))} {right}/{len(finals)}")
        row(f"  {kind}", cells)
    languages = sorted({k for r in reports.values() for k in r.by_language})
    row("", [])
    row("by language", [f"{n}: status" for n in names])
    for language in languages:
        row(f"  {language}", [_share(*reports[n].by_language.get(language, (0, 0))) for n in names])
    # each column as wide as its widest cell: a long cell never runs into the next column
    width = max(len(c) for _, cells in rows for c in cells) + 2
    lines = [(title.ljust(24) + "".join(c.ljust(width) for c in cells)).rstrip() for title, cells in rows]
    return "\n".join(lines)


def labelled_sets(path: Path) -> dict[str, Path]:
    """The labelled sets a path names: a labels.json, a folder holding one, or a folder of such folders.

    A corpus split into halves (``dev/``, ``test/``) is evaluated half by half, development first.
    """
    if path.is_file():
        return {path.parent.name: path}
    if (path / "labels.json").exists():
        return {path.name: path / "labels.json"}
    halves = sorted((p for p in path.iterdir() if (p / "labels.json").exists()), key=lambda p: (p.name != "dev", p.name))
    if not halves:
        raise FileNotFoundError(f"{path}: no labels.json in it or in its folders")
    return {p.name: p / "labels.json" for p in halves}


def article_languages(articles: list[Article]) -> dict[str, str]:
    return {a.id: a.language or "?" for a in articles if a.id}


def main(argv: list[str] | None = None) -> None:
    """``python -m consumers.evaluation [FOLDER]``: the in-process evaluation (no Redis).

    FOLDER holds labels.json and articles.jsonl, or halves (dev/, test/) that do.
    """
    import sys

    folder = Path((argv or sys.argv[1:] or ["tests/data/devset"])[0])
    reports = {}
    for name, labels_path in labelled_sets(folder).items():
        labels = load_labels(labels_path)
        articles = load_articles(labels_path.parent / "articles.jsonl")
        skip = {a for a, meta in labels["articles"].items() if meta.get("duplicate_of")}
        decisions, stories, alerts = run_pure_pipeline(articles, skip)
        statuses = {sid: story.status.value for sid, story in stories.items()}
        reports[name] = evaluate(decisions, alerts, labels_path, article_languages(articles), statuses)
    if len(reports) == 1:
        print(format_report(next(iter(reports.values()))))
    print(format_comparison(reports))


if __name__ == "__main__":
    main()
