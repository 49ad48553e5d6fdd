"""Near-duplicate fingerprints and their comparison (pure functions).

A copy of a wire story shares most of its word shingles with the original, but
copies differ in extent (one outlet cuts the last paragraphs), so Jaccard alone
under-rates them; containment (shared shingles over the smaller set) does not.
MinHash estimates Jaccard; with both set sizes known, containment follows from it:
``|A∩B| = J·(|A|+|B|)/(1+J)``.

Shingle hashes are computed for the whole text at once with a polynomial prefix
hash over the UTF-8 bytes (numpy), so a 5 KB article costs tens of microseconds
rather than one Python call per shingle; rensa (Rust) turns them into MinHash
values. LSH band digests and the stored signature are derived from those values.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import rensa

_MASK64 = (1 << 64) - 1
_BASE = 0x100000001B3
"""Odd multiplier of the polynomial shingle hash (invertible modulo 2**64)."""


@dataclass(frozen=True)
class NearParams:
    """Everything that changes a fingerprint; part of the key prefix via ``version``."""

    shingle_words: int = 5
    num_perm: int = 128
    bands: int = 16
    rows: int = 1
    seed: int = 20240604
    min_shingles: int = 8
    """Texts with fewer distinct shingles are too short to judge as near copies."""

    def __post_init__(self) -> None:
        if self.bands * self.rows > self.num_perm:
            raise ValueError("bands * rows must not exceed num_perm")

    @property
    def version(self) -> str:
        """Short tag for the key prefix: a new tag never reads the old keys."""
        return f"m{self.shingle_words}p{self.num_perm}b{self.bands}r{self.rows}s{self.seed:x}"


@dataclass(frozen=True)
class Thresholds:
    """When a verified candidate counts as a copy.

    A copy either overlaps heavily as a whole (Jaccard) or one text is largely
    contained in the other (cut or extended copies); the Jaccard floor keeps a short
    text that quotes a long one in passing from counting as contained.
    """

    jaccard: float = 0.5
    containment: float = 0.5
    jaccard_floor: float = 0.15
    containment_min_shingles: int = 30
    """Containment only counts when the shorter text has this many shingles (a
    paragraph): two one-sentence reports on one event share most of their few shingles."""


@dataclass(frozen=True)
class NearSketch:
    """The part of a fingerprint used for near-duplicate detection."""

    size: int
    """Number of distinct shingles."""
    signature: bytes
    """Low 16 bits of each MinHash value, little-endian: what verification compares."""
    bands: bytes
    """One 8-byte little-endian digest per LSH band."""


@lru_cache(maxsize=8)
def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``BASE**i`` and ``BASE**-i`` modulo 2**64 for i < n (cached by size class)."""
    inverse = pow(_BASE, -1, 1 << 64)
    up = np.cumprod(np.full(n, _BASE, dtype=np.uint64), dtype=np.uint64)
    down = np.cumprod(np.full(n, inverse, dtype=np.uint64), dtype=np.uint64)
    one = np.ones(1, dtype=np.uint64)
    return np.concatenate((one, up[:-1])), np.concatenate((one, down[:-1]))


def _size_class(n: int) -> int:
    return max(1024, 1 << (n - 1).bit_length())


