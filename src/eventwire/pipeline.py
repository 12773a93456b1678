"""The pipeline: documents in, coded events out; this module only wires the stages together.

``Pipeline`` reads one configuration (``eventwire.config``: shipped defaults, a user file can
override them), loads the spaCy model, the gazetteer and the dictionaries once, and runs the
configured stages on each parsed document.  The stages are registered by name
(``eventwire.registry.stages``; the built-in ones in ``eventwire.stages``): geo (toponyms and the
document's focus country) -> time (date expressions) -> coding (event candidates and their
arguments) -> events (per event: date, place, casualties, ACLED codes; one event per happening).
Each reads and writes the spaCy ``Doc``'s extensions (``doc._.toponyms``, ``doc._.events``, ...),
so that any one can be swapped by name, as in spaCy.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

from spacy.language import Language
from spacy.tokens import Doc

from eventwire import nlp as nlp_stage
from eventwire import words
from eventwire.coding import EventCoder, load_lexicon
from eventwire.config import Config, ConfigError, ConfigSource, load_config
from eventwire.geo import Gazetteer, Geoparser
from eventwire.model import Document, Event, Sentence, TimeExpression, Toponym
from eventwire.ontology import is_modal as _modal
from eventwire.registry import Stage, UnknownStageError, get_factory
from eventwire.words import WordListError

if TYPE_CHECKING:
    from eventwire.ingest import Fingerprint, IngestError, Skipped
    from eventwire.store import IngestOutcome, Store
    from eventwire.store.writer import StoreWriter


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
    >>> Pipeline(config="my.toml").stage_names  # doctest: +SKIP
    ['geo', 'time', 'coding', 'events']

    ``model`` (a spaCy pipeline) takes precedence over the config's ``[nlp] model``; ``config`` is
    a TOML file or a mapping over the shipped defaults (``eventwire.config``), by default the file
    named in ``EVENTWIRE_CONFIG`` if set.
    """

    def __init__(self, model: str | None = None, config: ConfigSource | Config = None) -> None:
        self.config = load_config(config)
        try:
            words.use_folder(self.config.path("words", "folder"))
        except WordListError as exc:
            raise ConfigError(f"{self.config.source}: words.folder: {exc}") from None
        model = model or self.config.get("nlp", "model") or None
        self.model_name = nlp_stage.available_model(model)
        self.nlp: Language = nlp_stage.load(model)
        self._stages: list[tuple[str, Stage]] = [(name, self._make_stage(name)) for name in self.config.stage_names]

    # -- shared resources (made once, for every stage that asks) ----------------------------------
    @functools.cached_property
    def geoparser(self) -> Geoparser:
        """The geoparser over the configured gazetteer (``[geo] gazetteer``)."""
        path = self.config.path("geo", "gazetteer")
        if path is None:
            return Geoparser()
        if not path.is_file():
            raise ConfigError(f"{self.config.source}: geo.gazetteer {path}: no such file")
        return Geoparser(Gazetteer(path))

    @functools.cached_property
    def coder(self) -> EventCoder:
        """The event coder over the configured trigger lexicon (``[coding] triggers``)."""
        path = self.config.path("coding", "triggers")
        if path is not None and not path.is_file():
            raise ConfigError(f"{self.config.source}: coding.triggers {path}: no such file")
        return EventCoder(load_lexicon(path))

    # -- the stages -------------------------------------------------------------------------------
    @property
    def stage_names(self) -> list[str]:
        """The stages run on each parsed document, in order."""
        return [name for name, _ in self._stages]

    def get_stage(self, name: str) -> Stage:
        for have, stage in self._stages:
            if have == name:
                return stage
        raise KeyError(f"no stage named {name!r} (stages: {', '.join(self.stage_names)})")

    def replace_stage(self, name: str, factory: str, **settings: object) -> Stage:
        """Put the stage that the factory registered as ``factory`` makes in ``name``'s place."""
        index = self.stage_names.index(name) if name in self.stage_names else -1
        if index < 0:
            raise KeyError(f"no stage named {name!r} (stages: {', '.join(self.stage_names)})")
        stage = get_factory(factory)(self, name, **settings)
        self._stages[index] = (name, stage)
        return stage

    def _make_stage(self, name: str) -> Stage:
        factory_name, settings = self.config.stage(name)
        try:
            factory = get_factory(factory_name)
        except UnknownStageError as exc:
            raise ConfigError(f"{self.config.source}: stage {name!r}: {exc}") from None
        try:
            return factory(self, name, **settings)
        except TypeError as exc:
            raise ConfigError(f"{self.config.source}: [stages.{name}] does not suit factory {factory_name!r} ({exc})") from exc

    # -- public API ---------------------------------------------------------------------------
    def process(self, document: Document) -> DocumentResult:
        nlp_stage.check_length(document.text)
        return self._process_parsed(document, nlp_stage.parse(self.nlp, nlp_stage.for_parsing(document.text)))

    def pipe(self, documents: Iterable[Document], batch_size: int = 16) -> Iterator[DocumentResult]:
        docs = iter(documents)
        while True:
            batch = [d for _, d in zip(range(batch_size), docs, strict=False)]
            if not batch:
                return
            for d in batch:
                nlp_stage.check_length(d.text)
            parsed = nlp_stage.parse_many(self.nlp, [nlp_stage.for_parsing(d.text) for d in batch], batch_size=batch_size)
            for document, sdoc in zip(batch, parsed, strict=True):
                yield self._process_parsed(document, sdoc)

    def geoparse(self, document: Document) -> list[Toponym]:
        """The place mentions of ``document``: the stages up to the one that writes
        ``doc._.toponyms`` (``geo``)."""
        nlp_stage.check_length(document.text)
        sdoc = self._start(document, nlp_stage.parse(self.nlp, nlp_stage.for_parsing(document.text)))
        for _, stage in self._stages:
            sdoc = stage(sdoc)
            if sdoc._.toponyms is not None:
                break
        return list(sdoc._.toponyms or [])

    # -- running the stages -----------------------------------------------------------------------
    @staticmethod
    def _start(document: Document, sdoc: Doc) -> Doc:
        sdoc._.document = document
        sdoc._.sentences = nlp_stage.sentences(sdoc)
        return sdoc

    def _process_parsed(self, document: Document, sdoc: Doc) -> DocumentResult:
        sdoc = self._start(document, sdoc)
        for _, stage in self._stages:
            sdoc = stage(sdoc)
        x = sdoc._
        return DocumentResult(
            document, list(x.events or []), list(x.toponyms or []), x.sentences, list(x.time_expressions or [])
        )


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
GeoparseOutcome = list[Toponym] | CodingFailure


