"""Where stories live in Redis, and how the track stage finds, reads and writes them.

Cost per article must not grow with the number of stories nor with a story's length:

* **Head and timeline.** ``sw:story:<id>`` holds a small head (``encode_head``: a short
  array): identity, status, sources, and only the claims the next status decision reads
  (``window_of``). A claim is stored once: in the head while it is in that window, then
  appended to ``sw:timeline:<id>`` (a list of short arrays, ``encode_claim``, never
  rewritten) when the head lets it go. The full timeline for display is the list and
  the head's claims together (``load_full``).
* **Index.** Each term of ``story_terms(story)`` (family x participant, and x place)
  names a sorted set ``sw:ix:<hash of the term>`` and, for a dated story, one per date
  bucket (of the term and ``:d<n>``, ``BUCKET_DAYS`` wide): members are story ids as
  integers (``index_member``), scores the story's ``stamp``. A mention reads the
  ``RECENT`` latest of each of its ``candidate_terms`` and, when it states a date, the
  ``DATED`` latest of the buckets around it: a bounded handful, however many stories a participant has, in one round
  trip per batch. When a decision asks (a report filing under a story not announced yet,
  ``NeighboursUnread``), the batch also reads the ``NEIGHBOURS`` latest under each
  ``family:word`` of its participants (``neighbour_keys``): not to file under, only to
  know whether that story may be an announced one named otherwise
  (``story_tracking.shadowed``), and is decided again. A story's keys are kept exact in the commit that changes it (new keys
  added, keys it left removed), so the score in any key is the story's current stamp.
* **Cache.** Decoded heads are kept per process by id with their stamp; a head is
  fetched and decoded again only when the index shows another stamp. Heads met only as
  neighbours are fetched when a decision asks for them and decoded when it first reads
  one (``Undecoded``); so are candidates no mention of the batch can be filed under,
  told by a view of the few fields ``find_story`` tests (``head_view``,
  ``story_tracking.may_take``): with many live stories most of what the lookup returns
  (stories of a mention's terms at other dates and places), which only a new story's
  announcement may still read (``Candidates.unfit``). The index keys read
  are WATCHed (and the heads read by id), so a story changed by another worker meanwhile
  aborts the commit and the batch is decided again on fresh state: a change of a story
  writes every index key it is under, so a head found through a key needs no WATCH of
  its own.
* **Archive.** ``sw:stories:hot`` scores each story with the time it goes cold: the
  silence allowed after ``cold_from``, the later of its last change (``stamp``) and its
  scheduled date (the end of that day), so a story announced for months ahead is silent
  by nature until its date and is not archived before it; a date counts at most
  ``await_max`` past the last report (a far-future or hostile date does not pin a story).
  Each batch archives the stories gone cold by the batch's newest event time: out of the
  hot set and into ``sw:stories:archived``, scored by ``cold_from`` (what retention's
  periods count from). ``sw:stories:clock`` keeps the newest stamp written: the
  stories' own clock.
  The head (stored packed from then on, ``pack_head``), the timeline and the index
  entries stay, so ``storywatch stories show`` still reads them and a later report finds the story as it would a hot one (a delay
  announced months after the last report, named another way) and revives it. Lookups
  stay bounded (the latest few per key, and archived stories rank below recent ones), and
  what a story is filed under does not depend on when a batch happened to archive it.
  The index entries go when retention compacts or deletes the story.
* **Retention** (``storywatch.retention.retire_stories``, run by the ops duty): a story
  archived for longer than a period is *compacted* (``compacted``: its timeline and
  claims dropped, the head kept packed with identity, status, sources and report count;
  moved to ``sw:stories:compacted``), and after a longer period deleted. A report of a
  compacted story revives it like an archived one (its earlier claims no longer count);
  one of a deleted story starts a new story.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import uuid
import zlib
from collections import OrderedDict
from importlib import resources
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from functools import lru_cache
from datetime import UTC, date, datetime, timedelta

from pydantic import TypeAdapter
from pydantic_core import from_json, to_json
from redis import Redis as SyncRedis
from redis.asyncio import Redis
from redis.exceptions import NoScriptError

from consumers.extraction.lexicon import event_types
from consumers.stage_runtime import View, Writes
from consumers.story_status import instant, timed, window_of
from consumers.story_tracking import ALONE, GUEST_ALONE, candidate_terms_of, fileable, may_take, neighbour_terms_of, new_story_ids, probe_of, story_terms_of
from schemas import ArticleEvents, EventMention, Status, Story, TimelineEntry
from schemas.partitions import SINGLE, Partitioning
from schemas.streams import STORIES_ARCHIVED as ARCHIVED
from schemas.streams import STORIES_CLOCK as CLOCK
from schemas.streams import STORIES_COMPACTED as COMPACTED
from schemas.streams import STORIES_HOT as HOT
from schemas.streams import OLD_STORY_INDEX, STORY_INDEX_FORM, story_index_key, story_key, timeline_key

MAX_WINDOW_DAYS = 16
"""No type's ``window_days`` may exceed this (checked when the module loads)."""
BUCKET_DAYS = 2 * MAX_WINDOW_DAYS
"""Date bucket width: the dates a stated date can match lie in at most two buckets."""
RECENT = 8
"""Latest stories read per candidate term (finds undated stories, and dated ones reported lately)."""
DATED = 16
"""Latest stories read per candidate term and date bucket."""
NEIGHBOURS = 4
"""Latest stories read per participant word, for the stories that may shadow a new one."""
CACHE_SIZE = 20_000
ARCHIVE_AFTER = timedelta(days=30)
"""Default silence after which a story is archived."""
AWAIT_MAX = timedelta(days=400)
"""Default: how far past a story's last report its scheduled date can keep it hot."""
ARCHIVE_BATCH = 100
DAY_MS = 86_400_000
_EPOCH_DAY = date(1970, 1, 1).toordinal()

log = logging.getLogger(__name__)
_ENTRY = TypeAdapter(TimelineEntry)
_LATEST = resources.files("consumers.lua").joinpath("story_candidates.lua").read_text()
assert all(t.window_days <= MAX_WINDOW_DAYS for t in event_types().values()), "raise story_store.MAX_WINDOW_DAYS"


def _bucket(day: date) -> int:
    return day.toordinal() // BUCKET_DAYS


def index_keys(story: Story) -> set[str]:
    """The index keys a story is filed under."""
    return set(_index_keys(story.type, tuple(story.actors), story.location, story.event_date))


@lru_cache(maxsize=1 << 15)
def _index_keys(event_type: str, actors: tuple[str, ...], location: str | None, event_date: date | None) -> frozenset[str]:
    """``index_keys`` of a story by what they depend on (remembered: a story keeps them
    for most of its reports, and its head is written on each)."""
    return frozenset(_keys_of_terms(story_terms_of(event_type, actors, location), event_date))


