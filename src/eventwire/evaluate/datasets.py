"""Finding and reading evaluation sets: ``NAME.docs.jsonl`` + ``NAME.gold.jsonl`` pairs, the seed
``gold.json`` (its article beside it), folders of labelled sets split in halves
(``NAME/dev.docs.jsonl`` + ``NAME/dev.gold.jsonl`` and the same for ``test``), the training
material, and PLOVER JSONL prediction files.

The kind of a gold set is read from its records, not its name:

- records with ``events`` are PLOVER gold (``plover_gsr``), unless their events have ``key`` or
  ``required`` (full articles coded like the seed: ``articles``);
- records with ``date_start`` and coordinates are GED-style (``ged``);
- records with ``event_type``, ``sub_event_type`` and ``fatalities`` are ACLED-style conflict
  reports (``conflict_reports``);
- records with a ``label`` string are fine-grained event classes (``event_snippets``);
- records with a ``labels`` list are police actions (``police_sentences``);
- a single JSON object with keyed, ``required`` events is the seed coding (``seed``).

Split folders are scored on their ``dev`` half unless ``split`` says ``test`` (or ``all``); the
training material (``trainsets``) on its ``test`` side unless ``split`` says ``train`` (or ``all``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, TypeAlias, cast

from eventwire.evaluate import toponyms, trainsets
from eventwire.evaluate.gold import GoldRecord, SeedGold
from eventwire.evaluate.toponyms import ToponymDoc
from eventwire.evaluate.trainsets import LabelledDoc, Split, TriggerDoc
from eventwire.helpers import parse_date
from eventwire.model import Mention, Place, Record, Toponym, record_from_plover

Kind = Literal[
    "plover_gsr", "ged", "seed", "doclabel", "trigger",
    "conflict_reports", "event_snippets", "police_sentences", "articles", "toponyms",
]  # fmt: skip
SplitArg = Literal["train", "dev", "test", "all"]
GOLD_HALVES = ("dev", "test")
# kinds scored on every output event, negated ones included (the evaluator reads them itself)
ALL_EVENT_KINDS = frozenset({"police_sentences"})
DOCS_SUFFIX = ".docs.jsonl"
GOLD_SUFFIX = ".gold.jsonl"
SEED_ARTICLE = "article.txt"

JSONObject: TypeAlias = dict[str, object]
GoldItem: TypeAlias = LabelledDoc | TriggerDoc | ToponymDoc
"""A document of the training material or the toponym gold, its text and gold labels together."""
Prediction: TypeAlias = Record | Toponym
"""One predicted record: a coded event (or a stored or merged one) or a place mention."""


class DatasetError(ValueError):
    """A dataset, gold or prediction path that cannot be used; the message names it."""


@dataclass(slots=True)
class DocInfo:
    """What the evaluators need to know about an input document."""

    id: str
    publication_date: date | None = None


@dataclass(slots=True)
class Dataset:
    """One gold set: its gold records (one per document, keyed by ``doc_id``) and documents."""

    name: str
    kind: Kind
    gold_path: Path
    docs_path: Path  # NAME.docs.jsonl, or the seed's article.txt
    # one gold record per document, of the format ``kind`` names (``gold``'s TypedDicts)
    gold: list[GoldRecord] = field(default_factory=list)
    docs: list[DocInfo] = field(default_factory=list)
    # training-material and toponym sets (``trainsets``, ``toponyms``): labelled documents, text included
    items: list[GoldItem] = field(default_factory=list)

    @property
    def all_events(self) -> bool:
        """Whether this set is scored on all output events (negated, hypothetical and historical
        ones too), not only the asserted ones the pipeline outputs by default."""
        return self.kind in ALL_EVENT_KINDS

    def limit(self, n: int | None) -> Dataset:
        """The first ``n`` documents (in the docs file's order) and their gold."""
        if n is None:
            return self
        docs = self.docs[: max(n, 0)]
        keep = {d.id for d in docs}
        gold = [g for g in self.gold if g.get("doc_id") in keep]
        items = [x for x in self.items if x.document.id in keep]
        return Dataset(self.name, self.kind, self.gold_path, self.docs_path, gold, docs, items)


def _iso(value: object) -> date | None:
    return parse_date(value) if isinstance(value, str) else None


def _read_jsonl(path: Path) -> list[tuple[int, JSONObject]]:
    """(line number, object) for every non-blank line."""
    records: list[tuple[int, JSONObject]] = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path}: cannot read ({exc})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}:{n}: invalid JSON ({exc.msg})") from None
        if not isinstance(rec, dict):
            raise DatasetError(f"{path}:{n}: expected a JSON object")
        records.append((n, rec))
    return records


