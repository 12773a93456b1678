"""Finding the stored original of a document that is a copy (``eventwire.ingest.dedup``).

``find_copies`` looks up the fingerprints of a batch of documents (their URL keys and MinHash
band keys) in ``document_keys`` with one query per 500 keys, confirms band matches on the stored
signatures, and also compares the batch's documents with each other in input order.  The store
runs it inside the write transaction of the batch, so two ingests running at once cannot both
take the same text for an original; ``ingest_into`` runs it before parsing, so copies are not
coded at all.  A copy's original is always an original (copies of copies point to the root).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from eventwire.ingest import NEAR_DUPLICATE, CopyMatch, DedupIndex, Fingerprint, similarity
from eventwire.store import schema as S

CHUNK = 500


def find_copies(conn: Connection, fingerprints: Sequence[Fingerprint]) -> dict[str, CopyMatch]:
    """The original of each document of ``fingerprints`` that is a copy, by document id."""
    keys = sorted({k for fp in fingerprints for k in fp.keys})
    owners: dict[int, list[tuple[str, str]]] = {}  # key -> [(doc_id, root)] in storing order
    if keys:
        k, d = S.document_keys.c, S.documents.c
        for lo in range(0, len(keys), CHUNK):
            stmt = (
                select(k.key, k.doc_id, d.copy_of)
                .join(S.documents, d.id == k.doc_id)
                .where(k.key.in_(keys[lo : lo + CHUNK]))
                .order_by(d.ingested_at, d.id)
            )
            for key, doc_id, copy_of in conn.execute(stmt):
                owners.setdefault(key, []).append((doc_id, copy_of or doc_id))
    band_docs = {doc for fp in fingerprints for key in fp.band_keys for doc, _ in owners.get(key, ())}
    signatures: dict[str, bytes] = {}
    if band_docs:
        s = S.document_signatures.c
        ids = sorted(band_docs)
        for lo in range(0, len(ids), CHUNK):
            for doc_id, sig in conn.execute(select(s.doc_id, s.signature).where(s.doc_id.in_(ids[lo : lo + CHUNK]))):
                signatures[doc_id] = bytes(sig)
    found: dict[str, CopyMatch] = {}
    batch = DedupIndex()
    for fp in fingerprints:
        match = _stored_match(fp, owners, signatures) or batch.find(fp)
        if match is not None and match.original == fp.doc_id:
            match = None
        if match is not None:
            found[fp.doc_id] = match
        batch.add(fp, match.original if match else None)
    return found


def _stored_match(
    fp: Fingerprint, owners: dict[int, list[tuple[str, str]]], signatures: dict[str, bytes]
) -> CopyMatch | None:
    for key in fp.url_keys:
        for doc_id, root in owners.get(key, ()):
            if fp.doc_id not in (doc_id, root):
                return CopyMatch(root, "url")
    if fp.signature is None:
        return None
    best: CopyMatch | None = None
    seen: set[str] = set()
    for key in fp.band_keys:
        for doc_id, root in owners.get(key, ()):
            if doc_id in seen or fp.doc_id in (doc_id, root):
                continue
            seen.add(doc_id)
            sig = signatures.get(doc_id)
            if sig is None:
                continue
            sim = similarity(fp.signature, sig)
            if sim >= NEAR_DUPLICATE and (best is None or sim > (best.similarity or 0.0)):
                best = CopyMatch(root, "text", sim)
    return best


def key_rows(fp: Fingerprint) -> list[dict[str, Any]]:
    """The ``document_keys`` rows of a document."""
    rows = [{"key": k, "doc_id": fp.doc_id, "kind": "url"} for k in fp.url_keys]
    rows += [{"key": k, "doc_id": fp.doc_id, "kind": "band"} for k in sorted(set(fp.band_keys) - set(fp.url_keys))]
    return rows
