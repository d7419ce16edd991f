"""Copies of one story: texts that are nearly the same (a wire story run by several outlets, one
spelling "Spetsnaz", another "Speznaz") are one story, so their own-voice claims are one
originator. Pure Python, nothing from Django.

A text becomes a set of word shingles; MinHash estimates the Jaccard similarity of two sets from
short signatures, and LSH banding cuts a signature into band keys, so that the texts that may be
copies of a new one are found by looking its band keys up in an index instead of comparing it
with every stored text. The numbers are kept as data in data/independence.json.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

# datasketch: MinHash and its compact frozen form are well kept and fast (numpy), and give the
# estimated Jaccard similarity the threshold is compared with; hand-written hashing would be a
# second, untested copy of the same mathematics.
from datasketch import LeanMinHash, MinHash

# The parameters (a, b) of MinHash's hash functions, one a permutation.
Permutation = np.ndarray[tuple[int], np.dtype[np.uint64]]

SETTINGS_PATH = Path(__file__).parent / "data" / "independence.json"

# Words as \w runs, case folded: punctuation, line breaks and capitals never make two copies of
# a story differ.
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class StorySettings:
    """The numbers of data/independence.json, as loaded and checked."""

    threshold: float
    shingle_words: int
    permutations: int
    bands: int
    seed: int

    @property
    def rows(self) -> int:
        """How many signature values each band holds."""
        return self.permutations // self.bands

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise ValueError("threshold must be above 0 and at most 1.")
        if self.shingle_words < 1:
            raise ValueError("shingle_words must be at least 1.")
        if self.permutations < 1 or self.bands < 1 or self.permutations % self.bands:
            raise ValueError("permutations must be a positive multiple of bands.")


@lru_cache(maxsize=8)
def load_settings(path: Path = SETTINGS_PATH) -> StorySettings:
    """Load the settings (cached; pass a path to use another file)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return StorySettings(
        threshold=float(data["threshold"]),
        shingle_words=int(data["shingle_words"]),
        permutations=int(data["permutations"]),
        bands=int(data["bands"]),
        seed=int(data["seed"]),
    )


def words(text: str) -> list[str]:
    """The text's words, case folded, punctuation dropped."""
    return WORD.findall(text.casefold())


def shingles(text: str, size: int) -> set[str]:
    """The runs of `size` consecutive words; a text shorter than that is one shingle of all
    its words, and a text with no word has none."""
    found = words(text)
    if len(found) <= size:
        return {" ".join(found)} if found else set()
    return {" ".join(found[i : i + size]) for i in range(len(found) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    """The exact Jaccard similarity of two shingle sets (for tests and explanations)."""
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


@lru_cache(maxsize=8)
def _permutations(permutations: int, seed: int) -> tuple[Permutation, Permutation]:
    # Drawing the permutations is the slow part of a new MinHash: draw them once per setting.
    template = MinHash(num_perm=permutations, seed=seed)
    a, b = template.permutations
    return a, b


@dataclass(frozen=True)
class Signature:
    """A text's MinHash signature (None for a text with no word, which is a copy of nothing)."""

    minhash: LeanMinHash | None

    def to_bytes(self) -> bytes:
        if self.minhash is None:
            return b""
        buffer = bytearray(self.minhash.bytesize())
        self.minhash.serialize(buffer)
        return bytes(buffer)

    @classmethod
    def from_bytes(cls, data: bytes | memoryview | None) -> Signature:
        if not data:
            return cls(None)
        return cls(LeanMinHash.deserialize(bytes(data)))


def signature(text: str, settings: StorySettings | None = None) -> Signature:
    """The MinHash signature of the text's word shingles."""
    settings = settings or load_settings()
    found = shingles(text, settings.shingle_words)
    if not found:
        return Signature(None)
    minhash = MinHash(
        num_perm=settings.permutations,
        seed=settings.seed,
        permutations=_permutations(settings.permutations, settings.seed),
        scheme="affine32",
    )
    minhash.update_batch([s.encode("utf-8") for s in sorted(found)])
    return Signature(LeanMinHash(minhash))


def band_keys(sig: Signature, settings: StorySettings | None = None) -> list[int]:
    """The signature's LSH band keys: two texts that share one are candidates for one story.
    Each key is a signed 64-bit number (it fits a BIGINT column), the band's position mixed in
    so that equal values in different bands never meet."""
    settings = settings or load_settings()
    if sig.minhash is None:
        return []
    values = np.asarray(sig.minhash.hashvalues, dtype="<u8")
    rows = settings.rows
    keys = []
    for band in range(settings.bands):
        chunk = values[band * rows : (band + 1) * rows].tobytes()
        digest = hashlib.blake2b(band.to_bytes(4, "little") + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return sorted(set(keys))


def similarity(a: Signature, b: Signature) -> float:
    """The Jaccard similarity of two texts' shingles, as their signatures estimate it."""
    if a.minhash is None or b.minhash is None:
        return 0.0
    return float(a.minhash.jaccard(b.minhash))


def same_story(a: Signature, b: Signature, settings: StorySettings | None = None) -> bool:
    """Whether two texts are copies of one story: estimated similarity at the threshold or above."""
    settings = settings or load_settings()
    return similarity(a, b) >= settings.threshold


def copy_groups(
    signatures: Mapping[int, Signature], settings: StorySettings | None = None
) -> list[list[int]]:
    """The articles (by id) grouped into stories: the connected parts of the graph whose edges
    join copies. Only articles that share a band key are compared (the index's way, in
    memory), so a bulk load of many articles is not an all-pairs scan. Each group is sorted,
    earliest id first, and the groups come in the order of their earliest id."""
    settings = settings or load_settings()
    ids = sorted(signatures)
    parent = {i: i for i in ids}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: dict[int, list[int]] = {}
    for i in ids:
        for key in band_keys(signatures[i], settings):
            buckets.setdefault(key, []).append(i)
    for members in buckets.values():
        for n, a in enumerate(members):
            for b in members[n + 1 :]:
                ra, rb = root(a), root(b)
                if ra != rb and same_story(signatures[a], signatures[b], settings):
                    parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in ids:
        groups.setdefault(root(i), []).append(i)
    return [groups[key] for key in sorted(groups)]