def _is_articles(records: list[JSONObject]) -> bool:
    return any(
        isinstance(ev, dict) and ("required" in ev or "key" in ev)
        for rec in records
        if isinstance(events := rec.get("events"), list)
        for ev in events
    )


def _kind_of(records: list[JSONObject], path: Path) -> Kind:
    for rec in records:
        if "doc_id" not in rec:
            raise DatasetError(f"{path}: gold record without 'doc_id'")
    for rec in records:
        if isinstance(rec.get("events"), list):
            return "articles" if _is_articles(records) else "plover_gsr"
        if "date_start" in rec and "latitude" in rec and "longitude" in rec:
            return "ged"
        if "event_type" in rec and "sub_event_type" in rec and "fatalities" in rec:
            return "conflict_reports"
        if isinstance(rec.get("label"), str):
            return "event_snippets"
        if isinstance(rec.get("labels"), list):
            return "police_sentences"
        raise DatasetError(
            f"{path}: unknown gold format (none of 'events', 'date_start'/'latitude', "
            "'event_type'/'sub_event_type'/'fatalities', 'label', 'labels')"
        )
    raise DatasetError(f"{path}: empty gold file")


def _pair(gold_path: Path, name: str | None = None) -> Dataset:
    if name is None:
        name = gold_path.name[: -len(GOLD_SUFFIX)]
        if name in GOLD_HALVES and gold_path.parent.name:
            name = f"{gold_path.parent.name}[{name}]"
    docs_path = gold_path.with_name(gold_path.name[: -len(GOLD_SUFFIX)] + DOCS_SUFFIX)
    if not docs_path.is_file():
        raise DatasetError(f"{gold_path}: no documents file {docs_path.name} beside it")
    records = [rec for _, rec in _read_jsonl(gold_path)]
    kind = _kind_of(records, gold_path)
    gold = cast(list[GoldRecord], records)  # every record has doc_id; the kind names the format
    docs = []
    for n, rec in _read_jsonl(docs_path):
        if not isinstance(rec.get("id"), str | int):
            raise DatasetError(f"{docs_path}:{n}: document without 'id'")
        docs.append(DocInfo(str(rec["id"]), _iso(rec.get("publication_date"))))
    return Dataset(name, kind, gold_path, docs_path, gold, docs)


def is_split_dir(p: Path) -> bool:
    """A folder holding one labelled set in halves: ``dev.gold.jsonl`` and/or ``test.gold.jsonl``."""
    return p.is_dir() and any((p / f"{half}{GOLD_SUFFIX}").is_file() for half in GOLD_HALVES)


def _halves(split: SplitArg | None, path: Path) -> tuple[str, ...]:
    if split is None:
        return ("dev",)
    if split == "train":
        raise DatasetError(f"{path}: --split train: labelled sets have dev and test halves only")
    return GOLD_HALVES if split == "all" else (split,)


def _split_sets(p: Path, split: SplitArg | None, required: bool) -> list[Dataset]:
    """The chosen halves of a split folder; a missing half is an error when the folder was named
    itself (``required``), and skipped when found while scanning a folder of sets."""
    out = []
    for half in _halves(split, p):
        gold = p / f"{half}{GOLD_SUFFIX}"
        if gold.is_file():
            out.append(_pair(gold, f"{p.name}[{half}]"))
        elif required:
            raise DatasetError(f"{p}: no {half} half ({gold.name})")
    return out


