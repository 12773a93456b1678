#!/usr/bin/env python3
"""Score the coder quickly during development: parse each evaluation set once, cache the parses,
then run only the stages after parsing on every call.

    .venv/bin/python scripts/devscore.py synthetic:train rams:train seed
    .venv/bin/python scripts/devscore.py gold                      # every labelled set, dev halves
    .venv/bin/python scripts/devscore.py conflict_reports police_sentences:dev
    .venv/bin/python scripts/devscore.py ../shared/data/plover_gsr.gold.jsonl --json out.json

A set is one of

- ``synthetic:SPLIT``, ``rams:SPLIT``: the training material's fixed split (``train`` by default);
- ``seed``: the seed article;
- ``gold:SPLIT``: every labelled set in ``tests/data/gold`` (``dev`` by default; ``test`` only to
  report, never to develop on);
- a labelled set by name, ``NAME:SPLIT``: ``conflict_reports`` (ACLED type, sub-type, deaths, date
  and place of short conflict reports), ``event_snippets`` (30 fine-grained classes),
  ``police_sentences`` (police kill/arrest/force/fail; scored on all events, negated ones too),
  ``articles`` (required events of full articles), ``plover_sentences`` (PLOVER fields), each in
  ``tests/data/gold/NAME/`` (``dev`` by default);
- any path ``eventwire evaluate`` accepts, optionally ``PATH:SPLIT``.

The cache (``.eventwire/parses/``) is keyed by the spaCy model, the nlp stage's source and each
text, so it never serves a stale parse.  Figures for closing notes come from ``eventwire
evaluate``; this tool is for the development loop only.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import sys
import time
from pathlib import Path

from spacy.tokens import DocBin

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CACHE = ROOT / ".eventwire" / "parses"


GOLD = ROOT / "tests" / "data" / "gold"
SPLITS = ("train", "dev", "test", "all")


def _sets(names: list[str]):
    from eventwire.evaluate import find_datasets

    out = []
    for name in names:
        kind, sep, split = name.rpartition(":")
        if not sep or split not in SPLITS:
            kind, split = name, ""
        if kind == "synthetic":
            out += find_datasets(SHARED / "train" / "ngec_synthetic", split or "train")
        elif kind == "rams":
            out += find_datasets(SHARED / "train" / "rams", split or "train")
        elif kind == "seed":
            out += find_datasets(SHARED / "seed" / "gold.json")
        elif kind == "gold":
            out += find_datasets(GOLD, split or None)
        elif not Path(kind).exists() and (GOLD / kind).is_dir():
            out += find_datasets(GOLD / kind, split or None)
        else:
            out += find_datasets(kind, split or None)
    return out


def _parses(nlp, model_key: str, docs) -> list:
    CACHE.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256((model_key + "\0" + "\0".join(d.text for d in docs)).encode()).hexdigest()[:20]
    path = CACHE / f"{key}.spacy"
    if path.is_file():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    parsed = list(nlp.pipe([d.text for d in docs], batch_size=32))
    DocBin(store_user_data=True, docs=parsed).to_disk(path)
    return parsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("sets", nargs="+")
    ap.add_argument("--json", type=Path, help="write the full reports here")
    ap.add_argument("--events", type=Path, help="write the predicted events (PLOVER JSONL) here")
    ap.add_argument("--limit", type=int)
    args = ap.parse_args(argv)

    from eventwire import nlp as nlp_stage
    from eventwire.evaluate import dataset_documents, evaluate_dataset
    from eventwire.pipeline import Pipeline

    t0 = time.perf_counter()
    pipe = Pipeline()
    model_key = pipe.model_name + hashlib.sha256(inspect.getsource(nlp_stage).encode()).hexdigest()
    reports = {}
    out_events = []
    for ds in _sets(args.sets):
        if isinstance(ds, Path):  # documents only: code them, no scoring
            from eventwire.ingest import read_documents

            docs = [d for d in read_documents([str(ds)]) if hasattr(d, "text")]
            parsed = _parses(pipe.nlp, model_key, docs)
            for doc, sdoc in zip(docs, parsed, strict=True):
                out_events += [e.to_plover() for e in pipe._process_parsed(doc, sdoc).asserted_events]
            print(f"== {ds}: {len(docs)} docs coded (no gold scored)")
            continue
        ds = ds.limit(args.limit)
        docs = list(dataset_documents(ds, lambda s, m: print(f"{s}: {m}", file=sys.stderr)))
        parsed = _parses(pipe.nlp, model_key, docs)
        t1 = time.perf_counter()
        preds: dict[str, list] = {}  # typed records: Event, or Toponym for geoparsing gold
        for doc, sdoc in zip(docs, parsed, strict=True):
            if ds.kind == "toponyms":  # geoparsing gold: every place mention, no events
                preds[doc.id] = list(pipe.geoparser.geoparse(doc, sdoc))
                continue
            result = pipe._process_parsed(doc, sdoc)
            events = result.events if ds.all_events else result.asserted_events
            preds[doc.id] = list(events)
            out_events += [e.to_plover() for e in events]
        t2 = time.perf_counter()
        rep = evaluate_dataset(ds, preds).to_dict()
        reports[ds.name] = rep
        print(f"== {ds.name}: {len(docs)} docs, coding {t2 - t1:.1f}s")
        print("   " + _headline(rep))
    if args.json:
        args.json.write_text(json.dumps(reports, indent=1))
    if args.events:
        args.events.write_text("".join(json.dumps(e) + "\n" for e in out_events))
    print(f"total {time.perf_counter() - t0:.1f}s")
    return 0


def _headline(rep: dict) -> str:
    keys = (
        "macro_f1", "event_type_macro_f1", "precision", "accuracy", "any_event_of_label", "no_event", "mode_accuracy", "trigger_found",
        "type_right_when_found", "type_recall", "unmapped_passages_coded_at_trigger",
        "required_found", "outputs_matching", "outputs", "acled_type_accuracy", "with_acled_event",
        "dead_exact", "date_exact", "micro_f1", "label_macro_f1", "weighted_f1",
        "sub_type_accuracy", "exact_set_accuracy", "required_recall", "acceptable_found",
        "within_161km", "recall", "median_km",
    )
    parts = []
    for k in keys:
        if k not in rep:
            continue
        v = rep[k]
        if isinstance(v, dict) and "rate" in v:
            v = v["rate"]
        parts.append(f"{k}={v}")
    for style, scores in (rep.get("by_style") or {}).items():
        parts.append(
            f"[{style}] acled_type_accuracy={scores['acled_type_accuracy']['rate']} "
            f"with_acled_event={scores['with_acled_event']['rate']} dead_exact={scores['dead_exact']['rate']}"
            + (f" country={scores['country']['rate']} place_named={scores['place_named']['rate']}"
               f" within_161km={scores['within_161km']['rate']}" if "within_161km" in scores else "")
        )
    if "fields" in rep:
        ev = rep["fields"].get("event", {})
        parts.append(f"event_f1={ev.get('f1')}")
    return " ".join(parts)


if __name__ == "__main__":
    raise SystemExit(main())
