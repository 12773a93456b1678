"""The pipeline: documents in, coded events out.

``Pipeline`` loads the spaCy model, the gazetteer and the dictionaries once and runs every stage
on each document: nlp (parse) -> geo (toponyms) -> time (date expressions) -> coding (event
candidates and their arguments) -> per event: date, place, casualties -> discourse (one event per
happening).  Stages exchange only core-model records (``eventwire.model``) and the spaCy ``Doc``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from spacy.tokens import Doc

from eventwire import nlp as nlp_stage
from eventwire.coding import EventAssembler, EventCoder, dateline_header_end, drop_dateline_actors
from eventwire.geo import Geoparser, document_focus
from eventwire.model import Document, Event, Sentence, TimeExpression, Toponym
from eventwire.nlp.truecase import for_parsing
from eventwire.ontology import is_modal as _modal
from eventwire.time import find_time_expressions


@dataclass
class DocumentResult:
    """Everything the pipeline found in one document."""

    document: Document
    events: list[Event]
    toponyms: list[Toponym] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    time_expressions: list[TimeExpression] = field(default_factory=list)

    @property
    def asserted_events(self) -> list[Event]:
        """Events reported as having happened (or announced): no negation, hypothesis or history."""
        return [e for e in self.events if not is_modal(e)]


def is_modal(event: Event) -> bool:
    """Kept out of what-happened output (negated, hypothetical, historical: ``eventwire.ontology``)."""
    return _modal(event.mode)


class Pipeline:
    """Codes documents into events with every model loaded once.

    >>> pipe = Pipeline()                       # doctest: +SKIP
    >>> result = pipe.process(Document("d1", "Gunmen killed two police officers in Kirkuk on Monday."))
    """

    def __init__(self, model: str | None = None) -> None:
        self.model_name = nlp_stage.available_model(model)
        self.nlp = nlp_stage.load(model)
        self.geoparser = Geoparser()
        self.coder = EventCoder()
        self.assembler = EventAssembler(self.geoparser)

    # -- public API ---------------------------------------------------------------------------
    def process(self, document: Document) -> DocumentResult:
        nlp_stage.check_length(document.text)
        return self._process_parsed(document, nlp_stage.parse(self.nlp, for_parsing(document.text)))

    def pipe(self, documents: Iterable[Document], batch_size: int = 16) -> Iterator[DocumentResult]:
        docs = iter(documents)
        while True:
            batch = [d for _, d in zip(range(batch_size), docs, strict=False)]
            if not batch:
                return
            for d in batch:
                nlp_stage.check_length(d.text)
            for document, sdoc in zip(batch, self._parse_batch([for_parsing(d.text) for d in batch]), strict=True):
                yield self._process_parsed(document, sdoc)

    def geoparse(self, document: Document) -> list[Toponym]:
        nlp_stage.check_length(document.text)
        return self.geoparser.geoparse(document, nlp_stage.parse(self.nlp, for_parsing(document.text)))

    def _parse_batch(self, texts: list[str]) -> Iterator[Doc]:
        """Short texts through one ``nlp.pipe`` batch; a long one a few paragraphs at a time."""
        if all(len(t) <= 2 * nlp_stage.CHUNK_CHARS for t in texts):
            yield from self.nlp.pipe(texts)
        else:
            yield from nlp_stage.parse_many(self.nlp, texts)

    # -- stages -------------------------------------------------------------------------------
    def _process_parsed(self, document: Document, sdoc: Doc) -> DocumentResult:
        sentences = nlp_stage.sentences(sdoc)
        anchor = document.publication_date
        toponyms = self.geoparser.geoparse(document, sdoc)
        expressions = find_time_expressions(sdoc, anchor)
        dl = document.dateline
        if dl is not None:
            # "BAQUBA, Iraq, July 23 (Reuters) -": the filing date, not an event's date
            head_end = dateline_header_end(document)
            expressions = [e for e in expressions if not (dl.start <= e.mention.start < head_end)]
        doc_country = document_focus(toponyms, (dl.start, dl.end) if dl is not None else None).country
        # unnamed local actors ("police", "protesters", "gunmen") belong to the country the story is
        # about: where its events happen, not the bureau it was filed from
        candidates = self.coder.code(sdoc, default_country=doc_country if dl is not None else None)
        if dl is not None:
            drop_dateline_actors(candidates, dl.start, dateline_header_end(document))
        events = self.assembler.assemble(document, sdoc, sentences, toponyms, expressions, candidates, doc_country)
        return DocumentResult(document, events, toponyms, sentences, expressions)


def extract(
    text: str,
    publication_date: date | str | None = None,
    doc_id: str = "doc",
    model: str | None = None,
) -> list[Event]:
    """Code one text: ``eventwire.extract(text, publication_date="2020-03-17")``."""
    from eventwire.ingest import document_from_text, parse_date

    pub = parse_date(publication_date) if isinstance(publication_date, str) else publication_date
    document = document_from_text(text, doc_id, pub)
    return _default_pipeline(model).process(document).events


_PIPELINES: dict[str | None, Pipeline] = {}


def _default_pipeline(model: str | None) -> Pipeline:
    if model not in _PIPELINES:
        _PIPELINES[model] = Pipeline(model)
    return _PIPELINES[model]


# -- coding in batches: the per-document function of every engine -------------------------
@dataclass(frozen=True, slots=True)
class CodingFailure:
    """A document that could not be coded, with the reason (plain text, so that it crosses
    process boundaries whatever the exception was)."""

    message: str


CodingOutcome = DocumentResult | CodingFailure


def code_batch(pipe: Any, documents: Sequence[Document]) -> list[CodingOutcome]:
    """Code ``documents`` as one ``nlp.pipe`` batch, one outcome per document in input order.

    If the batch fails, each document is coded on its own, so a bad document fails alone.  The
    local workers (``--workers``), ``ingest_into`` and the Ray engine all code through this one
    function; results do not depend on how documents are batched."""
    if not documents:
        return []
    try:
        return list(pipe.pipe(documents, batch_size=len(documents)))
    except Exception:  # noqa: BLE001 - find the bad document one by one below
        pass
    out: list[CodingOutcome] = []
    for doc in documents:
        try:
            out.append(pipe.process(doc))
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the rest
            out.append(CodingFailure(f"{type(exc).__name__}: {exc}"))
    return out


def geoparse_batch(pipe: Any, documents: Sequence[Document]) -> list[list[Toponym] | CodingFailure]:
    """``eventwire geoparse``'s per-document function: the place mentions of each document."""
    out: list[list[Toponym] | CodingFailure] = []
    for doc in documents:
        try:
            out.append(pipe.geoparse(doc))
        except Exception as exc:  # noqa: BLE001
            out.append(CodingFailure(f"{type(exc).__name__}: {exc}"))
    return out


