"""Deterministic dev/test split for this evaluation set.

An item goes to `test` when int(sha256(id), 16) % 2 == 0, else to `dev`.

Usage:
  python split.py DOCS.jsonl GOLD.jsonl   # split full files into this directory
  python split.py                         # re-merge the existing dev/test files here and re-split
Documents carry "id"; gold lines carry "doc_id".
"""
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def to_test(doc_id: str) -> bool:
    return int(hashlib.sha256(doc_id.encode()).hexdigest(), 16) % 2 == 0


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main() -> None:
    if len(sys.argv) == 3:
        docs, gold = read(sys.argv[1]), read(sys.argv[2])
    elif len(sys.argv) == 1:
        docs, gold = [], []
        for part in ("dev", "test"):
            docs += read(os.path.join(HERE, f"{part}.docs.jsonl"))
            gold += read(os.path.join(HERE, f"{part}.gold.jsonl"))
    else:
        sys.exit(__doc__)
    order = {d["id"]: n for n, d in enumerate(docs)}
    if len(order) != len(docs):
        sys.exit("duplicate document ids")
    if sorted(g["doc_id"] for g in gold) != sorted(order):
        sys.exit("documents and gold do not cover the same ids")
    docs.sort(key=lambda d: d["id"])
    gold.sort(key=lambda g: g["doc_id"])
    for part, want in (("dev", False), ("test", True)):
        with open(os.path.join(HERE, f"{part}.docs.jsonl"), "w", encoding="utf-8") as f:
            for d in docs:
                if to_test(d["id"]) == want:
                    f.write(json.dumps(d, ensure_ascii=False) + "\n")
        with open(os.path.join(HERE, f"{part}.gold.jsonl"), "w", encoding="utf-8") as f:
            for g in gold:
                if to_test(g["doc_id"]) == want:
                    f.write(json.dumps(g, ensure_ascii=False) + "\n")
        print(part, sum(1 for d in docs if to_test(d["id"]) == want))


if __name__ == "__main__":
    main()
