#!/usr/bin/env python3
"""Build the truecasing table (``src/eventwire/nlp/data/truecase.tsv``) from cased training text.

For each word, the casing it is written with in running text (never the first word of a sentence or
a line, where the case says nothing): words written capitalised or in capitals most of the time
("iraq" -> "Iraq", "un" -> "UN", "al-shabaab" -> "Al-Shabaab") are listed with that casing.  The
text is the training side of ../shared/train (synthetic stories, RAMS passages, ECB+) and the
public-domain VOA stories; only words and counts are kept, never text.

Usage: ``python scripts/build_truecase.py [--train ../shared/train] [--corpus ../shared/corpus]``
(deterministic output).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "eventwire" / "nlp" / "data" / "truecase.tsv.gz"
WORD = re.compile(r"[^\W\d_][\w'’.-]*[^\W_]|[^\W\d_]")
MIN_COUNT = 2
MIN_SHARE = 0.85
MIN_PLACE_POPULATION = 20000


def texts(train: Path, corpus: Path) -> list[str]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _corpus

    from eventwire.evaluate import trainsets

    out = [x.document.text for x in trainsets.read_synthetic(train / "ngec_synthetic", "train")]
    out += [x.document.text for x in trainsets.read_rams(train / "rams", "train")]
    out += _corpus.ecb_texts(train)
    voa = corpus / "voa_stories.jsonl"
    if voa.is_file():
        out += [json.loads(line)["text"] for line in voa.open(encoding="utf-8") if line.strip()]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", type=Path, default=ROOT.parent / "shared" / "train")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = ap.parse_args(argv)
    from spacy.lang.en.stop_words import STOP_WORDS

    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts(args.train, args.corpus):
        for line in text.splitlines():
            for sent in re.split(r"(?<=[.!?:;\"”])\s+", line):
                words = WORD.findall(sent)
                for w in words[1:]:  # the first word's case says nothing
                    forms[w.lower()][w] += 1
    table: dict[str, tuple[str, int]] = {}
    for low, c in sorted(forms.items()):
        total = sum(c.values())
        best, n = max(sorted(c.items()), key=lambda kv: kv[1])
        if best == low or total < MIN_COUNT or n < MIN_SHARE * total or len(low) < 2 or low in STOP_WORDS:
            continue
        table[low] = (best, total)
    # places of the gazetteer (towns of 20,000 and more, admin units, countries) whose words the
    # training text never writes in lower case: "kisumu" -> "Kisumu", "gedo" -> "Gedo"
    from eventwire.geo import load_gazetteer

    gaz = load_gazetteer()
    for i in range(len(gaz)):
        row = gaz.row(i)
        name, fcode, pop = row[0], row[5] or "", row[6] or 0
        if not (pop >= MIN_PLACE_POPULATION or fcode.startswith(("ADM1", "ADM2", "PCL"))):
            continue
        for w in WORD.findall(name):
            low = w.lower()
            if low in table or low in STOP_WORDS or len(low) < 3 or not w[:1].isupper() or forms.get(low, Counter())[low]:
                continue
            table[low] = (w, 0)
    rows = [f"{low}\t{cased}\t{n}" for low, (cased, n) in sorted(table.items())]
    header = [
        "# eventwire truecasing table, made by scripts/build_truecase.py; do not edit by hand.",
        "# How each word is written in running text of the training side of ../shared/train (NGEC synthetic",
        "# stories, MIT; RAMS passages, CC BY-SA 4.0; ECB+, CC BY 3.0) and the VOA stories (public domain), and",
        "# the words of the gazetteer's larger places (GeoNames, CC BY 4.0) never written in lower case there.",
        "# Only words and counts are kept.  Licence of this table: CC BY-SA 4.0.",
        "# lower\tcased\tcount",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    import gzip

    with OUT.open("wb") as raw, gzip.GzipFile(filename="truecase.tsv", mode="wb", fileobj=raw, mtime=0) as fh:
        fh.write(("\n".join(header + rows) + "\n").encode("utf-8"))
    print(f"build_truecase: {len(rows)} words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