def _train_split(split: SplitArg | None, path: Path) -> Split:
    if split is None:
        return "test"
    if split == "dev":
        raise DatasetError(f"{path}: --split dev: the training material has train and test sides")
    return split


def _seed(gold_path: Path) -> Dataset:
    try:
        rec = json.loads(gold_path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatasetError(f"{gold_path}: cannot read gold ({exc})") from None
    if not isinstance(rec, dict) or not isinstance(rec.get("events"), list) or "doc_id" not in rec:
        raise DatasetError(f"{gold_path}: not a seed gold file (needs 'doc_id' and 'events')")
    article = gold_path.with_name(SEED_ARTICLE)
    if not article.is_file():
        raise DatasetError(f"{gold_path}: no {SEED_ARTICLE} beside it")
    doc = DocInfo(str(rec["doc_id"]), _iso(rec.get("publication_date")))
    name = gold_path.parent.name or "seed"
    return Dataset(name, "seed", gold_path, article, [cast(SeedGold, rec)], [doc])


def _trainset(p: Path, split: SplitArg | None) -> Dataset | None:
    """The training material's synthetic stories or RAMS passages, one side of the fixed split."""
    if trainsets.is_synthetic_dir(p):
        side = _train_split(split, p)
        items: list[GoldItem] = list(trainsets.read_synthetic(p, side))
        kind: Kind = "doclabel"
        name = f"synthetic[{side}]"
    elif trainsets.is_rams_dir(p):
        side = _train_split(split, p)
        items = list(trainsets.read_rams(p, side))
        kind, name = "trigger", f"rams[{side}]"
    elif (xml := toponyms.toponym_file(p)) is not None:
        try:
            items = list(toponyms.read_geovirus(xml))
        except ValueError as exc:
            raise DatasetError(str(exc)) from None
        kind, name = "toponyms", xml.stem.lower()
    else:
        return None
    docs = [DocInfo(x.document.id, x.document.publication_date) for x in items]
    return Dataset(name, kind, p, p, [], docs, items)


def find_datasets(path: str | Path, split: SplitArg | None = None) -> list[Dataset]:
    """The gold sets a ``DATASET`` argument names: a docs or gold file, a seed ``gold.json``, a
    split folder (``dev``/``test`` halves), a directory holding any of these, or a
    training-material folder (``ngec_synthetic``, ``rams``, or ``train`` holding both).

    ``split`` picks the halves: split folders are scored on ``dev`` by default (``test`` or
    ``all`` on request), the training material on ``test`` (``train`` or ``all``).  Raises
    ``DatasetError`` naming the path."""
    p = Path(path)
    if not p.exists():
        raise DatasetError(f"{path}: no such file or directory")
    train = _trainset(p, split)
    if train is not None:
        return [train]
    if is_split_dir(p):
        return _split_sets(p, split, required=True)
    if p.is_dir():
        found = [_pair(g) for g in sorted(p.glob("*" + GOLD_SUFFIX))]
        if (p / "gold.json").is_file():
            found.append(_seed(p / "gold.json"))
        subdirs = sorted(sub for sub in p.iterdir() if sub.is_dir())
        found += [ds for sub in subdirs if is_split_dir(sub) for ds in _split_sets(sub, split, False)]
        if not found:
            found = [ds for sub in subdirs if (ds := _trainset(sub, split)) is not None]
        if not found:
            if any(is_split_dir(sub) for sub in subdirs):
                raise DatasetError(f"{path}: no set here has the {'/'.join(_halves(split, p))} half")
            raise DatasetError(
                f"{path}: no NAME{GOLD_SUFFIX}, gold.json, dev/test set folder or training material "
                "in this directory"
            )
        return found
    if p.name.endswith(GOLD_SUFFIX):
        return [_pair(p)]
    if p.name.endswith(DOCS_SUFFIX):
        gold = p.with_name(p.name[: -len(DOCS_SUFFIX)] + GOLD_SUFFIX)
        if not gold.is_file():
            raise DatasetError(f"{path}: no gold file {gold.name} beside it")
        return [_pair(gold)]
    if p.suffix == ".json":
        return [_seed(p)]
    raise DatasetError(f"{path}: not a dataset (expected NAME{DOCS_SUFFIX}, NAME{GOLD_SUFFIX}, gold.json or a directory)")


def _toponym(rec: JSONObject) -> Toponym:
    """A place mention of an ``eventwire geoparse`` record (``Toponym.to_dict``'s shape)."""
    start, end = rec.get("start"), rec.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        raise ValueError("start and end must be whole numbers")
    lat, lon, name = rec.get("lat"), rec.get("lon"), rec.get("resolved_place")
    place = None
    if name is not None or lat is not None or lon is not None:
        place = Place(
            name=str(name or ""), lat=None if lat is None else float(str(lat)),
            lon=None if lon is None else float(str(lon)), country_code=_opt_str(rec.get("country_code")),
            geonameid=_opt_int(rec.get("geonameid")), feature_class=_opt_str(rec.get("feature_class")),
            feature_code=_opt_str(rec.get("feature_code")), province=_opt_str(rec.get("province")),
        )  # fmt: skip
    return Toponym(Mention(str(rec.get("text") or ""), start, end), place, resolution=_opt_int(rec.get("resolution")))


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


def _opt_int(value: object) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")
    return value


def _event_record(rec: JSONObject) -> Record:
    """The typed record of a PLOVER line, taking the shapes the evaluators have always read: a
    single ``event`` type as a string, and counts (``dead``...) at the top level."""
    shaped = dict(rec)
    if isinstance(shaped.get("event"), str):
        shaped["event"] = [shaped["event"]]
    if not isinstance(shaped.get("size"), dict):
        shaped["size"] = {k: shaped[k] for k in ("dead", "injured", "arrested") if k in shaped}
    return record_from_plover(shaped)


def prediction_from_plover(rec: JSONObject) -> Prediction:
    """One predicted record from its JSON: an ``eventwire geoparse`` place mention (``start`` and
    ``lat``), else a PLOVER event (stored and merged ones too: ``record_from_plover``).  Raises
    ``ValueError`` naming the problem."""
    try:
        if isinstance(rec.get("start"), int) and "lat" in rec:
            return _toponym(rec)
        return _event_record(rec)
    except (TypeError, AttributeError, KeyError, IndexError) as exc:  # a value of the wrong shape
        what = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValueError(f"malformed record ({what})") from None


def read_predictions(path: str | Path) -> dict[str, list[Prediction]]:
    """The typed records of a PLOVER JSONL file (or of ``eventwire geoparse`` output) grouped by
    ``doc_id`` (file order kept).  A line that is not such a record raises ``DatasetError``
    naming the file and line."""
    p = Path(path)
    if not p.is_file():
        raise DatasetError(f"{path}: no such predictions file")
    out: dict[str, list[Prediction]] = defaultdict(list)
    for n, rec in _read_jsonl(p):
        toponym = isinstance(rec.get("start"), int) and "lat" in rec  # an ``eventwire geoparse`` record
        if "doc_id" not in rec or not (isinstance(rec.get("event"), list | str) or toponym):
            raise DatasetError(f"{path}:{n}: not a PLOVER event or a geoparse record (needs 'doc_id' and 'event', or 'start' and 'lat')")
        try:
            record = prediction_from_plover(rec)
        except ValueError as exc:
            raise DatasetError(f"{path}:{n}: {exc}") from None
        out[str(rec["doc_id"])].append(record)
    return dict(out)
