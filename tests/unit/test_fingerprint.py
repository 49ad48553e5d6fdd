"""Pure fingerprint and similarity code: fast, no server."""

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from consumers.fingerprint import fingerprint, fingerprints, normalise_text
from consumers.near_duplicates import NearParams, Thresholds, containment, is_copy, jaccard, shingle_hashes, similarity, sketch
from schemas import Article

WORDS = "der die das streik hamburg sagte am dienstag polizei stadt rat einsatz lage bericht zwei drei".split()


def _text(seed: int, n: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * i * 13 + i) % len(WORDS)] + str((seed + i) % 97) for i in range(n))


@given(st.text(max_size=200))
def test_normalise_matches_the_regex_definition(text):
    expected = re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()
    assert normalise_text(text) == expected


def test_swiss_spelling_and_punctuation_normalise_alike():
    assert normalise_text("Die Straße, «gesperrt»!") == normalise_text("die strasse „gesperrt“")


def test_equal_shingles_hash_alike_wherever_they_occur():
    h = shingle_hashes("a b c a b c", 2)
    assert h[0] == h[3] and h[1] == h[4] and len(set(h.tolist())) == 3


def test_short_text_is_one_shingle_and_too_short_to_sketch():
    assert shingle_hashes("nur drei worte", 5).size == 1
    assert sketch("nur drei worte", NearParams()) is None


def test_identical_texts_are_fully_similar():
    text = _text(1, 400)
    a, b = sketch(text, NearParams()), sketch(text, NearParams())
    assert similarity(a, b) == (1.0, 1.0)


def test_a_cut_copy_is_contained_though_its_jaccard_is_low():
    words = _text(2, 600).split()
    full, cut = sketch(" ".join(words), NearParams()), sketch(" ".join(words[:200]), NearParams())
    j, c = similarity(full, cut)
    assert j < 0.5 and c > 0.8
    assert is_copy(j, c, Thresholds())


def test_unrelated_texts_are_not_copies():
    j, c = similarity(sketch(_text(3, 400), NearParams()), sketch(_text(50, 400), NearParams()))
    assert j < 0.05 and not is_copy(j, c, Thresholds())


def test_containment_follows_from_jaccard_and_sizes():
    # B inside A, |A| = 300, |B| = 100: J = 1/3, containment 1
    assert abs(containment(1 / 3, 300, 100) - 1.0) < 1e-9
    assert containment(0.0, 10, 10) == 0.0


def test_jaccard_counts_equal_16_bit_values():
    assert jaccard(b"\x01\x00\x02\x00", b"\x01\x00\x03\x00") == (0.5 - 1 / 65536) / (1 - 1 / 65536)


def test_fingerprint_carries_exact_keys_and_sketch():
    params = NearParams()
    fp = fingerprint(Article(id="a", url="https://www.example.org/x?utm_source=y", text=_text(4, 300)))
    assert fp.url_key == "example.org/x"
    assert len(fp.signature) == 2 * params.num_perm and len(fp.bands) == 8 * params.bands and fp.shingles > 200
    short = fingerprint(Article(id="b", text="Kurz."))
    assert short.signature == b"" and short.bands == b"" and short.shingles == 0


def test_parameters_are_in_the_version_tag():
    assert NearParams().version != NearParams(bands=8).version


def test_a_batch_gets_the_same_fingerprints_as_one_article_at_a_time():
    batch = [
        Article(id="a", url="https://www.example.org/x", text=_text(5, 300)),
        Article(id="b", text="Kurz."),
        Article(id="c", text="— …"),
        Article(id="d", text=" ".join(_text(6, 4).split()[:4]) + "!"),
        Article(id="e", text=_text(7, 9)),
        Article(id="f", text=_text(5, 120) + "\n\nNeuer Absatz."),
    ]
    assert fingerprints(batch) == [fingerprint(a) for a in batch]
    assert fingerprints([]) == []


def test_a_batch_of_one_gets_what_the_same_article_gets_in_a_larger_batch():
    """A batch of one takes the single-text path (``sketch``); its values are the array
    path's for the same text."""
    batch = [
        Article(id="a", url="https://www.example.org/x", text=_text(5, 300)),
        Article(id="b", text="Kurz."),
        Article(id="d", text=" ".join(_text(6, 4).split()[:4]) + "!"),
        Article(id="e", text=_text(7, 9)),
        Article(id="f", text=_text(5, 120) + "\n\nNeuer Absatz."),
    ]
    together = fingerprints(batch)
    assert [fingerprints([a])[0] for a in batch] == together
    assert all(f.signature for f in (together[0], together[4]))