def code_batch(pipe: Pipeline, documents: Sequence[Document]) -> list[CodingOutcome]:
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


def geoparse_batch(pipe: Pipeline, documents: Sequence[Document]) -> list[GeoparseOutcome]:
    """``eventwire geoparse``'s per-document function: the place mentions of each document."""
    out: list[GeoparseOutcome] = []
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

    def __init__(self, pipeline: Callable[[], Pipeline]) -> None:
        self._make = pipeline
        self._pipe: Pipeline | None = None

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
    outcome: IngestOutcome | None = None


@dataclass
class _Chunk:
    """One chunk of ``ingest_into`` between its checks against the store and its coding."""

    steps: list[IngestStep]
    todo: list[Document]
    to_parse: list[Document]
    fingerprints: dict[str, Fingerprint]
    parsed: Callable[[], list[CodingOutcome]] | None


def ingest_into(
    store: Store,
    items: Iterable[Document | IngestError | Skipped],
    pipeline: Callable[[], Pipeline] | None = None,
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
    if coder is None:
        if pipeline is None:
            raise TypeError("ingest_into() needs a pipeline factory or a coder")
        coder = InProcessCoder(pipeline)
    run = _IngestRun(store, coder)
    try:
        it = iter(items)
        ahead: deque[_Chunk] = deque()
        while True:
            while len(ahead) <= lookahead and (chunk := [x for _, x in zip(range(batch_size), it, strict=False)]):
                ahead.append(run.prepare(chunk))
            if not ahead:
                break
            yield from run.finish(ahead.popleft())
        yield from run.drain()
    except BaseException:  # interrupted, the store gone, or the caller stopped reading
        run.abort()
        raise
    finally:
        run.close()


class _IngestRun:
    """The state of one ``ingest_into``: the coder, the writer process (started with the first
    chunk that has something to store) and the batch being written."""

    def __init__(self, store: Store, coder: Coder) -> None:
        self.store, self.coder = store, coder
        self.writer: StoreWriter | None = None
        self.pending: list[DocumentResult] | None = None  # the batch being written

    def prepare(self, chunk: list[Document | IngestError | Skipped]) -> _Chunk:
        """Check a chunk against the store (unchanged documents, copies) and hand what is left
        to parse to the coder."""
        from eventwire.ingest import Skipped, fingerprint
        from eventwire.store.writer import StoreWriter

        steps: list[IngestStep] = []
        documents = [x for x in chunk if isinstance(x, Document)]
        statuses = self.store.document_statuses(documents) if documents else {}
        todo = []
        for x in chunk:
            if isinstance(x, Skipped):
                steps.append(IngestStep("skipped", x.source, x.reason))
            elif not isinstance(x, Document):
                steps.append(IngestStep("rejected", x.source, x.message))
            elif statuses.get(x.id) == "unchanged":
                steps.append(IngestStep("unchanged", x.id))
            else:
                todo.append(x)
        fps = {d.id: fingerprint(d) for d in todo}
        for doc_id, match in (self.store.find_copies(list(fps.values())) if todo else {}).items():
            next(d for d in todo if d.id == doc_id).copy_of = match.original
        if todo:
            self.writer = self.writer or StoreWriter(self.store.url)  # starts while the model loads
        to_parse = [d for d in todo if not d.copy_of]
        return _Chunk(steps, todo, to_parse, fps, self.coder.submit(to_parse) if to_parse else None)

    def _coded(self, c: _Chunk) -> tuple[list[IngestStep], list[DocumentResult]]:
        """A chunk's coded documents (and copies, stored uncoded) in order, and its failures."""
        steps = c.steps
        done: dict[str, DocumentResult] = {}
        if c.parsed is not None:
            for doc, got in zip(c.to_parse, c.parsed(), strict=True):
                if isinstance(got, CodingFailure):
                    steps.append(IngestStep("failed", doc.id, got.message))
                else:
                    done[doc.id] = got
        parsed_ids = {x.id for x in c.to_parse}
        results: list[DocumentResult] = []
        for doc in c.todo:
            if doc.copy_of and doc.copy_of in parsed_ids - done.keys():
                doc.copy_of = None  # its original (in this chunk) could not be coded: code the copy
                (got,) = self.coder.submit([doc])()
                if isinstance(got, CodingFailure):
                    steps.append(IngestStep("failed", doc.id, got.message))
                else:
                    done[doc.id] = got
            if doc.id in done:
                results.append(done[doc.id])
            elif doc.copy_of:  # a copy: stored, not coded
                results.append(DocumentResult(doc, []))
        return steps, results

    def finish(self, c: _Chunk) -> Iterator[IngestStep]:
        """Collect a chunk's coding, report the batch written before it, and write this one."""
        from eventwire.store.writer import StoreItem

        steps, results = self._coded(c)
        yield from self.drain()
        yield from steps
        if results:
            assert self.writer is not None
            self.writer.submit([StoreItem(r.document, r.events, r.sentences, r.toponyms, c.fingerprints.get(r.document.id))
                                for r in results])  # fmt: skip
            self.pending = results

    def drain(self) -> Iterator[IngestStep]:
        """The steps of the batch being written, once the writer has answered."""
        if self.pending is None:
            return
        results, self.pending = self.pending, None
        assert self.writer is not None
        for result, outcome in zip(results, self.writer.next_outcomes(), strict=True):
            if isinstance(outcome, Exception):
                yield IngestStep("unstored", result.document.id, str(outcome))
            else:
                yield IngestStep("stored", result.document.id, outcome=outcome)

    def abort(self) -> None:
        if self.writer is not None:
            self.writer.abort()  # the batch being written is committed; no answer is awaited
            self.writer = None

    def close(self) -> None:
        if self.writer is not None:
            spent = self.writer.close()
            self.writer = None
            self.store.stats.write_s += spent.get("write_s", 0.0)
            self.store.stats.merge_s += spent.get("merge_s", 0.0)
            self.store.stats.documents += int(spent.get("documents", 0))
