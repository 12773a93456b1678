"""Running an evaluation: predictions from a file or from the pipeline, scored per dataset."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

from eventwire.evaluate.articles import ArticlesReport, evaluate_articles
from eventwire.evaluate.conflict import ConflictReport, evaluate_conflict
from eventwire.evaluate.datasets import Dataset
from eventwire.evaluate.ged import GedReport, evaluate_ged
from eventwire.evaluate.plover_gsr import PloverReport, evaluate_plover
from eventwire.evaluate.police import PoliceReport, evaluate_police
from eventwire.evaluate.seed import SeedReport, evaluate_seed
from eventwire.evaluate.snippets import SnippetReport, evaluate_snippets
from eventwire.evaluate.toponyms import ToponymReport, evaluate_toponyms
from eventwire.evaluate.trainsets import (
    DocLabelReport,
    TriggerReport,
    evaluate_doclabel,
    evaluate_trigger,
)
from eventwire.model import Document

Report = (
    PloverReport | GedReport | SeedReport | DocLabelReport | TriggerReport
    | ConflictReport | SnippetReport | PoliceReport | ArticlesReport | ToponymReport
)  # fmt: skip
Predictions = dict[str, list[dict[str, Any]]]


class _Processor(Protocol):
    def process(self, document: Document) -> Any: ...


def dataset_documents(ds: Dataset, on_error: Callable[[str, str], None]) -> Iterator[Document]:
    """The dataset's input documents (only those kept by ``Dataset.limit``)."""
    from eventwire.ingest import IngestError, document_from_text, read_documents

    keep = {d.id for d in ds.docs}
    if ds.kind in ("doclabel", "trigger", "toponyms"):
        yield from (x.document for x in ds.items)
        return
    if ds.kind == "seed":
        info = ds.docs[0]
        text = ds.docs_path.read_text(encoding="utf-8")
        yield document_from_text(text, info.id, info.publication_date)
        return
    for item in read_documents([str(ds.docs_path)]):
        if isinstance(item, IngestError):
            on_error(item.source, item.message)
        elif isinstance(item, Document) and item.id in keep:
            yield item


def predict(
    pipeline: _Processor,
    documents: list[Document],
    on_error: Callable[[str, str], None],
    advance: Callable[[], None] | None = None,
    all_events: bool = False,
) -> Predictions:
    """PLOVER dicts of the events the pipeline outputs by default (``asserted_events`` when the
    result has them; every event with ``all_events``, as ``Dataset.all_events`` asks), grouped by
    document id; a document that fails is reported and left empty."""
    out: Predictions = {}
    for doc in documents:
        try:
            result = pipeline.process(doc)
            events = result.events if all_events else getattr(result, "asserted_events", result.events)
            out[doc.id] = [e.to_plover() for e in events]
        except Exception as exc:  # noqa: BLE001 - one failing document must not stop the evaluation
            on_error(doc.id, f"could not be coded ({type(exc).__name__}: {exc})")
            out[doc.id] = []
        if advance is not None:
            advance()
    return out


def predict_toponyms(
    pipeline: Any,
    documents: list[Document],
    on_error: Callable[[str, str], None],
    advance: Callable[[], None] | None = None,
) -> Predictions:
    """``eventwire geoparse`` records of every place mention, grouped by document id."""
    out: Predictions = {}
    for doc in documents:
        try:
            out[doc.id] = [t.to_dict(doc.id) for t in pipeline.geoparse(doc)]
        except Exception as exc:  # noqa: BLE001 - one failing document must not stop the evaluation
            on_error(doc.id, f"could not be geoparsed ({type(exc).__name__}: {exc})")
            out[doc.id] = []
        if advance is not None:
            advance()
    return out


def evaluate_dataset(ds: Dataset, predictions: Predictions) -> Report:
    """Score predictions (PLOVER dicts by ``doc_id``) against one dataset's gold."""
    if ds.kind == "plover_gsr":
        return evaluate_plover(ds.gold, predictions)
    if ds.kind == "ged":
        return evaluate_ged(ds.gold, predictions, ds.docs)
    if ds.kind == "doclabel":
        return evaluate_doclabel(ds.items, predictions)
    if ds.kind == "trigger":
        return evaluate_trigger(ds.items, predictions)
    if ds.kind == "toponyms":
        return evaluate_toponyms(ds.items, predictions)
    if ds.kind == "conflict_reports":
        return evaluate_conflict(ds.gold, predictions)
    if ds.kind == "event_snippets":
        return evaluate_snippets(ds.gold, predictions)
    if ds.kind == "police_sentences":
        return evaluate_police(ds.gold, predictions)
    if ds.kind == "articles":
        return evaluate_articles(ds.gold, predictions)
    gold = ds.gold[0]
    # the seed article may have been coded under the gold doc id or under its file stem
    events = predictions.get(str(gold.get("doc_id"))) or predictions.get(ds.docs_path.stem, [])
    return evaluate_seed(gold, events)
