"""The status decision of a story, from its timeline of claims (pure).

The rule, in one paragraph: a story's claims are ordered by event time (the article's
publication, else its arrival). Claims asked as questions (confidence below
``MIN_CONFIDENCE``) never count. The first claim sets the status; each later claim that
differs may replace it. A claim that moves the story forward in its life
(planned -> postponed/on hold -> cancelled/took place, or sideways) replaces it unless
more independent sources reaffirmed the current status since the new one was first
reported; a claim that moves it back (e.g. cancelled -> planned) needs more independent
sources than the current status has within ``WINDOW``; ties keep the current status, so
conflicting sources cannot make the story flap. Background claims (recounted older
events) only ever move a story on to took place (``recounted_move``). Sources are
independent when their agency (else outlet) differs; a source counts with its latest
claim only. An article older than the newest claim only fills in the timeline: it never
changes the status (see ``story_tracking``).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from operator import itemgetter

from schemas import Status, TimelineEntry

WINDOW = timedelta(hours=48)
"""How far back conflicting claims are weighed against each other."""
MIN_CONFIDENCE = 0.4
"""Claims below this (questions) are kept in the timeline but never decide."""

STAGE = {Status.PLANNED: 0, Status.POSTPONED: 1, Status.ON_HOLD: 1, Status.CANCELLED: 2, Status.TOOK_PLACE: 2}
"""How far along its life a status puts an event: moving to a lower stage is going back."""


@dataclass(frozen=True)
class Decision:
    """The status a timeline supports, since when, and the claim that set it."""

    status: Status
    since: datetime
    basis: TimelineEntry
    sources: int


def source_key(entry: TimelineEntry) -> str:
    """What makes two claims independent: agency, else outlet, else the article."""
    return entry.agency or entry.source or entry.article_id


def instant(at: datetime) -> datetime:
    """``at`` in UTC: compares and subtracts as ``at`` does, but fast.

    Decoded times each carry their own tzinfo object, so every comparison between them
    asks both for their offset; times sharing the UTC object compare field by field.
    """
    return at if at.tzinfo is None else at.astimezone(UTC)


def timed(timeline: list[TimelineEntry]) -> list[tuple[datetime, TimelineEntry]]:
    """Each claim with its instant."""
    return [(instant(e.at), e) for e in timeline]


def _in_order(claims: list[tuple[datetime, TimelineEntry]]) -> list[tuple[datetime, TimelineEntry]]:
    """Counted claims with their instants, in event-time order (then article, status)."""
    keyed = [((at, e.article_id, e.status), e) for at, e in claims if e.confidence >= MIN_CONFIDENCE]
    keyed.sort(key=itemgetter(0))
    return [(key[0], e) for key, e in keyed]


def counted(timeline: list[TimelineEntry]) -> list[TimelineEntry]:
    """The claims that take part in the decision, in event-time order."""
    return [e for _, e in _in_order(timed(timeline))]


def is_backward(current: Status, new: Status) -> bool:
    return STAGE[new] < STAGE[current]


def recounted_move(current: Status, new: Status) -> bool:
    """Whether a background claim (a recounted event) may move a story from ``current``.

    Only to took_place: "the summit they held last week" tells that the event happened,
    but a recounted call-off or delay is as often an earlier edition's or an earlier turn
    ("after Hurricane Sandy forced the cancellation of last year's race", in a report on
    this year's): never this story's news. A recounted plan never moves a story back.
    """
    return new == Status.TOOK_PLACE and not is_backward(current, new)


class _Window:
    """The claims within ``WINDOW`` of the newest one folded in, kept as the fold moves on.

    Claims are in event-time order, so the window is a run ``claims[start:end]`` whose
    start only moves forward: each claim enters and leaves once, and each source's latest
    claim and the tally of their statuses are updated as it does. A step of the fold then
    costs the number of sources, not the length of the timeline (which grows unbounded).
    """

    def __init__(self, claims: list[TimelineEntry], instants: list[datetime]) -> None:
        self.instants = instants
        self.statuses = [e.status for e in claims]
        self.keys = [source_key(e) for e in claims]
        self.start = 0
        self.latest: dict[str, int] = {}
        self.tally = dict.fromkeys(Status, 0)
        self.positions: dict[Status, list[int]] = {s: [] for s in Status}

    def push(self, i: int) -> None:
        """Fold in claim ``i`` (the next one) and drop the claims older than the window."""
        status, key = self.statuses[i], self.keys[i]
        if (previous := self.latest.get(key)) is not None:
            self.tally[self.statuses[previous]] -= 1
        self.latest[key] = i
        self.tally[status] += 1
        self.positions[status].append(i)
        horizon = self.instants[i] - WINDOW
        while self.instants[self.start] < horizon:
            self._drop(self.start)
            self.start += 1

    def _drop(self, j: int) -> None:
        """A claim leaves; its source goes with it when it was that source's latest."""
        key = self.keys[j]
        if self.latest.get(key) == j:
            del self.latest[key]
            self.tally[self.statuses[j]] -= 1

    def first_at(self, status: Status) -> datetime:
        """Instant of the window's first claim of ``status`` (one must be in it)."""
        seen = self.positions[status]
        return self.instants[seen[bisect_left(seen, self.start)]]

    def wins(self, status: Status, current: Status) -> bool:
        """Does a claim of ``status`` (the newest pushed) take over from ``current``?"""
        challengers = self.tally[status]
        if is_backward(current, status):
            return challengers > self.tally[current]
        first = self.first_at(status)
        defenders = sum(1 for j in self.latest.values() if self.statuses[j] == current and self.instants[j] >= first)
        return challengers > defenders


def decide(timeline: list[TimelineEntry]) -> Decision | None:
    """Fold the timeline in event-time order into one status (None if nothing counts)."""
    return decide_timed(timed(timeline))


def decide_timed(claims: list[tuple[datetime, TimelineEntry]]) -> Decision | None:
    """``decide`` for a timeline whose instants are worked out already (see ``timed``)."""
    ordered = _in_order(claims)
    if not ordered:
        return None
    claims = [e for _, e in ordered]
    window = _Window(claims, [at for at, _ in ordered])
    window.push(0)
    basis = claims[0]
    for i in range(1, len(claims)):
        window.push(i)
        claim = claims[i]
        if claim.status == basis.status or (claim.background and not recounted_move(basis.status, claim.status)):
            continue
        if window.wins(claim.status, basis.status):
            basis = claim
    return Decision(basis.status, basis.at, basis, _sources(window.keys, window.statuses, basis.status))


def window_of(claims: list[tuple[datetime, TimelineEntry]]) -> list[tuple[datetime, TimelineEntry]]:
    """The counted claims within ``WINDOW`` of the newest one, in order: all that the next
    step of the fold reads (``step``). A story keeps only these at hand, however long it runs."""
    ordered = _in_order(claims)
    if not ordered:
        return []
    start = bisect_left([at for at, _ in ordered], ordered[-1][0] - WINDOW)
    return ordered[start:]


def step(
    current: Status | None, since: datetime, window: list[tuple[datetime, TimelineEntry]],
    claim: tuple[datetime, TimelineEntry], latest: dict[str, Status],
) -> tuple[Status, datetime, int] | None:
    """``decide`` moved on by one claim, the newest, without refolding the timeline.

    ``current``/``since`` are the decision so far (``current`` None before any counted
    claim), ``window`` is ``window_of`` the claims before, ``latest`` each source's latest
    counted status (updated in place). The fold's state after its last claim is exactly
    the claims within ``WINDOW`` of it, so this equals ``decide`` on the whole timeline
    when claims arrive in order. Returns (status, since, sources), None if the claim
    does not count.
    """
    at, entry = claim
    if entry.confidence < MIN_CONFIDENCE:
        return None
    latest[source_key(entry)] = entry.status
    status = entry.status if current is None else current
    if current is None:
        since = entry.at
    elif entry.status != current and not (entry.background and not recounted_move(current, entry.status)):
        ordered = _in_order([*window, claim])
        fold = _Window([e for _, e in ordered], [a for a, _ in ordered])
        for i in range(len(ordered)):
            fold.push(i)
        if fold.wins(entry.status, current):
            status, since = entry.status, entry.at
    return status, since, max(1, sum(1 for s in latest.values() if s == status))


def sources_for(claims: list[TimelineEntry], status: Status) -> int:
    """Independent sources whose latest claim is ``status``."""
    return _sources([source_key(e) for e in claims], [e.status for e in claims], status)


def _sources(keys: list[str], statuses: list[Status], status: Status) -> int:
    """``sources_for`` on the claims' source keys and statuses, in event-time order."""
    return max(1, list(dict(zip(keys, statuses, strict=True)).values()).count(status))


def newest_claim(timeline: list[TimelineEntry]) -> datetime | None:
    """Event time of the newest counted claim: what a late article is compared with."""
    newest = max(((instant(e.at), e.at) for e in timeline if e.confidence >= MIN_CONFIDENCE), key=itemgetter(0), default=None)
    return newest[1] if newest else None
