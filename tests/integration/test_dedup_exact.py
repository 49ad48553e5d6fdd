"""Exact dedup against a real server: copies, URL variants, re-delivery."""

import pytest

from consumers.dedup_index import DedupIndex
from consumers.fingerprint import fingerprint
from schemas import Article

pytestmark = pytest.mark.integration


async def test_copy_redelivery_and_url_variant(redis):
    index = DedupIndex(redis)
    a = Article(id="a", url="https://www.example.org/x?utm_source=feed", text="Das Treffen wurde abgesagt.")
    copy = Article(id="b", text="das Treffen  wurde ABGESAGT!")
    same_page = Article(id="c", url="https://example.org/x#top", text="Anderer Text zur gleichen Seite.")
    other = Article(id="d", text="Ein ganz anderer Bericht.")
    verdicts = await index.decide([fingerprint(x) for x in (a, copy, same_page, other, a)])
    assert [(v.kind, v.duplicate_of) for v in verdicts] == [
        ("unique", None),
        ("exact_text", "a"),
        ("canonical_url", "a"),
        ("unique", None),
        ("redelivery", None),
    ]
    # a re-delivered duplicate gets the verdict it got the first time
    again = await index.decide([fingerprint(copy)])
    assert (again[0].kind, again[0].duplicate_of) == ("exact_text", "a")


async def test_entries_expire_with_the_window(redis):
    index = DedupIndex(redis, window_seconds=60)
    await index.decide([fingerprint(Article(id="a", text="x y z"))])
    keys = [k async for k in redis.scan_iter("sw:dd:*")] + [k async for k in redis.scan_iter("{sw:dd:*")]
    assert keys
    for key in keys:
        # whole buckets expire: an entry lives between one window and one window plus a bucket
        assert 59 <= await redis.ttl(key) <= 120


async def test_a_unique_article_keeps_no_field_of_its_own_and_is_still_known_again(redis):
    import xxhash

    index = DedupIndex(redis)
    a = Article(id="a", url="https://example.org/a", text="Das Treffen in Berlin wurde auf Mai verschoben.")
    assert [v.kind for v in await index.decide([fingerprint(a)])] == ["unique"]
    (bucket,) = [k async for k in redis.scan_iter("{sw:dd:*:h:*")]
    assert b"i" + xxhash.xxh3_64_digest(b"a") not in await redis.hkeys(bucket)
    edited = Article(id="a", url="https://example.org/a", text="Ganz neu geschrieben: das Treffen findet im Mai statt.")
    assert [v.kind for v in await index.decide([fingerprint(a), fingerprint(edited)])] == ["redelivery", "redelivery"]