class Coder(Protocol):
    """Codes batches of documents, here or in worker processes (``eventwire.scale.WorkerPool``).

    ``submit`` hands over a batch and returns a function that waits for its outcomes, one per
    document, in order."""

    def submit(self, documents: list[Document]) -> Callable[[], list[CodingOutcome]]: ...

    def close(self) -> None: ...


class InProcessCoder:
    """Codes in this process with the pipeline that ``pipeline`` makes on first need."""

    def __init__(self, pipeline: Callable[[], Any]) -> None:
        self._make = pipeline
        self._pipe: Any = None

    def submit(self, documents: list[Document]) -> Callable[[], list[CodingOutcome]]:
        def wait() -> list[CodingOutcome]:
            self._pipe = self._pipe or self._make()
            return code_batch(self._pipe, documents)

        return wait

    def close(self) -> None:
        pass


# -- coding into a store ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class IngestStep:
    """What became of one input of ``ingest_into``.

    ``kind``: ``rejected`` (unreadable input), ``skipped`` (nothing to code: a crawled page that
    is not an article), ``unchanged`` (stored before with the same content), ``failed`` (could
    not be coded), ``unstored`` (could not be stored) or ``stored`` (``outcome`` is the store's
    ``IngestOutcome``; ``outcome.copy_of`` is set for a copy of another document)."""

    kind: str
    source: str
    message: str = ""
    outcome: Any = None


@dataclass
class _Chunk:
    """One chunk of ``ingest_into`` between its checks against the store and its coding."""

    steps: list[IngestStep]
    todo: list[Document]
    to_parse: list[Document]
    fingerprints: dict[str, Any]
    parsed: Callable[[], list[CodingOutcome]] | None


