"""Deterministic dev/test split for this evaluation set.

An item goes to `test` when int(sha256(id).hexdigest(), 16) % 2 == 0, else to `dev`.

Usage (run from anywhere):
    python split.py DOCS.jsonl GOLD.jsonl   # split a full set into dev/test files next to this script
    python split.py                         # re-merge this folder's dev/test files and split them again (idempotent check)
Docs lines carry "id"; gold lines carry "doc_id".
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def is_test(item_id: str) -> bool:
    return int(hashlib.sha256(item_id.encode()).hexdigest(), 16) % 2 == 0


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv: list[str]) -> int:
    if len(argv) == 2:
        docs, gold = read_jsonl(Path(argv[0])), read_jsonl(Path(argv[1]))
    elif not argv:
        docs, gold = [], []
        for part in ("dev", "test"):
            docs += read_jsonl(HERE / f"{part}.docs.jsonl")
            gold += read_jsonl(HERE / f"{part}.gold.jsonl")
        order = {d["id"]: i for i, d in enumerate(sorted(docs, key=lambda d: d["id"]))}
        docs.sort(key=lambda d: order[d["id"]])
        gold.sort(key=lambda g: order[g["doc_id"]])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    ids = [d["id"] for d in docs]
    if len(set(ids)) != len(ids):
        raise SystemExit("duplicate ids in docs")
    if sorted(ids) != sorted(g["doc_id"] for g in gold):
        raise SystemExit("docs and gold ids differ")
    gold_by_id = {g["doc_id"]: g for g in gold}
    for part, want in (("test", True), ("dev", False)):
        part_docs = [d for d in docs if is_test(d["id"]) == want]
        write_jsonl(HERE / f"{part}.docs.jsonl", part_docs)
        write_jsonl(HERE / f"{part}.gold.jsonl", [gold_by_id[d["id"]] for d in part_docs])
        print(f"{part}: {len(part_docs)} items")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
