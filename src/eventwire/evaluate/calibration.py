"""Training the confidence model, and checking its calibration on held-out events.

Labelled events come from sets whose gold says whether an output event is right:

- RAMS passages (training side of the fixed split): an event at the annotated trigger is right when
  its type is the annotation's PLOVER type (``trainsets``), wrong otherwise;
- the labelled sets written for eventwire (``tests/data/gold``, DEV halves only): PLOVER sentences
  (right when the sentence's gold has an event of that type), articles (right when it matches a
  gold event by the seed's rule), conflict reports and event snippets (an ACLED-typed event is
  right when its ACLED type is the gold's).

``fit`` trains an L2-regularised logistic regression (scikit-learn, fixed seed, strength chosen by
cross-validation) over ``eventwire.coding.confidence.features``; ``reliability`` bins held-out
events by confidence and compares each bin's mean confidence with the share that is right.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypedDict, cast

from eventwire.evaluate.datasets import Dataset, find_datasets
from eventwire.evaluate.gold import gold_events
from eventwire.evaluate.runner import CodingResult, Processor, output_events
from eventwire.evaluate.seed import matches
from eventwire.evaluate.trainsets import TriggerDoc
from eventwire.model import Document

log = logging.getLogger(__name__)

Example = tuple[dict[str, float], int]
SEED = 0


@dataclass(slots=True)
class Labelled:
    name: str
    examples: list[Example]


def label_dataset(ds: Dataset, results: Mapping[str, CodingResult]) -> list[Example]:
    """(features, right) for every output event the dataset's gold can judge."""
    out: list[Example] = []
    if ds.kind == "trigger":
        for item in ds.items:
            if not isinstance(item, TriggerDoc) or item.event in (None, "?", "-"):
                continue
            out.extend(
                (ev.features, int(ev.event[0] == item.event))
                for ev in output_events(results[item.document.id])
                if any(t.start < item.trigger.end and item.trigger.start < t.end for t in ev.triggers)
            )
        return out
    # the gold record of each document, read by key (its format is the one ``ds.kind`` names)
    gold = {str(g.get("doc_id")): cast("dict[str, object]", g) for g in ds.gold}
    for doc_id, result in results.items():
        g = gold.get(doc_id)
        if g is None:
            continue
        for ev in output_events(result):
            if not ev.features:
                continue
            right: int | None = None
            if ds.kind == "plover_gsr":
                right = int(ev.event[0] in {e.get("event") for e in gold_events(g.get("events"))})
            elif ds.kind == "articles":
                right = int(any(matches(e, ev, place_by_name=True) for e in gold_events(g.get("events"))))
            elif ds.kind == "conflict_reports" and ev.acled_event_type:
                right = int(ev.acled_event_type == g.get("event_type"))
            elif ds.kind == "event_snippets" and ev.acled_sub_event_type:
                right = int(ev.acled_sub_event_type == g.get("label"))
            if right is not None:
                out.append((ev.features, right))
    return out


def labelled_sets(
    pipeline: Processor,
    train: Path,
    gold: Path,
    split: Literal["dev", "test"],
    documents: Callable[[Dataset], list[Document]],
    progress: Callable[[str, int], Callable[[], None]] | None = None,
) -> Iterator[Labelled]:
    """Run the pipeline over the labelled sets of one side (``dev`` halves with the RAMS training
    side for training, ``test`` halves with the RAMS test side to check calibration)."""
    sets: list[Dataset] = []
    if (train / "rams").is_dir():
        sets += find_datasets(train / "rams", "train" if split == "dev" else "test")
    for name in ("plover_sentences", "articles", "conflict_reports", "event_snippets"):
        if (gold / name).is_dir():
            sets += find_datasets(gold / name, split)
    for ds in sets:
        docs = documents(ds)
        tick = progress(ds.name, len(docs)) if progress else (lambda: None)
        results: dict[str, CodingResult] = {}
        for doc in docs:
            try:
                results[doc.id] = pipeline.process(doc)
            except Exception as exc:  # noqa: BLE001 - one bad document must not stop training
                log.warning("%s: %s: %s", ds.name, doc.id, exc)
            tick()
        yield Labelled(ds.name, label_dataset(ds, results))


def fit(examples: list[Example], seed: int = SEED) -> tuple[dict[str, float], float]:
    """Logistic-regression weights over the features, and the chosen regularisation strength."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    X_dicts = [f for f, _ in examples]
    y = [y for _, y in examples]
    vec = DictVectorizer(sparse=True)
    X = vec.fit_transform(X_dicts)
    grid = GridSearchCV(
        LogisticRegression(max_iter=2000, fit_intercept=False, random_state=seed),
        {"C": [0.03, 0.1, 0.3, 1.0, 3.0]},
        scoring="neg_log_loss",
        cv=StratifiedKFold(5, shuffle=True, random_state=seed),
    )
    grid.fit(X, y)
    model = grid.best_estimator_
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 5) for n, w in zip(names, model.coef_[0], strict=True) if abs(w) > 1e-6}
    return weights, float(grid.best_params_["C"])


class CalibrationBin(TypedDict):
    bin: str  # "0.6-0.8"
    events: int
    mean_confidence: float
    share_right: float


class Reliability(TypedDict):
    """A calibration table (``reliability``)."""

    events: int
    ece: float  # expected calibration error
    bins: list[CalibrationBin]


def reliability(scored: Iterable[tuple[float, int]], bins: int = 5) -> Reliability:
    """Calibration table: per confidence bin, mean confidence and share right; and the expected
    calibration error (bin-size-weighted gap)."""
    rows: list[list[float]] = [[0.0, 0.0, 0.0] for _ in range(bins)]  # n, sum conf, sum right
    total = 0
    for conf, right in scored:
        k = min(bins - 1, int(conf * bins))
        rows[k][0] += 1
        rows[k][1] += conf
        rows[k][2] += right
        total += 1
    table: list[CalibrationBin] = []
    ece = 0.0
    for k, (n, sc, sr) in enumerate(rows):
        if not n:
            continue
        mean_conf, share = sc / n, sr / n
        ece += n / total * abs(mean_conf - share)
        table.append({"bin": f"{k / bins:.1f}-{(k + 1) / bins:.1f}", "events": int(n),
                      "mean_confidence": round(mean_conf, 3), "share_right": round(share, 3)})
    return {"events": total, "ece": round(ece, 4), "bins": table}


def write_weights(path: Path, weights: dict[str, float], meta: Mapping[str, object]) -> None:
    data = {**meta, "weights": dict(sorted(weights.items()))}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