_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_ONE = np.uint64(1)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_LOW16 = np.uint32(0xFFFF)


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads the polynomial hash over all 64 bits.

    Array arithmetic on uint64 wraps modulo 2**64 silently, which is what hashing wants.
    """
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


def shingle_hashes(normalised: str | bytes, k: int) -> np.ndarray:
    """64-bit hashes of the word k-shingles of a normalised text (words split by one space).

    A text shorter than k words is one shingle. Equal shingles get equal hashes
    wherever they occur, which is all MinHash needs. A shingle's hash is its slice of
    one prefix sum over the bytes, so the whole text costs a handful of array
    operations.
    """
    data = np.frombuffer(normalised.encode() if isinstance(normalised, str) else normalised, dtype=np.uint8)
    if data.size == 0:
        return np.empty(0, dtype=np.uint64)
    spaces = np.flatnonzero(data == 32)
    words = spaces.size + 1
    bounds = np.empty(words + 1, dtype=np.intp)
    bounds[0], bounds[1:-1], bounds[-1] = -1, spaces, data.size
    span = min(k, words)
    starts, ends = bounds[: words - span + 1] + 1, bounds[span:]
    up, down = _powers(_size_class(data.size + 1))
    prefix = np.empty(data.size + 1, dtype=np.uint64)
    prefix[0] = 0
    np.cumsum((data + _ONE) * up[: data.size], out=prefix[1:])
    raw = (prefix[ends] - prefix[starts]) * down[starts]
    return _mix64(raw ^ (ends - starts).astype(np.uint64))


def minhash(hashes: np.ndarray, params: NearParams) -> np.ndarray:
    """MinHash values (uint32, one per permutation) of a set of shingle hashes."""
    offsets = np.array([0, hashes.size], dtype=np.uint64)
    rows = rensa.RMinHash.digest_matrix_from_flat_token_hashes(hashes, offsets, params.num_perm, params.seed).to_rows()
    return np.asarray(rows[0], dtype=np.uint32)


def band_digests(values: np.ndarray, params: NearParams) -> np.ndarray:
    """One uint64 per band: the band's rows and its index, mixed.

    Equal digests mean (up to 2**-64) equal rows in that band: an LSH candidate.
    """
    rows = values[: params.bands * params.rows].astype(np.uint64).reshape(params.bands, params.rows)
    acc = _band_salts(params.bands)
    for column in rows.T:
        acc = _mix64(acc ^ column)
    return acc


@lru_cache(maxsize=8)
def _band_salts(bands: int) -> np.ndarray:
    """Distinct start values per band, so equal rows in two bands give two digests."""
    return np.arange(1, bands + 1, dtype=np.uint64) * _GOLDEN


def distinct_count(hashes: np.ndarray) -> int:
    if hashes.size == 0:
        return 0
    ordered = np.sort(hashes)
    return int(np.count_nonzero(ordered[1:] != ordered[:-1])) + 1


def sketch(normalised: str | bytes, params: NearParams) -> NearSketch | None:
    """The near-duplicate sketch of a normalised text, or None when it is too short to judge."""
    hashes = shingle_hashes(normalised, params.shingle_words)
    size = distinct_count(hashes)
    if size < params.min_shingles:
        return None
    values = minhash(hashes, params)
    return NearSketch(
        size=size,
        signature=(values & _LOW16).astype("<u2").tobytes(),
        bands=band_digests(values, params).astype("<u8").tobytes(),
    )


def sketches(texts: list[bytes], params: NearParams) -> list[NearSketch | None]:
    """``sketch`` of each normalised text, the same values, computed for all at once.

    Every array step costs about a microsecond however short the array; done once per
    batch instead of once per text, that overhead nearly vanishes. The texts are
    joined with a newline (which never occurs in a normalised text), a shingle never
    crosses it, and a shingle's hash does not depend on where it starts. A batch of one
    (a live feed's usual batch) is ``sketch`` itself: half the array steps, the same values.
    """
    if not texts:
        return []
    if len(texts) == 1:
        return [sketch(texts[0], params)]
    joined = np.frombuffer(b"\n".join(texts), dtype=np.uint8)
    bounds = np.concatenate(([-1], np.flatnonzero((joined == 32) | (joined == 10)), [joined.size]))
    ends_of_texts = np.flatnonzero(joined == 10)
    word_text = np.searchsorted(ends_of_texts, bounds[:-1] + 1)
    words = np.bincount(word_text, minlength=len(texts))
    first_word = np.concatenate(([0], np.cumsum(words)[:-1]))
    span = np.minimum(words, params.shingle_words)
    start_word = np.arange(word_text.size)
    valid = start_word - first_word[word_text] <= words[word_text] - span[word_text]
    start_word, shingle_text = start_word[valid], word_text[valid]
    starts, ends = bounds[start_word] + 1, bounds[start_word + span[shingle_text]]
    up, down = _powers(_size_class(joined.size + 1))
    prefix = np.empty(joined.size + 1, dtype=np.uint64)
    prefix[0] = 0
    np.cumsum((joined + _ONE) * up[: joined.size], out=prefix[1:])
    hashes = _mix64((prefix[ends] - prefix[starts]) * down[starts] ^ (ends - starts).astype(np.uint64))
    per_text = np.split(hashes, np.cumsum(np.bincount(shingle_text, minlength=len(texts)))[:-1])
    sizes = [distinct_count(h) if len(t) else 0 for h, t in zip(per_text, texts, strict=True)]
    kept = [i for i, size in enumerate(sizes) if size >= params.min_shingles]
    out: list[NearSketch | None] = [None] * len(texts)
    if not kept:
        return out
    values = _minhash_rows([per_text[i] for i in kept], params)
    signatures = (values & _LOW16).astype("<u2")
    bands = _band_rows(values, params).astype("<u8")
    for row, i in enumerate(kept):
        out[i] = NearSketch(size=sizes[i], signature=signatures[row].tobytes(), bands=bands[row].tobytes())
    return out


def _minhash_rows(hash_sets: list[np.ndarray], params: NearParams) -> np.ndarray:
    """``minhash`` of several sets in one call: one row per set."""
    offsets = np.concatenate(([0], np.cumsum([h.size for h in hash_sets]))).astype(np.uint64)
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(np.concatenate(hash_sets), offsets, params.num_perm, params.seed)
    return np.asarray(matrix.to_rows(), dtype=np.uint32)


def _band_rows(values: np.ndarray, params: NearParams) -> np.ndarray:
    """``band_digests`` of each row of MinHash values."""
    rows = values[:, : params.bands * params.rows].astype(np.uint64).reshape(len(values), params.bands, params.rows)
    acc = np.broadcast_to(_band_salts(params.bands), (len(values), params.bands))
    for column in range(params.rows):
        acc = _mix64(acc ^ rows[:, :, column])
    return acc


def jaccard(signature_a: bytes, signature_b: bytes) -> float:
    """Estimated Jaccard similarity: share of equal 16-bit MinHash values.

    Two different 32-bit minima agree in their low 16 bits with probability 2**-16;
    the estimate corrects for that (b-bit MinHash, Li and König).
    """
    a = np.frombuffer(signature_a, dtype="<u2")
    b = np.frombuffer(signature_b, dtype="<u2")
    chance = 1.0 / 65536
    matches = float(np.count_nonzero(a == b)) / a.size
    return max(0.0, (matches - chance) / (1.0 - chance))


def containment(j: float, size_a: int, size_b: int) -> float:
    """Shared shingles over the smaller set, from Jaccard and the two set sizes."""
    if j <= 0.0:
        return 0.0
    shared = j * (size_a + size_b) / (1.0 + j)
    return min(1.0, shared / min(size_a, size_b))


def is_copy(j: float, c: float, thresholds: Thresholds) -> bool:
    """The decision rule; the Lua script applies the same rule inside Redis."""
    return j >= thresholds.jaccard or (c >= thresholds.containment and j >= thresholds.jaccard_floor)


def similarity(a: NearSketch, b: NearSketch, thresholds: Thresholds | None = None) -> tuple[float, float]:
    """(Jaccard, containment) estimated from two sketches; containment is 0 when the
    shorter text is too short for it to mean anything (as the Lua script decides)."""
    j = jaccard(a.signature, b.signature)
    if min(a.size, b.size) < (thresholds or Thresholds()).containment_min_shingles:
        return j, 0.0
    return j, containment(j, a.size, b.size)
