"""Near-duplicate dedup against a real server: copies, races, re-delivery, the window."""

import asyncio
import time
import zlib

import pytest
from redis.asyncio import Redis

from consumers.dedup_index import DedupIndex
from consumers.fingerprint import fingerprint
from schemas import Article
from tests.data.dedup.make_corpus import build

pytestmark = pytest.mark.integration

CORPUS = build(events_per_language=6)
BY_ID = {item.id: item for item in CORPUS}


def _article(item_id: str, as_id: str | None = None) -> Article:
    return Article(id=as_id or item_id, text=BY_ID[item_id].text)


async def test_cut_copy_is_a_near_duplicate_naming_its_original(redis):
    index = DedupIndex(redis)
    original, cut, other = _article("de-0-orig"), _article("de-0-cut_hard"), _article("de-0-indep0")
    verdicts = await index.decide([fingerprint(x) for x in (original, cut, other)])
    assert [v.kind for v in verdicts] == ["unique", "near", "unique"]
    assert verdicts[1].duplicate_of == "de-0-orig" and 0.5 <= verdicts[1].similarity <= 1.0
    assert await index.size() == 2


async def test_redelivery_repeats_the_first_verdict(redis):
    index = DedupIndex(redis)
    original, copy = fingerprint(_article("en-1-orig")), fingerprint(_article("en-1-update"))
    first = await index.decide([original, copy])
    # the same messages again, as after a crash between deciding and acknowledging
    again = await index.decide([copy, original])
    assert [(v.kind, v.duplicate_of) for v in first] == [("unique", None), ("near", "en-1-orig")]
    assert [(v.kind, v.duplicate_of, v.similarity) for v in again] == [
        ("near", "en-1-orig", first[1].similarity),
        ("redelivery", None, 1.0),
    ]


async def test_entries_stop_matching_after_the_window(redis):
    now = [time.time()]
    index = DedupIndex(redis, window_seconds=3 * 86400, clock=lambda: now[0])
    await index.decide([fingerprint(_article("de-2-orig"))])
    now[0] += 2 * 86400
    assert (await index.decide([fingerprint(_article("de-2-cut"))]))[0].kind == "near"
    now[0] += 2 * 86400  # the original's bucket is now older than the window
    assert (await index.decide([fingerprint(_article("de-2-byline"))]))[0].kind == "unique"
    assert (await index.decide([fingerprint(_article("de-2-orig", as_id="de-2-orig-again"))]))[0].kind == "near"


async def test_bucket_keys_carry_an_expiry_and_share_one_hash_tag(redis):
    index = DedupIndex(redis, window_seconds=600)
    await index.decide([fingerprint(_article("en-3-orig")), fingerprint(_article("en-3-cut"))])
    keys = [k.decode() async for k in redis.scan_iter("*")]
    assert keys
    assert len({k[: k.index("}") + 1] for k in keys}) == 1
    for key in keys:
        assert 599 <= await redis.ttl(key) <= 1200


async def test_concurrent_consumers_let_exactly_one_copy_through(redis, redis_url):
    """Many clients, each with its own connection, get copies of one story at the same instant."""
    variants = ["orig", "byline", "headline", "caption", "swiss_byline", "boilerplate", "reworded", "cut"]
    rounds = 20
    clients = [Redis.from_url(redis_url) for _ in variants]
    try:
        indexes = [DedupIndex(c) for c in clients]
        for r in range(rounds):
            fps = [fingerprint(_article(f"de-{r % 6}-{v}", as_id=f"r{r}-{v}")) for v in variants]
            start = asyncio.Event()

            async def consume(index: DedupIndex, fp):
                await start.wait()
                return (await index.decide([fp]))[0]

            tasks = [asyncio.create_task(consume(ix, fp)) for ix, fp in zip(indexes, fps)]
            await asyncio.sleep(0)
            start.set()
            verdicts = await asyncio.gather(*tasks)
            passed = [v for v in verdicts if not v.is_duplicate]
            assert len(passed) == 1, verdicts
            assert all(v.duplicate_of == passed[0].article_id for v in verdicts if v.is_duplicate)
            await redis.flushdb()
    finally:
        for c in clients:
            await c.aclose()


@pytest.mark.slow
async def test_on_the_test_set_no_false_duplicate_and_copies_caught(redis):
    """The whole generated set through one index in batches, copies and non-copies interleaved."""
    corpus = build()
    rest = sorted((i for i in corpus if i.role != "original"), key=lambda i: zlib.crc32(i.id.encode()))
    ordered = [i for i in corpus if i.role == "original"] + rest
    index = DedupIndex(redis)
    verdicts = []
    for start in range(0, len(ordered), 100):
        batch = ordered[start : start + 100]
        verdicts += await index.decide([fingerprint(Article(id=i.id, text=i.text)) for i in batch])
    outcome = {v.article_id: v for v in verdicts}
    copies = [i for i in corpus if i.role == "copy"]
    caught = [i for i in copies if outcome[i.id].is_duplicate and outcome[i.id].duplicate_of == i.copy_of]
    false = [i.id for i in corpus if i.role in ("original", "independent", "followup") and outcome[i.id].is_duplicate]
    assert false == []
    assert len(caught) / len(copies) >= 0.95


async def test_two_one_sentence_reports_on_one_event_are_not_copies(redis):
    """Containment of a handful of shingles means nothing: short reports need Jaccard."""
    from consumers.dedup_index import DedupIndex
    from consumers.fingerprint import fingerprints
    from schemas import Article

    question = Article(id="q", text="Findet der Gipfel von Xi und Modi in Neu-Delhi überhaupt statt?")
    report = Article(id="r", text="Der Gipfel von Xi und Modi in Neu-Delhi wurde abgesagt, teilte das Außenministerium mit.")
    verdicts = await DedupIndex(redis).decide(fingerprints([question, report]))
    assert [v.kind for v in verdicts] == ["unique", "unique"]
