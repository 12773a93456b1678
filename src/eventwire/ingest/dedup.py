"""Copies of one document: the same page under another URL, and syndicated copies of a text.

A document is a copy of an earlier one when
- one's URL or canonical URL is the other's, after normalisation (``urls.url_key``: tracking
  parameters, scheme, ``www.`` and trailing slashes do not count; a site's home page never
  counts, since some sites give it as every page's canonical URL), or
- their texts are near-identical: the MinHash estimate of the Jaccard similarity of their
  5-word shingles is at least ``NEAR_DUPLICATE`` (a wire story republished with another headline,
  a credit line or a trimmed last paragraph).  Texts under ``MIN_WORDS`` words are never
  compared (two one-line reports of different events can share most of their words).

``fingerprint`` gives what the store keeps to find copies later: integer keys (one per URL, one
per locality-sensitive band of the MinHash signature) that an index looks up in one query, and
the signature to confirm a band match.  ``DedupIndex`` finds copies among documents in memory
(within one batch); the store does the same against everything it holds.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from eventwire.ingest.urls import is_site_root, url_key
from eventwire.model import Document

NUM_PERM = 128
BANDS = 16  # x ROWS = NUM_PERM; a pair with similarity 0.8 shares a band with probability 0.95
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 5
MIN_WORDS = 50
NEAR_DUPLICATE = 0.8
SCHEME = "affine32"  # datasketch's permutation scheme: 32-bit values
SEED = 20260  # fixed: signatures must stay comparable across runs and machines
_WORD = re.compile(r"\w+")
_MASK63 = (1 << 63) - 1


@dataclass(slots=True)
class Fingerprint:
    """What finding copies of a document compares."""

    doc_id: str
    url_keys: list[int] = field(default_factory=list)
    band_keys: list[int] = field(default_factory=list)
    signature: bytes | None = None  # NUM_PERM little-endian uint32

    @property
    def keys(self) -> list[int]:
        return self.url_keys + self.band_keys


@dataclass(slots=True, frozen=True)
class CopyMatch:
    """The document a document is a copy of, and why."""

    original: str
    reason: str  # "url" or "text"
    similarity: float | None = None

    def describe(self) -> str:
        return "same URL" if self.reason == "url" else f"near-identical text ({self.similarity:.2f})"


def _key(*parts: str | bytes) -> int:
    h = hashlib.blake2b(digest_size=8)
    for p in parts:
        h.update(p if isinstance(p, bytes) else p.encode("utf-8"))
        h.update(b"\x1f")
    return int.from_bytes(h.digest(), "little") & _MASK63


def url_lookup_key(url: str | None) -> int | None:
    """The key a document with this URL (or canonical URL) is filed under; ``None`` for no web
    URL or a site's home page."""
    k = url_key(url) if url and not is_site_root(url) else None
    return _key("url", k) if k is not None else None


def url_keys(document: Document) -> list[int]:
    keys = [url_lookup_key(u) for u in (document.url, document.canonical_url)]
    return sorted({k for k in keys if k is not None})


def shingles(text: str) -> list[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return []
    return list({" ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)})


_PERMUTATIONS: tuple[np.ndarray, np.ndarray] | None = None


def signature(text: str) -> bytes | None:
    """The MinHash signature of a text's shingles (``None`` for short texts)."""
    from datasketch import MinHash

    global _PERMUTATIONS
    sh = shingles(text)
    if not sh:
        return None
    if _PERMUTATIONS is None:
        _PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
    m = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_PERMUTATIONS, scheme=SCHEME)
    m.update_batch(sh)
    return np.asarray(m.hashvalues, dtype="<u4").tobytes()


def band_keys(sig: bytes) -> list[int]:
    return [_key("band", str(b), sig[b * ROWS * 4 : (b + 1) * ROWS * 4]) for b in range(BANDS)]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures' shingle sets."""
    va, vb = np.frombuffer(a, dtype="<u4"), np.frombuffer(b, dtype="<u4")
    return float(np.count_nonzero(va == vb)) / NUM_PERM


def fingerprint(document: Document) -> Fingerprint:
    sig = signature(document.text)
    return Fingerprint(document.id, url_keys(document), band_keys(sig) if sig else [], sig)


def best_match(
    fp: Fingerprint,
    url_owners: Iterable[str],
    band_candidates: Iterable[tuple[str, bytes | None]],
) -> CopyMatch | None:
    """The original among candidates: a document sharing a URL key first, else the most similar
    text at or above ``NEAR_DUPLICATE`` (candidates come in the order they were stored; the
    earliest wins a tie)."""
    for owner in url_owners:
        if owner != fp.doc_id:
            return CopyMatch(owner, "url")
    if fp.signature is None:
        return None
    best: CopyMatch | None = None
    for doc_id, sig in band_candidates:
        if doc_id == fp.doc_id or sig is None:
            continue
        s = similarity(fp.signature, sig)
        if s >= NEAR_DUPLICATE and (best is None or s > (best.similarity or 0.0)):
            best = CopyMatch(doc_id, "text", s)
    return best


class DedupIndex:
    """Copies among documents held in memory (one batch), in the order they are added."""

    def __init__(self) -> None:
        self._owner: dict[int, str] = {}  # key -> first document with it
        self._sigs: dict[str, bytes] = {}
        self._root: dict[str, str] = {}  # a copy -> its original

    def find(self, fp: Fingerprint) -> CopyMatch | None:
        url_owners = [self._owner[k] for k in fp.url_keys if k in self._owner]
        cands = []
        seen: set[str] = set()
        for k in fp.band_keys:
            owner = self._owner.get(k)
            if owner is not None and owner not in seen:
                seen.add(owner)
                cands.append((owner, self._sigs.get(owner)))
        match = best_match(fp, url_owners, cands)
        if match is not None:
            root = self._root.get(match.original, match.original)
            match = CopyMatch(root, match.reason, match.similarity)
        return match

    def add(self, fp: Fingerprint, copy_of: str | None = None) -> None:
        for k in fp.keys:
            self._owner.setdefault(k, fp.doc_id)
        if fp.signature is not None:
            self._sigs.setdefault(fp.doc_id, fp.signature)
        if copy_of:
            self._root[fp.doc_id] = copy_of