def ingest_into(
    store: Any,
    items: Iterable[Any],
    pipeline: Callable[[], Any] | None = None,
    batch_size: int = 32,
    *,
    coder: Coder | None = None,
    lookahead: int = 0,
) -> Iterator[IngestStep]:
    """Code ``items`` (documents, or the readers' ``IngestError`` records) and store them in
    ``store``, one transaction per ``batch_size`` documents, yielding one step per input, batch
    by batch.

    Documents already stored with the same content are not parsed again, nor are copies of
    stored or earlier documents (``ingest.dedup``: same URL, near-identical text), which are
    stored with ``copy_of`` and no events.  Documents are coded by ``coder`` (worker processes,
    ``eventwire.scale.WorkerPool``), else in this process by the pipeline that ``pipeline``
    makes on first need (nothing to parse, no model loaded).  With ``lookahead`` > 0, that many
    more chunks are checked and handed to the coder before a chunk's results are collected, so
    that workers never wait for this process (``eventwire ingest``; ``watch`` keeps 0, so what
    it fetched is stored before it fetches more).  Batches are written by a ``StoreWriter``
    process while the next one is parsed; at most one batch waits, so memory stays bounded, and
    a failed write costs only its documents (``Store.add_results``).  The writer's time is added
    to ``store.stats``."""
    from eventwire.ingest.dedup import fingerprint
    from eventwire.ingest.skipped import Skipped
    from eventwire.store.writer import StoreItem, StoreWriter

    if coder is None:
        if pipeline is None:
            raise TypeError("ingest_into() needs a pipeline factory or a coder")
        coder = InProcessCoder(pipeline)
    writer: StoreWriter | None = None
    pending: list[DocumentResult] | None = None  # the batch being written

    def collect(results: list[DocumentResult]) -> Iterator[IngestStep]:
        assert writer is not None
        for result, outcome in zip(results, writer.next_outcomes(), strict=True):
            if isinstance(outcome, Exception):
                yield IngestStep("unstored", result.document.id, str(outcome))
            else:
                yield IngestStep("stored", result.document.id, outcome=outcome)

    def prepare(chunk: list[Any]) -> _Chunk:
        nonlocal writer
        steps: list[IngestStep] = []
        documents = [x for x in chunk if isinstance(x, Document)]
        statuses = store.document_statuses(documents) if documents else {}
        todo = []
        for x in chunk:
            if isinstance(x, Skipped):
                steps.append(IngestStep("skipped", x.source, x.reason))
            elif not isinstance(x, Document):
                steps.append(IngestStep("rejected", getattr(x, "source", "?"), getattr(x, "message", str(x))))
            elif statuses.get(x.id) == "unchanged":
                steps.append(IngestStep("unchanged", x.id))
            else:
                todo.append(x)
        fps = {d.id: fingerprint(d) for d in todo}
        for doc_id, match in (store.find_copies(list(fps.values())) if todo else {}).items():
            next(d for d in todo if d.id == doc_id).copy_of = match.original
        if todo:
            writer = writer or StoreWriter(store.url)  # starts while the model loads
        to_parse = [d for d in todo if not d.copy_of]
        assert coder is not None
        return _Chunk(steps, todo, to_parse, fps, coder.submit(to_parse) if to_parse else None)

    def finish(c: _Chunk) -> Iterator[IngestStep]:
        nonlocal pending
        assert coder is not None
        steps = c.steps
        results: list[DocumentResult] = []
        done: dict[str, DocumentResult] = {}
        if c.parsed is not None:
            for doc, got in zip(c.to_parse, c.parsed(), strict=True):
                if isinstance(got, CodingFailure):
                    steps.append(IngestStep("failed", doc.id, got.message))
                else:
                    done[doc.id] = got
        parsed_ids = {x.id for x in c.to_parse}
        for doc in c.todo:
            if doc.copy_of and doc.copy_of in parsed_ids - done.keys():
                doc.copy_of = None  # its original (in this chunk) could not be coded: code the copy
                (got,) = coder.submit([doc])()
                if isinstance(got, CodingFailure):
                    steps.append(IngestStep("failed", doc.id, got.message))
                else:
                    done[doc.id] = got
            if doc.id in done:
                results.append(done[doc.id])
            elif doc.copy_of:  # a copy: stored, not coded
                results.append(DocumentResult(doc, []))
        if pending is not None:
            yield from collect(pending)
            pending = None
        yield from steps
        if results:
            assert writer is not None
            writer.submit([StoreItem(r.document, r.events, r.sentences, r.toponyms, c.fingerprints.get(r.document.id))
                           for r in results])  # fmt: skip
            pending = results

    try:
        it = iter(items)
        ahead: deque[_Chunk] = deque()
        while True:
            while len(ahead) <= lookahead and (chunk := [x for _, x in zip(range(batch_size), it, strict=False)]):
                ahead.append(prepare(chunk))
            if not ahead:
                break
            yield from finish(ahead.popleft())
        if pending is not None:
            yield from collect(pending)
    except BaseException:  # interrupted, the store gone, or the caller stopped reading
        if writer is not None:
            writer.abort()  # the batch being written is committed; no answer is awaited
            writer = None
        raise
    finally:
        if writer is not None:
            spent = writer.close()
            store.stats.write_s += spent.get("write_s", 0.0)
            store.stats.merge_s += spent.get("merge_s", 0.0)
            store.stats.documents += int(spent.get("documents", 0))
