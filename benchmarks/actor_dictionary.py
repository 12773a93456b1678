"""Actor dictionary benchmark: the derived tables' cost and reach, against the hand-written and
ISO entries alone (the baseline, measured in the same run).

Reports the dictionary's load time (best of a few cold loads), the time to resolve every noun
chunk of some public-domain news stories (shared/corpus/voa_stories.jsonl), and how many of those
chunks get a country code and a sector with and without the derived tables.

    .venv/bin/python benchmarks/actor_dictionary.py [--stories N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from eventwire import nlp as ew_nlp
from eventwire.coding.actors import ActorResolver, DocActors, load_actor_dictionary

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EVENTWIRE_SHARED", ROOT.parent / "shared"))


def _load_time(derived: bool, tries: int = 3) -> float:
    best = float("inf")
    for _ in range(tries):
        load_actor_dictionary.cache_clear()
        t = time.perf_counter()
        load_actor_dictionary(derived=derived)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--stories", type=int, default=60)
    args = ap.parse_args()
    path = SHARED / "corpus" / "voa_stories.jsonl"
    if not path.exists():
        print(f"{path}: not found (set EVENTWIRE_SHARED)", file=sys.stderr)
        return 2
    stories = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [str(s.get("text") or "") for s in stories[: args.stories]]

    load_actor_dictionary(derived=False)  # import-time costs (pycountry data) out of the timing
    t_hand, t_full = _load_time(False), _load_time(True)
    print(f"load: hand+ISO {t_hand * 1000:.0f} ms, with derived tables {t_full * 1000:.0f} ms (x{t_full / t_hand:.1f})")

    nlp = ew_nlp.load()
    docs = list(nlp.pipe(texts))
    chunks = [c for d in docs for c in d.noun_chunks]
    results = {}
    for label, derived in (("hand+ISO", False), ("with derived", True)):
        res = ActorResolver(load_actor_dictionary(derived=derived))
        t = time.perf_counter()
        got = []
        for d in docs:
            ctx = DocActors.from_doc(d, res)
            got += [res.resolve(c, ctx) for c in d.noun_chunks]
        dt = time.perf_counter() - t
        coded = sum(1 for a in got if a is not None and a.code)
        sectored = sum(1 for a in got if a is not None and a.sector)
        results[label] = dt
        print(
            f"{label:13} {len(chunks)} noun chunks of {len(docs)} stories: {dt * 1e6 / max(1, len(chunks)):.0f} us/chunk, "
            f"with a code {coded / max(1, len(chunks)):.3f}, with a sector {sectored / max(1, len(chunks)):.3f}"
        )
    print(f"resolution time ratio (with derived / hand+ISO): {results['with derived'] / results['hand+ISO']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
