"""Running an evaluation: predictions from a file or from the pipeline, scored per dataset."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Protocol, cast

from eventwire.evaluate.articles import ArticlesReport, evaluate_articles
from eventwire.evaluate.conflict import ConflictReport, evaluate_conflict
from eventwire.evaluate.datasets import Dataset, Prediction
from eventwire.evaluate.ged import GedReport, evaluate_ged
from eventwire.evaluate.gold import (
    ConflictGold,
    GedGold,
    PloverGold,
    PoliceGold,
    SeedGold,
    SnippetGold,
)
from eventwire.evaluate.plover_gsr import PloverReport, evaluate_plover
from eventwire.evaluate.police import PoliceReport, evaluate_police
from eventwire.evaluate.seed import SeedReport, evaluate_seed
from eventwire.evaluate.snippets import SnippetReport, evaluate_snippets
from eventwire.evaluate.toponyms import ToponymDoc, ToponymReport, evaluate_toponyms
from eventwire.evaluate.trainsets import (
    DocLabelReport,
    LabelledDoc,
    TriggerDoc,
    TriggerReport,
    evaluate_doclabel,
    evaluate_trigger,
)
from eventwire.model import Document, Event, Toponym, event_of

Report = (
    PloverReport | GedReport | SeedReport | DocLabelReport | TriggerReport
    | ConflictReport | SnippetReport | PoliceReport | ArticlesReport | ToponymReport
)  # fmt: skip
Predictions = Mapping[str, Sequence[Prediction]]
"""Predicted records by document id: ``read_predictions``' or ``predict``'s."""


class CodingResult(Protocol):
    """What a pipeline gives for one document: its events (``asserted_events``, where the result
    has them, are the ones it outputs by default)."""

    @property
    def events(self) -> Sequence[Event]: ...


class Processor(Protocol):
    """A pipeline that codes one document at a time (``eventwire.pipeline.Pipeline``)."""

    def process(self, document: Document) -> CodingResult: ...


def output_events(result: CodingResult, all_events: bool = False) -> list[Event]:
    """The events a result outputs by default (``asserted_events`` when it has them), or all."""
    events: Sequence[Event] = result.events if all_events else getattr(result, "asserted_events", result.events)
    return list(events)


class _Geoparser(Protocol):
    def geoparse(self, document: Document) -> Sequence[Toponym]: ...


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
    pipeline: Processor,
    documents: list[Document],
    on_error: Callable[[str, str], None],
    advance: Callable[[], None] | None = None,
    all_events: bool = False,
) -> dict[str, list[Event]]:
    """The events the pipeline outputs by default (``asserted_events`` when the result has them;
    every event with ``all_events``, as ``Dataset.all_events`` asks), grouped by document id; a
    document that fails is reported and left empty."""
    out: dict[str, list[Event]] = {}
    for doc in documents:
        try:
            out[doc.id] = output_events(pipeline.process(doc), all_events)
        except Exception as exc:  # noqa: BLE001 - one failing document must not stop the evaluation
            on_error(doc.id, f"could not be coded ({type(exc).__name__}: {exc})")
            out[doc.id] = []
        if advance is not None:
            advance()
    return out


def predict_toponyms(
    pipeline: _Geoparser,
    documents: list[Document],
    on_error: Callable[[str, str], None],
    advance: Callable[[], None] | None = None,
) -> dict[str, list[Toponym]]:
    """Every place mention the pipeline's geoparser finds, grouped by document id."""
    out: dict[str, list[Toponym]] = {}
    for doc in documents:
        try:
            out[doc.id] = list(pipeline.geoparse(doc))
        except Exception as exc:  # noqa: BLE001 - one failing document must not stop the evaluation
            on_error(doc.id, f"could not be geoparsed ({type(exc).__name__}: {exc})")
            out[doc.id] = []
        if advance is not None:
            advance()
    return out


def events_of(predictions: Predictions) -> dict[str, list[Event]]:
    """The coded events of the predicted records (a stored or merged record's event), by document."""
    return {k: [event_of(r) for r in v if not isinstance(r, Toponym)] for k, v in predictions.items()}


def toponyms_of(predictions: Predictions) -> dict[str, list[Toponym]]:
    """The place mentions of the predicted records, by document."""
    return {k: [r for r in v if isinstance(r, Toponym)] for k, v in predictions.items()}


def evaluate_dataset(ds: Dataset, predictions: Predictions) -> Report:
    """Score predicted records (``read_predictions``, ``predict``) against one dataset's gold;
    the dataset's kind says which evaluator, and which format its gold records have."""
    if ds.kind == "toponyms":
        return evaluate_toponyms([x for x in ds.items if isinstance(x, ToponymDoc)], toponyms_of(predictions))
    events = events_of(predictions)
    if ds.kind == "plover_gsr":
        return evaluate_plover(cast(list[PloverGold], ds.gold), events)
    if ds.kind == "ged":
        return evaluate_ged(cast(list[GedGold], ds.gold), events, ds.docs)
    if ds.kind == "doclabel":
        return evaluate_doclabel([x for x in ds.items if isinstance(x, LabelledDoc)], events)
    if ds.kind == "trigger":
        return evaluate_trigger([x for x in ds.items if isinstance(x, TriggerDoc)], events)
    if ds.kind == "conflict_reports":
        return evaluate_conflict(cast(list[ConflictGold], ds.gold), events)
    if ds.kind == "event_snippets":
        return evaluate_snippets(cast(list[SnippetGold], ds.gold), events)
    if ds.kind == "police_sentences":
        return evaluate_police(cast(list[PoliceGold], ds.gold), events)
    if ds.kind == "articles":
        return evaluate_articles(cast(list[SeedGold], ds.gold), events)
    gold = cast(SeedGold, ds.gold[0])
    # the seed article may have been coded under the gold doc id or under its file stem
    found = events.get(str(gold.get("doc_id"))) or events.get(ds.docs_path.stem, [])
    return evaluate_seed(gold, found)