def _keys_of_terms(terms: Iterable[str], event_date: date | None) -> set[str]:
    """The index keys of a story filed under ``terms``: each term's, and its date bucket's."""
    terms = list(terms)
    keys = {story_index_key(t) for t in terms}
    if event_date is not None:
        keys |= {story_index_key(t, _bucket(event_date)) for t in terms}
    return keys


def lookup_keys(mention: EventMention, recent: int = RECENT) -> tuple[tuple[str, int], ...]:
    """(index key, how many of its latest stories to read) for a mention."""
    return _lookup_keys(mention.type, tuple(mention.actors), mention.location, mention.event_date, recent)


@lru_cache(maxsize=1 << 15)
def _lookup_keys(event_type: str, actors: tuple[str, ...], location: str | None, event_date: date | None, recent: int) -> tuple[tuple[str, int], ...]:
    """``lookup_keys`` by what they depend on (remembered: a batch asks for each
    mention's keys several times, and news names the same participants again)."""
    terms = candidate_terms_of(event_type, actors, location)
    keys = [(story_index_key(t), recent) for t in terms]
    if event_date is not None:
        day = event_date.toordinal()  # on ordinals: the window of 9999-12-31 reaches past what ``date`` holds
        buckets = {(day - MAX_WINDOW_DAYS) // BUCKET_DAYS, (day + MAX_WINDOW_DAYS) // BUCKET_DAYS}
        keys += [(story_index_key(t, n), DATED) for t in terms for n in sorted(buckets)]
    return tuple(keys)


def neighbour_keys(mention: EventMention) -> tuple[tuple[str, int], ...]:
    """(index key, how many of its latest stories to read) for the stories sharing a
    participant word with a mention (``neighbour_terms_of``): only a new story's
    announcement reads them, so a few of the latest suffice."""
    return _neighbour_keys(mention.type, tuple(mention.actors))


@lru_cache(maxsize=1 << 15)
def _neighbour_keys(event_type: str, actors: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    return tuple((story_index_key(t), NEIGHBOURS) for t in neighbour_terms_of(event_type, actors))


def _ms(at: datetime) -> int:
    return int(instant(at).timestamp() * 1000)


def span_ms(span: timedelta) -> int:
    return int(span.total_seconds() * 1000)


def cold_from(story: Story, await_max: timedelta = AWAIT_MAX) -> int:
    """When a story's silence starts counting (ms): the later of its last change
    (``stamp``) and the end of its scheduled day, the date counting at most ``await_max``
    past the last change. A story announced for a date further ahead than the archive
    period is silent by nature until then; archived and compacted before its date, the
    report that it took place (or was called off) would no longer find it. The cap keeps
    a far-future or hostile date (year 9999) from holding a story hot for ever. Worked
    out on day ordinals: the end of 9999-12-31 is past what ``datetime`` holds."""
    if story.event_date is None:
        return story.stamp
    day_end = (story.event_date.toordinal() - _EPOCH_DAY + 1) * DAY_MS
    return max(story.stamp, min(day_end, story.stamp + span_ms(await_max)))


def stamped(story: Story) -> Story:
    """The story with its stamp moved on: its last report's time, and always later than before."""
    last = max((_ms(e.at) for e in story.timeline), default=0)
    story.stamp = max(story.stamp + 1, last)
    return story


def head(story: Story) -> Story:
    """What is kept at hand: the story with only the claims the next decision reads (and
    its latest claim, counted or not: matching asks when it was last reported). A story
    not yet announced keeps all its claims: announcing reads them (it is young)."""
    if not story.announced:
        return story
    window = [e for _, e in window_of(timed(story.timeline))]
    if story.timeline and (not window or story.timeline[-1] is not window[-1]):
        window = sorted([*window, story.timeline[-1]], key=lambda e: (instant(e.at), e.article_id))
    return story.model_copy(update={"timeline": window, "article_ids": [e.article_id for e in window]})


_ID = re.compile(r"st-[0-9a-f]{16}")


@lru_cache(maxsize=1 << 16)
def index_member(story_id: str) -> str:
    """A story's member in the index: the 64 bits of an ``st-`` id as a signed decimal,
    which a small sorted set keeps as an 8-byte integer (10 bytes instead of 21 for the
    id's text: a story is in ~30 index keys); any other id as it is (``story_of``)."""
    if _ID.fullmatch(story_id):
        return str(int.from_bytes(bytes.fromhex(story_id[3:]), "big", signed=True))
    return story_id


def story_of(member: bytes) -> str:
    """The story id of an index member (``index_member``). Remembered in a dict emptied
    when full rather than an LRU cache: with many live stories most members the lookup
    returns are new to the process, and an LRU miss cost twice the conversion; a dict
    hit costs half an LRU hit (``-?[0-9]+`` is checked with ``isdigit``: ASCII only)."""
    story_id = _IDS.get(member)
    if story_id is None:
        digits = member[1:] if member[:1] == b"-" else member
        story_id = f"st-{int(member) & 0xFFFF_FFFF_FFFF_FFFF:016x}" if digits.isdigit() else member.decode()
        if len(_IDS) >= IDS_KEPT:
            _IDS.clear()
        _IDS[member] = story_id
    return story_id


IDS_KEPT = 1 << 16
"""Index members' story ids remembered per process (``story_of``), ~10 MB at most."""
_IDS: dict[bytes, str] = {}


def left_head(story: Story, kept: Story) -> list[TimelineEntry]:
    """The claims of ``story`` that its head ``kept`` (``head(story)``) no longer holds, in
    ``story``'s order: what goes to the timeline list. A claim is one article's report
    on the story, so claims are told apart by their article."""
    held = {c.article_id for c in kept.timeline}
    return [c for c in story.timeline if c.article_id not in held]


_CLAIM_FIELDS = ("status", "at", "article_id", "source", "evidence", "confidence", "agency", "url", "attributed_to", "background")
"""A stored claim is a JSON array of these fields' values, in this order (those most
claims have first, so that the defaults left out are trailing ones)."""
_CLAIM_DEFAULTS = tuple(TimelineEntry.model_fields[f].default for f in _CLAIM_FIELDS)
assert set(_CLAIM_FIELDS) == set(TimelineEntry.model_fields), "a TimelineEntry field is missing from story_store._CLAIM_FIELDS"
_STATUS_CODE = {Status.PLANNED: "p", Status.POSTPONED: "d", Status.ON_HOLD: "h", Status.CANCELLED: "c", Status.TOOK_PLACE: "t"}
_CODE_STATUS = {code: status.value for status, code in _STATUS_CODE.items()}
_MAX_SECONDS = 20_000_000_000
"""Unix times at or above this are read back as milliseconds by pydantic: kept as text."""


_TIME = TypeAdapter(datetime)
_ZERO = timedelta(0)


def _seconds(at: datetime) -> int | str:
    """A UTC time in whole seconds as a Unix timestamp (pydantic reads it back as the
    same aware datetime as the text), any other time as its JSON text."""
    if at.microsecond == 0 and at.utcoffset() == _ZERO:
        ts = int(at.timestamp())
        if 0 <= ts < _MAX_SECONDS:
            return ts
    return _TIME.dump_python(at, mode="json")  # type: ignore[no-any-return]


def _status_code(status: str) -> str:
    return _STATUS_CODE.get(status, status)  # type: ignore[call-overload]  # a Status is its value


def _claim_values(claim: TimelineEntry) -> list[object]:
    """``claim`` as ``_CLAIM_FIELDS`` values, short (read from its attributes: a JSON-mode
    dump takes four times as long)."""
    c = claim  # its values in _CLAIM_FIELDS order
    values = [_status_code(c.status), _seconds(c.at), c.article_id, c.source, c.evidence, c.confidence, c.agency, c.url, c.attributed_to, c.background]
    end = len(values)
    while end > 3 and values[end - 1] == _CLAIM_DEFAULTS[end - 1]:
        end -= 1
    return values[:end]


def _claim_fields(values: list[object]) -> dict[str, object]:
    """A stored claim array as the fields pydantic validates (times as stored: a Unix
    timestamp or text, both read as before)."""
    fields = dict(zip(_CLAIM_FIELDS, values))
    fields["status"] = _CODE_STATUS.get(fields["status"], fields["status"])  # type: ignore[call-overload]
    return fields


def _dumps(value: object) -> str:
    """Compact JSON, non-ASCII as is; pydantic-core's encoder (a fifth of the time of
    ``json.dumps`` on a head of 20 claims), not-a-number and infinities as ``json`` writes
    them."""
    return to_json(value, inf_nan_mode="constants").decode()


def encode_claim(claim: TimelineEntry) -> str:
    """A claim as appended to a story's timeline list: a JSON array of its values in
    ``_CLAIM_FIELDS`` order (no field names), the status as one letter, a UTC time in
    whole seconds as a Unix timestamp, trailing defaults left out. Claims are most of
    what a story keeps while it is hot and archived; this is ~40% of their JSON object
    form. ``decode_claim`` reads both forms."""
    return _dumps(_claim_values(claim))


def decode_claim(raw: bytes | str) -> TimelineEntry:
    """A stored claim: ``encode_claim``'s array, or the JSON object written before it."""
    if raw[:1] in (b"{", "{"):
        return _ENTRY.validate_json(raw)
    values = from_json(raw)
    if isinstance(values[1], int):
        values[1] = datetime.fromtimestamp(values[1], UTC)
    return _ENTRY.validate_python(_claim_fields(values))


_HEAD_FIELDS = (
    "title", "type", "actors", "location", "event_date", "status", "status_since", "timeline", "sources", "version",
    "reports", "source_status", "stamp", "corroborated_by", "parent_id", "announced", "article_ids", "edition",
)
"""A stored head is a JSON array of these fields' values, in this order (the story id is
its key's; those most heads have first, so that the defaults left out are trailing ones).
A field added later goes at the end, so that a head written before it reads as one
without it."""
assert set(_HEAD_FIELDS) | {"story_id"} == set(Story.model_fields), "a Story field is missing from story_store._HEAD_FIELDS"
_HEAD_DEFAULTS = tuple(Story.model_fields[f].get_default(call_default_factory=True) for f in _HEAD_FIELDS)
_DERIVED = _HEAD_FIELDS.index("article_ids")
"""``article_ids``: left out when it is the claims' article ids in order (a head as
``head`` writes it) and nothing follows it, null when it is and an edition follows; read
back as those."""
_EDITION = _HEAD_FIELDS.index("edition")
_ANNOUNCED = _HEAD_FIELDS.index("announced")


def encode_head(story: Story) -> str:
    """A story head as stored under ``story_key``: a JSON array of its values in
    ``_HEAD_FIELDS`` order, without field names and the story id; claims as in the
    timeline list (``encode_claim``'s arrays) but for their source, which is its index in
    the head's ``sources`` (as are the keys of ``source_status``) when it is there, and
    their evidence, when an earlier claim of the head has the same sentence, as that
    claim's index; statuses as one letter, UTC times in whole seconds as Unix timestamps,
    ``article_ids`` only when they are not the claims' own, the edition last when the
    story has one, trailing defaults left out: about half the JSON object the head was before.
    ``decode_head`` reads both."""
    values: list[object] = [getattr(story, f) for f in _HEAD_FIELDS]
    values[4] = story.event_date and story.event_date.isoformat()
    values[5] = _status_code(story.status)
    values[6] = _seconds(story.status_since)
    at = {source: i for i, source in enumerate(story.sources)}
    values[7] = _shared_evidence([_by_index(_claim_values(c), at) for c in story.timeline])
    values[11] = _source_status(story.source_status, at)
    derived = story.article_ids == [c.article_id for c in story.timeline]
    if story.edition is not None:
        values[_DERIVED] = None if derived else values[_DERIVED]
        return _dumps(values)
    values.pop()  # no edition: the array of a head written before editions were kept
    if not derived:
        return _dumps(values)
    values.pop()
    while len(values) > 7 and values[-1] == _HEAD_DEFAULTS[len(values) - 1]:
        values.pop()
    return _dumps(values)


def _by_index(claim: list[object], at: dict[str, int]) -> list[object]:
    """A claim's source as its index in the head's ``sources`` when it is there."""
    if len(claim) > 3 and (i := at.get(claim[3])) is not None:  # type: ignore[arg-type]
        claim[3] = i
    return claim


def _shared_evidence(claims: list[list[object]]) -> list[list[object]]:
    """A claim whose evidence sentence is an earlier claim's of the head gets that claim's
    index in its place (reports of one story often quote the same sentence: an agency's
    wording taken over, a template of a recurring announcement)."""
    first: dict[object, int] = {}
    for i, claim in enumerate(claims):
        if len(claim) > 4 and isinstance(evidence := claim[4], str) and len(evidence) > 4:
            if (j := first.setdefault(evidence, i)) != i:
                claim[4] = j
    return claims


def _source_status(latest: dict[str, Status], at: dict[str, int]) -> object:
    """Each source's latest status: [[index in ``sources``, status letter], ...] in the
    dict's order when every source is in ``sources`` (they repeat there), else an object."""
    if latest and all(source in at for source in latest):
        return [[at[source], _status_code(status)] for source, status in latest.items()]
    return {source: _status_code(status) for source, status in latest.items()}


PACKED = b"\x00"
"""First byte of a packed head (``pack_head``): no JSON text starts with it."""
MAX_HEAD_BYTES = 1 << 24
"""A packed head that unpacks to more than this is refused (a hostile or broken value)."""


def pack_head(story: Story) -> bytes:
    """A head as stored once its story is archived or compacted: ``encode_head``'s array
    deflated (raw DEFLATE behind ``PACKED``), ~0.6 of its bytes on the realistic mix
    (claims of one story repeat their wording, outlets and times).

    Only stories that left the hot set are packed: that happens once per story (the
    track stage archiving it, retention compacting it), off the path of a report, where
    packing every head written would cost ~20 us a write. Archived and compacted stories
    are 14 + 76 days of the ~120 a story is kept. ``decode_head`` reads it (a revived
    story is written plain again by ``StoryStore.writes``)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return PACKED + packer.compress(encode_head(story).encode()) + packer.flush()


def _unpacked(raw: bytes, story_id: str) -> bytes:
    unpacker = zlib.decompressobj(-15)
    try:
        text = unpacker.decompress(raw[1:], MAX_HEAD_BYTES)
    except zlib.error as exc:
        raise ValueError(f"story head {story_id} does not unpack: {exc}") from exc
    if unpacker.unconsumed_tail or not unpacker.eof or unpacker.unused_data:
        raise ValueError(f"story head {story_id} does not unpack: truncated, followed by other bytes, or over {MAX_HEAD_BYTES} bytes")
    return text


def decode_head(raw: bytes | str, story_id: str) -> Story:
    """A stored head (``encode_head``'s array, ``pack_head``'s packed array, or the JSON
    object written before them, which names its own id) as a Story with the id
    ``story_id``."""
    if isinstance(raw, bytes) and raw[:1] == PACKED:
        raw = _unpacked(raw, story_id)
    if raw[:1] in (b"{", "{"):
        return Story.model_validate_json(raw)
    try:
        return _head_of(from_json(raw), story_id)
    except (ValueError, IndexError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"story head {story_id} does not read: {type(exc).__name__}: {str(exc)[:200]}") from exc


def _head_of(values: list[object], story_id: str) -> Story:
    fields = dict(zip(_HEAD_FIELDS, values))
    fields["story_id"] = story_id
    fields["status"] = _CODE_STATUS.get(fields["status"], fields["status"])
    sources = fields.get("sources", ())
    claims = [_claim_fields(v) for v in fields.get("timeline", ())]
    for i, claim in enumerate(claims):
        if isinstance(claim.get("source"), int):
            claim["source"] = sources[claim["source"]]
        if isinstance(shared := claim.get("evidence"), int):
            if not 0 <= shared < i:
                raise ValueError(f"claim {i} takes its evidence from claim {shared}, not an earlier one")
            claim["evidence"] = claims[shared]["evidence"]
    fields["timeline"] = claims
    if isinstance(latest := fields.get("source_status"), list):
        fields["source_status"] = {sources[i]: _CODE_STATUS.get(c, c) for i, c in latest}
    elif latest is not None:
        fields["source_status"] = {s: _CODE_STATUS.get(c, c) for s, c in latest.items()}
    if len(values) <= _DERIVED or values[_DERIVED] is None:
        fields["article_ids"] = [c["article_id"] for c in claims]
    return Story.model_validate(fields)


class LastClaim(NamedTuple):
    at: datetime


class HeadView(NamedTuple):
    """What ``story_tracking.may_take`` reads of a story, read from a stored head without
    building the Story (``head_view``): its kind, participants, place, date, status and
    since when, the last claim's time (``timeline``: that claim alone), the sources'
    latest statuses, the edition and whether it was announced."""

    story_id: str
    type: str
    actors: list[str]
    location: str | None
    event_date: date | None
    status: Status
    status_since: datetime
    timeline: tuple[LastClaim, ...]
    source_status: dict[str, Status]
    edition: str | None = None
    announced: bool = True


_STATUS_OF: dict[object, Status] = {**{s.value: s for s in Status}, **{code: Status(value) for code, value in _CODE_STATUS.items()}}
"""A stored status (its letter, or its value as written before) as the Status it reads as."""


def _stored_time(value: object) -> datetime | None:
    """A time as ``_seconds`` stores a UTC one (whole seconds), as pydantic reads it; None for any other form."""
    if type(value) is int and 0 <= value < _MAX_SECONDS:
        return datetime.fromtimestamp(value, UTC)
    return None


def _iso_day(day: object) -> bool:
    return type(day) is str and len(day) == 10 and day[4] == "-" and day[7] == "-" and (day[:4] + day[5:7] + day[8:]).isdigit()


def head_view(raw: bytes, story_id: str) -> HeadView | None:
    """A stored head (``encode_head``'s array) as the fields ``story_tracking.may_take``
    reads, each what ``decode_head`` gives it; None when the head is in another form
    (packed, an object, a time not in whole UTC seconds, a value of another type): then
    it is decoded. A fraction of decoding: no claim but the last is read, no model built
    (a head's other fields are not checked: one that would not decode may be held
    undecoded, and fails when a decision reads it)."""
    if raw[:1] != b"[":
        return None
    try:
        values = from_json(raw)
        kind, actors, location, day, status, since = values[1:7]
        claims = values[7] if len(values) > 7 else []
        latest = values[11] if len(values) > 11 else {}
        state = _STATUS_OF[status]
        if type(latest) is list:
            sources = values[8]
            by_source = {sources[i]: _STATUS_OF[code] for i, code in latest}
        elif type(latest) is dict:
            by_source = {source: _STATUS_OF[code] for source, code in latest.items()}
        else:
            return None
        last = claims[-1] if claims else None
        edition = values[_EDITION] if len(values) > _EDITION else None
        announced = values[_ANNOUNCED] if len(values) > _ANNOUNCED else True
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    if type(kind) is not str or type(actors) is not list or not all(type(a) is str for a in actors) or not (location is None or type(location) is str):
        return None
    if not (day is None or _iso_day(day)) or (at := _stored_time(since)) is None or type(claims) is not list:
        return None
    if not (edition is None or type(edition) is str) or type(announced) is not bool:
        return None
    timeline: tuple[LastClaim, ...] = ()
    if last is not None:
        if type(last) is not list or len(last) < 2 or (last_at := _stored_time(last[1])) is None:
            return None
        timeline = (LastClaim(last_at),)
    try:
        event_date = date.fromisoformat(day) if day is not None else None
    except ValueError:
        return None
    return HeadView(story_id, kind, actors, location, event_date, state, at, timeline, by_source, edition, announced)


def compacted(story: Story) -> Story:
    """What is kept of a story archived past the compaction period: identity, status,
    sources, corroboration and how many reports it had (what ``storywatch stories show``
    prints of it); its claims, the per-source statuses they gave and its article ids go."""
    return story.model_copy(update={"timeline": [], "article_ids": [], "source_status": {}})


def is_compacted(story: Story) -> bool:
    """A head with reports but no claim at hand: only compaction leaves one."""
    return story.reports > 0 and not story.timeline


class StoryCache:
    """Decoded heads by id, with the stamp they were decoded at (least recently used out)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[str, Story] = OrderedDict()

    def get(self, story_id: str, stamp: int) -> Story | None:
        story = self._items.get(story_id)
        if story is None or story.stamp != stamp:
            return None
        self._items.move_to_end(story_id)
        return story

    def put(self, story: Story) -> None:
        self._items[story.story_id] = story
        self._items.move_to_end(story.story_id)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


@dataclass
class Reads:
    """What a store has read since it started (counters for benchmarks and profiles)."""

    fetched: int = 0
    """Heads fetched from the server (not found in the cache at their stamp)."""
    decoded: int = 0
    """Heads decoded (``decode_head``)."""


class Undecoded:
    """Heads fetched but not decoded yet, decoded on first use (and then remembered and
    cached in the store's ``StoryCache``).

    These are the stories a batch meets only as neighbours (``neighbour_keys``): a
    mention reads the latest few of each of its participants' words, which with many live
    stories is more heads than its candidates, yet only a story not announced yet asks
    for them (``story_tracking.shadowed``). Decoding a head is most of what reading one
    costs the worker."""

    def __init__(self, raw: dict[str, bytes] | None = None, cache: StoryCache | None = None, counts: Reads | None = None) -> None:
        self.raw = raw or {}
        self.cache = cache
        self.counts = counts
        self._done: dict[str, Story] = {}

    def __contains__(self, story_id: object) -> bool:
        return story_id in self.raw

    def get(self, story_id: str) -> Story:
        story = self._done.get(story_id)
        if story is None:
            story = self._done[story_id] = decode_head(self.raw[story_id], story_id)
            if self.counts is not None:
                self.counts.decoded += 1
            if self.cache is not None:
                self.cache.put(story)
        return story


class NeighboursUnread(Exception):
    """A decision asked for the stories sharing a participant word with its mentions
    (``Candidates.neighbours_for``) before the batch read them: the caller reads them
    (``StoryStore.neighbours``) and decides the batch again."""


class Neighbours(Mapping[str, Story]):
    """Stories by id, in id order, those not decoded yet decoded when read (``Undecoded``);
    ``ids`` None: not read yet, any look raises ``NeighboursUnread``."""

    def __init__(self, ids: list[str] | None, stories: dict[str, Story], undecoded: Undecoded) -> None:
        self._ids, self._stories, self._undecoded = ids, stories, undecoded

    def _read(self) -> list[str]:
        if self._ids is None:
            raise NeighboursUnread
        return self._ids

    def __getitem__(self, story_id: str) -> Story:
        self._read()
        story = self._stories.get(story_id)
        if story is not None:
            return story
        if story_id in self._undecoded:
            return self._undecoded.get(story_id)
        raise KeyError(story_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


@dataclass
class Candidates:
    """The stories a batch may file under, and which of them each article may meet."""

    stories: dict[str, Story] = field(default_factory=dict)
    by_key: dict[str, list[str]] = field(default_factory=dict)
    undecoded: Undecoded = field(default_factory=Undecoded)
    """Stories met only as neighbours, not decoded until a decision reads one."""
    neighbours_read: bool = True
    """Whether ``by_key`` holds the neighbour keys (``neighbour_keys``) as read; the
    store reads them only when a decision asks (``StoryStore.neighbours``)."""
    read: set[str] = field(default_factory=set)
    """The index keys read from the server (the others in ``by_key`` hold only stories
    the batch filed, ``update``)."""
    unfit: set[str] = field(default_factory=set)
    """Stories the lookup returned that no mention of the batch can be filed under
    (``story_tracking.may_take``), in ``undecoded``: not offered to ``find_story``, but
    still among what a new story of their articles may be shadowed by (``neighbours_for``)."""

    def for_article(self, article: ArticleEvents) -> dict[str, Story]:
        ids = {i for m in article.events for key, _ in lookup_keys(m) for i in self.by_key.get(key, ())}
        return {i: self.stories[i] for i in sorted(ids) if i in self.stories}

    def neighbours_for(self, article: ArticleEvents) -> Mapping[str, Story]:
        """The stories sharing a participant word with the article's mentions
        (``neighbour_keys``); those not decoded yet are decoded when read."""
        if not self.neighbours_read:
            return Neighbours(None, self.stories, self.undecoded)
        ids = {i for m in article.events for key, _ in neighbour_keys(m) for i in self.by_key.get(key, ())}
        if self.unfit:  # the article's candidates it cannot be filed under: ``track_article`` reads them with its neighbours
            ids |= {i for m in article.events for key, _ in lookup_keys(m) for i in self.by_key.get(key, ()) if i in self.unfit}
        return Neighbours([i for i in sorted(ids) if i in self.stories or i in self.undecoded], self.stories, self.undecoded)

    def update(self, stories: Iterable[Story]) -> None:
        """Stories changed earlier in the batch: later articles must meet them too."""
        for story in stories:
            self.stories[story.story_id] = story
            for key in index_keys(story):
                ids = self.by_key.setdefault(key, [])
                if story.story_id not in ids:
                    ids.append(story.story_id)


def _unfit(articles: list[ArticleEvents], by_key: dict[str, list[str]], raw: dict[str, bytes]) -> set[str]:
    """Of the heads fetched (``raw``), those no fileable mention of the batch that looks
    them up can be filed under (``story_tracking.may_take`` on a ``head_view``, with its
    article's publication time, as ``find_story`` judges it), and that no story a mention
    would start could collide with (``new_story_ids``): their decoding can wait.

    With many live stories the lookup returns several stories per mention of which about
    one can take it (the latest few under each of its terms, of other dates and places):
    at 50,000 live stories two heads decoded per article, three at 200,000."""
    if not raw:
        return set()
    looked_up: dict[str, list[object]] = {}
    taken: set[str] = set()
    for article in articles:
        for m in article.events:
            if not fileable(m):
                continue
            taken.update(new_story_ids(m, article.article_id))
            fetched = {i for key, _ in lookup_keys(m) for i in by_key.get(key, ()) if i in raw}
            if fetched:
                probe = probe_of(m, article.published_at)
                for i in fetched:
                    looked_up.setdefault(i, []).append(probe)
    unfit = set()
    for i, probes in looked_up.items():
        if i in taken or (view := head_view(raw[i], i)) is None:
            continue
        if not any(may_take(p, view) for p in dict.fromkeys(probes)):  # type: ignore[arg-type]
            unfit.add(i)
    return unfit


class StoryStore:
    """Reads and writes of stories for one worker process (holds its cache)."""

    def __init__(self, redis: Redis, archive_after: timedelta = ARCHIVE_AFTER, recent: int = RECENT, cache: StoryCache | None = None,
                 await_max: timedelta = AWAIT_MAX) -> None:
        self.redis = redis
        self.archive_after = archive_after
        self.await_max = await_max
        self.recent = recent
        self.cache = cache or StoryCache()
        self.reads = Reads()
        self._latest = redis.register_script(_LATEST) if redis is not None else None
        self.k: Callable[[str], str] = _same
        """Names a key in the partition the stories live in (``bind``)."""

    def bind(self, partitioning: Partitioning, partition: int) -> None:
        """Keep this store's stories, index and archive in one partition's slot. With one
        partition every key is its own name: ``k`` is then the identity, not a call through
        ``Partitioning.key`` (a batch names ~8,000 keys: each index key of each candidate
        and changed story)."""
        partitioning.check(partition)
        self.k = _same if partitioning.single else functools.partial(_in_partition, partitioning, partition)

    async def candidates(self, view: View, articles: list[ArticleEvents]) -> Candidates:
        """``candidates_along`` with nothing else read."""
        found, _ = await self.candidates_along(view, articles)
        return found

    async def candidates_along(self, view: View, articles: list[ArticleEvents], watched: Sequence[str] = (),
                               reads: Sequence[tuple[Any, ...]] = ()) -> tuple[Candidates, list[Any]]:
        """WATCH the index keys of the batch's mentions, read their latest stories (one
        round trip) and fetch the heads not cached at their stamp; ``watched`` are
        WATCHed and ``reads`` (raw commands) sent in the lookup's round trip, their raw
        replies returned (an error reply raised).

        The stories sharing only a participant word with a mention (``neighbour_keys``)
        are not read here: only a report of a story not announced yet asks for them
        (``story_tracking.shadowed``), and ``neighbours`` reads them then (the track
        stage: right away when a candidate is not announced yet, else when a decision
        asks). With many live stories they were half the heads a batch fetched (at 50,000
        live stories 2.4 of 4.4 per article), and no decision of the benchmark's mix read
        one there."""
        mentions = [m for a in articles for m in a.events]
        wanted: dict[str, int] = {}
        for m in mentions:
            for key, count in lookup_keys(m, self.recent):
                wanted[key] = max(count, wanted.get(key, 0))
        for m in mentions:  # a key looked up that is a neighbour key too: as many as either reads
            for key, count in neighbour_keys(m):
                if key in wanted:
                    wanted[key] = max(count, wanted[key])
        found = Candidates(neighbours_read=False, read=set(wanted))
        stamps, replies = await self._latest_of(view, wanted, found.by_key, watched, reads)
        cached = {sid: s for sid, st in stamps.items() if (s := self.cache.get(sid, st)) is not None}
        # The heads need no WATCH of their own: each was found under an index key WATCHed
        # above, and whatever changes a head also re-scores or removes the story in every
        # key it is under (``writes``, retention), so it touches that key too.
        raw = await self._fetch_raw([i for i in sorted(stamps) if i not in cached])
        unfit = _unfit(articles, found.by_key, raw)
        found.stories = cached | self._decoded({i: r for i, r in raw.items() if i not in unfit})
        if unfit:
            found.unfit = set(unfit)
            found.undecoded = Undecoded({i: raw[i] for i in unfit}, self.cache, self.reads)
        return found, replies

    async def neighbours(self, view: View, articles: list[ArticleEvents], found: Candidates) -> dict[str, Story]:
        """Read what ``candidates`` left out: WATCH the neighbour keys of the batch's
        mentions it did not read, read their latest stories into ``found.by_key`` (with
        the stories the batch filed under them meanwhile, ``Candidates.update``) and fetch
        the heads not at hand, decoded when a decision reads them (``Undecoded``). Returns
        the heads found in the cache (stories as they were before the batch)."""
        wanted: dict[str, int] = {}
        for m in (m for a in articles for m in a.events):
            for key, count in neighbour_keys(m):
                if key not in found.read:
                    wanted[key] = max(count, wanted.get(key, 0))
        read: dict[str, list[str]] = {}
        stamps, _ = await self._latest_of(view, wanted, read)
        for key, ids in read.items():
            found.by_key[key] = ids + [i for i in found.by_key.get(key, ()) if i not in ids]
        found.read |= set(wanted)
        found.neighbours_read = True
        cached = {sid: s for sid, st in stamps.items() if sid not in found.stories and (s := self.cache.get(sid, st)) is not None}
        missing = [i for i in sorted(stamps) if i not in cached and i not in found.stories and i not in found.undecoded]
        raw = await self._fetch_raw(missing)
        found.undecoded.raw.update(raw)
        if found.undecoded.cache is None:
            found.undecoded.cache, found.undecoded.counts = self.cache, self.reads
        found.stories.update(cached)
        return cached

    async def _latest_of(self, view: View, wanted: dict[str, int], by_key: dict[str, list[str]], watched: Sequence[str] = (),
                         reads: Sequence[tuple[Any, ...]] = ()) -> tuple[dict[str, int], list[Any]]:
        """WATCH the keys ``wanted`` (key -> how many) and read their latest stories into
        ``by_key``, in one round trip (``View.read_watched``), with ``watched`` WATCHed
        and ``reads`` sent along; returns the stamps of the stories found and the other
        reads' raw replies (an error reply raised)."""
        stamps: dict[str, int] = {}
        if not wanted:
            return stamps, (await _raised(view.read_watched(watched, *reads)) if watched or reads else [])
        keys = sorted(wanted)  # by their names; in Redis, in the store's partition
        names, counts = list(map(self.k, keys)), [wanted[k] for k in keys]
        replies, *along = await view.read_watched([*names, *watched], ("EVALSHA", self._latest.sha, len(names), *names, *counts), *reads)
        if error := next((r for r in along if isinstance(r, Exception)), None):
            raise error
        if isinstance(replies, NoScriptError):  # a server that lost its scripts: loaded again, read again (still WATCHed)
            replies = await self._latest(keys=names, args=counts, client=self.redis)
        elif isinstance(replies, Exception):
            raise replies
        for key, reply in zip(keys, replies, strict=True):
            ids = by_key[key] = [story_of(m) for m in reply[::2]]
            stamps.update(zip(ids, map(int, reply[1::2]), strict=True))
        return stamps, along

    async def read(self, view: View, ids: Iterable[str]) -> dict[str, Story]:
        """WATCH these heads and read them (those that exist), in one round trip."""
        stories, _ = await self.read_along(view, ids)
        return stories

    async def read_along(self, view: View, ids: Iterable[str], watched: Sequence[str] = (), reads: Sequence[tuple[Any, ...]] = ()) -> tuple[dict[str, Story], list[Any]]:
        """``read`` with other keys WATCHed and other reads sent in the same round trip:
        the heads that exist, and the other reads' raw replies (an error reply raised)."""
        ids = sorted(ids)
        names = [self.k(story_key(i)) for i in ids]
        if not names and not watched:
            return {}, []
        replies = await view.read_watched([*names, *watched], *([("MGET", *names)] if names else []), *reads)
        if error := next((r for r in replies if isinstance(r, Exception)), None):
            raise error
        if not names:
            return {}, replies
        self.reads.fetched += len(ids)
        return self._decoded({i: r for i, r in zip(ids, replies[0], strict=True) if r is not None}), replies[1:]

    def heads_read(self, raw: Mapping[str, bytes | None], ids: Iterable[str]) -> dict[str, Story]:
        """What ``read`` gives for ``ids`` from heads already read with the batch's other
        reads (``raw``: story id -> head or None, WATCHed when they were read)."""
        ids = sorted(ids)
        self.reads.fetched += len(ids)
        return self._decoded({i: r for i in ids if (r := raw[i]) is not None})

    async def _fetch_raw(self, ids: list[str]) -> dict[str, bytes]:
        if not ids:
            return {}
        raw = await self.redis.mget([self.k(story_key(i)) for i in ids])
        self.reads.fetched += len(ids)
        return {i: r for i, r in zip(ids, raw, strict=True) if r is not None}

    def _decoded(self, raw: dict[str, bytes]) -> dict[str, Story]:
        out = {i: decode_head(r, i) for i, r in raw.items()}
        self.reads.decoded += len(out)
        for story in out.values():
            self.cache.put(story)
        return out

    def writes(self, changed: Iterable[Story], before: dict[str, Story], writes: Writes) -> list[Story]:
        """Queue the changed stories' heads, the claims their heads let go and their index
        entries; returns the heads as written (cached once the commit succeeded:
        ``committed``).

        A claim is stored once: in the head while the next decision may read it, then in
        the timeline list (appended when the head lets it go, ``left_head``)."""
        heads = []
        for story in changed:
            new = stamped(head(story))
            sid = new.story_id
            writes.add("SET", self.k(story_key(sid)), encode_head(new))
            if gone := left_head(story, new):
                writes.add("RPUSH", self.k(timeline_key(sid)), *map(encode_claim, gone))
            keys = {self.k(k) for k in index_keys(new)}
            member = index_member(sid)
            for key in sorted(keys):
                writes.add("ZADD", key, new.stamp, member)
            if (old := before.get(sid)) is not None:
                for key in sorted({self.k(k) for k in index_keys(old)} - keys):
                    writes.add("ZREM", key, member)
            writes.add("ZADD", self.k(HOT), self.cold_at(new), sid)
            writes.add("ZREM", self.k(ARCHIVED), sid)
            if old is not None and is_compacted(old):
                writes.add("ZREM", self.k(COMPACTED), sid)
            heads.append(new)
        if heads:
            writes.add("ZADD", self.k(CLOCK), "GT", max(h.stamp for h in heads), "t")
        return heads

    def cold_at(self, story: Story) -> int:
        """When the story goes cold (ms): its silence (``cold_from``) + the archive period."""
        return cold_from(story, self.await_max) + span_ms(self.archive_after)

    def committed(self, heads: Iterable[Story]) -> None:
        for story in heads:
            self.cache.put(story)

    @property
    def hot(self) -> str:
        """The key of the hot stories by the time they go cold (WATCHed before ``due``)."""
        return self.k(HOT)

    def due(self, now: datetime) -> tuple[str | int, ...]:
        """The command reading the ids of the stories gone cold by ``now`` (up to ``ARCHIVE_BATCH``)."""
        return ("ZRANGE", self.k(HOT), "-inf", _ms(now), "BYSCORE", "LIMIT", 0, ARCHIVE_BATCH)

    def archive(self, stories: Iterable[Story], writes: Writes, now: datetime) -> None:
        """Queue moving stories (their heads as read, ``read``: WATCHed) from the hot set
        to the archive, scored by when their silence began (``cold_from``). Head, timeline
        and index entries stay (a later report still finds them, however it names them);
        the head is stored packed (``pack_head``), the same story at the same stamp, so a
        decoded copy in any worker's cache stays right. A story found due that is not cold
        by its own rule (filed before its date counted, or under another archive period)
        is filed hot again at the time it goes cold. ``now`` (the batch's newest event
        time) moves the stories' clock on."""
        writes.add("ZADD", self.k(CLOCK), "GT", _ms(now), "t")
        for story in stories:
            sid = story.story_id
            if (cold_at := self.cold_at(story)) > _ms(now):
                writes.add("ZADD", self.k(HOT), cold_at, sid)
                continue
            writes.add("SET", self.k(story_key(sid)), pack_head(story))
            writes.add("ZREM", self.k(HOT), sid)
            writes.add("ZADD", self.k(ARCHIVED), cold_from(story, self.await_max), sid)


# --- reading for display -------------------------------------------------------------

async def story_ids(redis: Redis, archived: bool | None = None, partitioning: Partitioning = SINGLE) -> list[str]:
    """Ids of hot stories (``archived=False``), archived ones, compacted or not (True) or
    all (None), of every partition."""
    return sorted(await _ids_by_partition(redis, archived, partitioning))


async def _ids_by_partition(redis: Redis, archived: bool | None, partitioning: Partitioning) -> dict[str, int]:
    names = [HOT, ARCHIVED, COMPACTED] if archived is None else [ARCHIVED, COMPACTED] if archived else [HOT]
    where: dict[str, int] = {}
    for p in range(partitioning.count):
        for name in names:
            where |= {i.decode(): p for i in await redis.zrange(partitioning.key(name, p), 0, -1)}
    return where


def assemble(story_id: str, raw_head: bytes, entries: list[bytes]) -> Story:
    """A story for display: its whole timeline (in event-time order) and every article id
    (in the order the claims were stored: the timeline list's, then the head's) from the
    timeline list and the claims its head holds.

    A claim is in one of them (``StoryStore.writes``); a head written before that kept
    every claim in the list too, and a claim it held is appended again when it leaves
    the head, so a claim read twice is taken once."""
    story = decode_head(raw_head, story_id)
    seen: set[str] = set()
    stored: list[TimelineEntry] = []
    for claim in [*map(decode_claim, entries), *story.timeline]:
        if (key := claim.model_dump_json()) not in seen:
            seen.add(key)
            stored.append(claim)
    ordered = sorted(stored, key=lambda e: (instant(e.at), e.article_id))
    return story.model_copy(update={"timeline": ordered, "article_ids": [e.article_id for e in stored]})


async def load_full(redis: Redis, ids: list[str], partitioning: Partitioning = SINGLE) -> list[Story]:
    """Stories with their whole timeline, in ``ids`` order (missing ones left out),
    looked up in every partition."""
    out: list[Story] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found: dict[str, Story] = {}
        for p in range(partitioning.count):
            k = functools.partial(_in_partition, partitioning, p)
            async with redis.pipeline(transaction=False) as pipe:
                for i in chunk:  # one key per command: a cluster pipeline routes each to its node
                    pipe.get(k(story_key(i)))
                    pipe.lrange(k(timeline_key(i)), 0, -1)
                replies = await pipe.execute()
            found |= {i: assemble(i, raw, entries) for i, raw, entries in zip(chunk, replies[::2], replies[1::2], strict=True) if raw is not None}
        out += [found[i] for i in chunk if i in found]
    return out


async def load_all(redis: Redis, partitioning: Partitioning = SINGLE) -> list[Story]:
    """Every story, hot, archived and compacted, with full timelines, by title."""
    stories = await load_full(redis, await story_ids(redis, partitioning=partitioning), partitioning)
    return sorted(stories, key=lambda s: (s.title, s.story_id))


def load_all_sync(redis: SyncRedis, partitioning: Partitioning = SINGLE) -> list[Story]:
    """``load_all`` for a synchronous client (test harnesses)."""
    where = {i.decode(): p for p in range(partitioning.count) for name in (HOT, ARCHIVED, COMPACTED) for i in redis.zrange(partitioning.key(name, p), 0, -1)}
    ids = sorted(where)
    pipe = redis.pipeline(transaction=False)
    for i in ids:
        pipe.get(partitioning.key(story_key(i), where[i]))
        pipe.lrange(partitioning.key(timeline_key(i), where[i]), 0, -1)
    replies = pipe.execute()
    stories = [assemble(i, raw, entries) for i, raw, entries in zip(ids, replies[::2], replies[1::2], strict=True) if raw is not None]
    return sorted(stories, key=lambda s: (s.title, s.story_id))


# --- loading stories outside a stage (benchmarks) --------------------------------------

def _same(key: str) -> str:
    return key


async def _raised(replies: Awaitable[list[Any]]) -> list[Any]:
    """The raw replies of ``View.read_watched``, the first error reply raised."""
    out = await replies
    if error := next((r for r in out if isinstance(r, Exception)), None):
        raise error
    return out


def _in_partition(partitioning: Partitioning, partition: int, key: str) -> str:
    return partitioning.key(key, partition)


def commands(writes: Writes) -> Iterator[tuple[str | int | bytes, ...]]:
    """Fenced-commit writes as plain commands."""
    return writes.ops()


def preload_commands(stories: list[tuple[Story, list[TimelineEntry]]]) -> Iterator[tuple[str | int | bytes, ...]]:
    """Commands that store ``stories`` (each with its full timeline, which is the story's
    own ``timeline``) as the stage would have."""
    store = StoryStore(None)  # type: ignore[arg-type]  # writes only, no reads
    writes = Writes()
    store.writes([s for s, _ in stories], {}, writes)
    yield from commands(writes)
    yield ("SET", STORY_INDEX_FORM, INDEX_FORM)


# --- the index's form ------------------------------------------------------------------

INDEX_FORM = "hashed-names,integer-members,guest-alone"
"""What ``STORY_INDEX_FORM`` holds once the index is in this release's form."""
FORMS_BEFORE = ("hashed-names,integer-members",)
"""Forms ``ensure_index`` files again from: the release before filed a story of one guest
beside its host (``story_tracking.GUEST_ALONE``) under the one-participant terms."""


def _keys_of_the_form_before(story: Story) -> set[str]:
    """The keys the form before filed ``story`` under and this one does not: its
    ``GUEST_ALONE`` terms as one-participant (``ALONE``) terms."""
    terms = [t.replace(GUEST_ALONE, ALONE) for t in story_terms_of(story.type, story.actors, story.location) if GUEST_ALONE in t]
    return _keys_of_terms(terms, story.event_date) - index_keys(story)


async def ensure_index(redis: Redis, partitioning: Partitioning = SINGLE, wait_s: float = 600.0) -> int:
    """Make sure the story index is in this release's form before stories are tracked;
    returns how many stories were filed again.

    Releases before named index keys by their terms and stored members as id text
    (``OLD_STORY_INDEX``), or filed a story of one guest beside its host under other
    terms (``FORMS_BEFORE``): a worker of this release would not find those stories. The
    first worker to start files every hot and archived story again from its head (what
    it is filed under depends on the head alone), takes the stories out of the keys of
    the form before, drops the oldest form's keys and records the form; the others wait
    for the record. A server without stories is only recorded."""
    if await _in_form(redis):
        return 0
    lock, token = f"{STORY_INDEX_FORM}:lock", uuid.uuid4().hex
    deadline = asyncio.get_running_loop().time() + wait_s
    while not await redis.set(lock, token, nx=True, ex=int(wait_s)):
        if await _in_form(redis):
            return 0
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"another worker has been filing the stories again for {wait_s:g} s ({lock}); retry when it is done")
        await asyncio.sleep(0.2)
    try:
        if await _in_form(redis):
            return 0
        filed = await reindex(redis, partitioning)
        await redis.set(STORY_INDEX_FORM, INDEX_FORM)
        if filed:
            log.warning("story index rebuilt in this release's form", extra={"stories": filed})
        return filed
    finally:
        if await redis.get(lock) == token.encode():
            await redis.delete(lock)


async def _in_form(redis: Redis) -> bool:
    """Whether the index is recorded in this release's form. A form this release does not
    know (a later release's) is left alone: this one would undo it."""
    form = await redis.get(STORY_INDEX_FORM)
    return form is not None and form.decode() not in FORMS_BEFORE


async def reindex(redis: Redis, partitioning: Partitioning = SINGLE) -> int:
    """File every hot and archived story under its index keys from its head, take it out
    of the keys only the form before filed it under, then drop the keys of the index's
    oldest form; returns how many stories were filed."""
    filed = 0
    for p in range(partitioning.count):
        k = functools.partial(_in_partition, partitioning, p)
        ids = sorted({i.decode() for name in (HOT, ARCHIVED) for i in await redis.zrange(k(name), 0, -1)})
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            async with redis.pipeline(transaction=False) as pipe:
                for sid, raw in zip(chunk, await redis.mget([k(story_key(i)) for i in chunk]), strict=True):
                    try:
                        story = decode_head(raw, sid) if raw is not None else None
                    except ValueError as exc:
                        log.error("story head does not parse; not filed again", extra={"story": sid, "error": str(exc)[:200]})
                        continue
                    if story is None:
                        continue
                    for key in sorted(index_keys(story)):
                        pipe.zadd(k(key), {index_member(sid): story.stamp})
                    for key in sorted(_keys_of_the_form_before(story)):
                        pipe.zrem(k(key), index_member(sid))
                    filed += 1
                await pipe.execute()
    old = [key async for key in redis.scan_iter(match=f"{OLD_STORY_INDEX}*", count=1000)]
    for start in range(0, len(old), 500):
        async with redis.pipeline(transaction=False) as pipe:
            for key in old[start:start + 500]:  # one key per command: a cluster pipeline routes each to its node
                pipe.delete(key)
            await pipe.execute()
    return filed
