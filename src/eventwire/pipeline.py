"""The pipeline: documents in, coded events out.

``Pipeline`` loads the spaCy model, the gazetteer and the dictionaries once and runs every stage
on each document: nlp (parse) -> geo (toponyms) -> time (date expressions) -> coding (event
candidates and their arguments) -> per event: date, place, casualties -> discourse (one event per
happening).  Stages exchange only core-model records (``eventwire.model``) and the spaCy ``Doc``.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

from spacy.tokens import Doc, Token

from eventwire import nlp as nlp_stage
from eventwire.coding import EventCandidate, EventCoder, acled, confidence, report
from eventwire.coding.discourse import Mentioned, consolidate
from eventwire.geo import Geoparser, document_focus
from eventwire.model import (
    Actor,
    Document,
    Event,
    EventDate,
    Mention,
    Sentence,
    Size,
    TimeExpression,
    Toponym,
)
from eventwire.nlp.truecase import for_parsing
from eventwire.ontology import cameo_code, quad_code, types_with
from eventwire.ontology import is_modal as _modal
from eventwire.size import find_casualties, size_for_trigger
from eventwire.time import date_for_trigger, find_time_expressions

HISTORICAL_AFTER = timedelta(days=365)
SPEECH_DATE_WINDOW = 2  # sentences
PLACE_FALLBACK_TYPES = types_with("place_fallback")


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
        if document.dateline is not None:
            # "BAQUBA, Iraq, July 23 (Reuters) -": the filing date, not an event's date
            head_end = _dateline_header_end(document)
            expressions = [e for e in expressions if not (document.dateline.start <= e.mention.start < head_end)]
        dl = document.dateline
        doc_country = document_focus(toponyms, (dl.start, dl.end) if dl is not None else None).country
        # a short report tells one happening: events without a place of their own take its place
        report_place = self.geoparser.report_place(sdoc, toponyms) if report.is_report(sentences) else None
        # unnamed local actors ("police officers") take the dateline's country when there is one
        # unnamed local actors ("police", "protesters", "gunmen") belong to the country the story is
        # about: where its events happen, not the bureau it was filed from
        candidates = self.coder.code(sdoc, default_country=doc_country if document.dateline is not None else None)
        if document.dateline is not None:
            _drop_dateline_actors(candidates, document.dateline.start, _dateline_header_end(document))
        sent_index = {s.start: s.index for s in sentences}
        by_sentence: dict[int, list[EventCandidate]] = {}
        for cand in candidates:
            by_sentence.setdefault(cand.sentence.start, []).append(cand)
        casualty_cache: dict[int, list] = {}
        is_report = report.is_report(sentences)
        items: list[Mentioned] = []
        dated: list[tuple[int, Event, Actor | None]] = []
        for cand in candidates:
            sent = cand.sentence
            others = [c.trigger for c in by_sentence[sent.start] if c is not cand]
            if sent.start not in casualty_cache:
                casualty_cache[sent.start] = find_casualties(sent)
            s_exprs = [e for e in expressions if sent.start_char <= e.mention.start < sent.end_char]
            event = self._event(
                document, cand, others, s_exprs, casualty_cache[sent.start], toponyms, sdoc, doc_country,
                short_report=is_report,
            )
            event.sentence = Sentence(
                sent_index.get(sent.start_char, 0), sent.start_char, sent.end_char, sent.text
            )
            idx = sent_index.get(sent.start_char, 0)
            own_date = event.date.source == "text"
            if event.date.source == "publication" and cand.speaker is not None:
                _inherit_speech_date(event, cand.speaker, idx, dated)
            if event.date.source == "text":
                dated.append((idx, event, cand.speaker))
            event.features = confidence.features(cand, event, sentence_index=idx, report=is_report)
            items.append(
                Mentioned(
                    event=event,
                    main_clause=cand.main_clause,
                    own_actor=bool(cand.actor),
                    sentence_index=sent_index.get(sent.start_char, 0),
                    own_date=own_date,
                )
            )
        events = consolidate(items)
        if is_report:
            stated: dict[int, int] = {}
            for k, sent in enumerate(sdoc.sents):
                found = casualty_cache.get(sent.start)
                if found is None:
                    found = find_casualties(sent)
                counts = [c.count for c in found if c.kind == "dead" and c.count is not None]
                if counts:
                    stated[k] = max(counts)
            report.fold(events, stated)
            if not any(e.acled_event_type for e in events):  # (a negated or planned act counts: no invention)
                keyword = self._keyword_event(document, sdoc, events, sentences, expressions, toponyms, stated, doc_country)
                if keyword is not None:
                    events.append(keyword)
        if report_place is not None:
            for ev in events:
                loc = self.geoparser.in_report(ev.event_loc, report_place)
                if loc is not ev.event_loc:
                    ev.event_loc = loc
                    ev.spans["place"] = [(report_place.mention.start, report_place.mention.end)]
        for ev in events:
            ev.confidence = confidence.score(ev.features, ev.confidence)
            ev.assign_id()
        return DocumentResult(document, events, toponyms, sentences, expressions)

    def _keyword_event(
        self,
        document: Document,
        sdoc: Doc,
        events: list[Event],
        sentences: list[Sentence],
        expressions: list[TimeExpression],
        toponyms: list[Toponym],
        stated: dict[int, int],
        doc_country: str | None,
    ) -> Event | None:
        """A short report the coder could not read as ACLED codes it still reports one event: its
        words give the ACLED type (``coding.report.keyword_reading``); an asserted event of the
        report takes it, else one is made from the word itself, dated and placed by the report."""
        hit = report.keyword_reading(sdoc.text)
        if hit is None:
            return None
        row, start, end = hit
        asserted = [e for e in events if not is_modal(e)]
        if asserted:
            target = asserted[0]
            target.acled_event_type, target.acled_sub_event_type = row.acled_type, row.acled_sub_type
            target.features = {**target.features, "origin=keyword": 1.0}
            return None
        token = sdoc.char_span(start, end, alignment_mode="expand")
        if token is None:
            return None
        trigger = token.root
        sent = next((s for s in sentences if s.start <= start < s.end), sentences[0])
        dated = next((e for e in expressions if e.date is not None), None)
        if dated is not None:
            edate = EventDate(dated.date, dated.enddate, dated.precision, "text", dated.mention)
        elif document.publication_date is not None:
            edate = EventDate(document.publication_date, None, "day", "publication", None)
        else:
            edate = EventDate()
        loc = self.geoparser.event_location(sdoc, trigger, toponyms, [], [c for c in (doc_country,) if c], loose=True)
        dead = max(stated.values()) if stated and row.plover == "ASSAULT" else None
        ev = Event(
            doc_id=document.id,
            event=[row.plover],
            mode=[row.mode] if row.mode else [],
            event_loc=loc,
            date=edate,
            size=Size(dead, None, None),
            event_text=[sdoc.text[start:end]],
            triggers=[Mention(sdoc.text[start:end], start, end, "trigger")],
            sentence=sent,
            cameo=cameo_code(row.plover, row.mode, None),
            acled_event_type=row.acled_type,
            acled_sub_event_type=row.acled_sub_type,
            quad_code=quad_code(row.plover),
            confidence=0.3,
        )
        ev.features = {"bias": 1.0, "origin=keyword": 1.0, f"type={row.plover}": 1.0, "report=True": 1.0}
        return ev

    def _event(
        self,
        document: Document,
        cand: EventCandidate,
        others: list[Token],
        expressions: list[TimeExpression],
        casualties: list,
        toponyms: list[Toponym],
        sdoc: Doc,
        doc_country: str | None = None,
        short_report: bool = False,
    ) -> Event:
        anchor = document.publication_date
        expr = date_for_trigger(cand.trigger, expressions, others)
        if expr is not None and expr.date is not None:
            edate = EventDate(expr.date, expr.enddate, expr.precision, "text", expr.mention)
        elif anchor is not None:
            edate = EventDate(anchor, None, "day", "publication", None)
        else:
            edate = EventDate()
        modes = [cand.mode] if cand.mode else []
        aux = list(cand.aux_modes)
        if anchor and edate.source == "text" and edate.date and anchor - edate.date > HISTORICAL_AFTER:
            aux.append("historical")
        elif anchor and expr is not None and edate.source == "text" and _background(expr, anchor, short_report):
            aux.append("historical")  # "since May 2019", "fighting that broke out in April": background
        elif "historical" not in aux and _in_past_war(cand.trigger):
            aux.append("historical")
        fallback: list[str] = []
        if cand.event in PLACE_FALLBACK_TYPES:
            # no place in the sentence: the country the report is about, then the victims' country
            fallback = [c for c in (doc_country,) if c]
            fallback += [a.code for a in cand.recipient if a.code and len(a.code) == 3 and a.code.isalpha()]
        loc = self.geoparser.event_location(
            sdoc, cand.trigger, toponyms, others, fallback, loose=cand.event in PLACE_FALLBACK_TYPES
        )
        size = (
            size_for_trigger(_clause_anchor(cand.trigger), casualties, [_clause_anchor(o) for o in others])
            if cand.event in ("ASSAULT", "COERCE", "PROTEST")
            else Size()
        )
        if cand.event == "COERCE":
            # coercion reports arrests; deaths in the same sentence belong to the violence
            size = Size(None, None, size.arrested)
        if cand.event == "ASSAULT" and cand.mode == "assassinate" and _attempted(cand.trigger):
            size = Size(None, size.injured, size.arrested)  # an attempt kills no one by itself
        elif cand.event == "ASSAULT" and cand.mode == "assassinate" and size.dead is None:
            people = [r for r in cand.recipient if r.entity_text[:1].isupper()]
            if people:
                size = Size(len(people), size.injured, size.arrested)
        acled_type, acled_sub = acled.classify(acled.input_for(cand, size.dead))
        triggers = [Mention(t.text, t.idx, t.idx + len(t.text), "trigger") for t in cand.match.tokens]
        spans = _size_spans(size, casualties, cand.trigger)
        place_span = _place_span(loc, toponyms, cand.trigger)
        if place_span is not None:
            spans["place"] = [place_span]
        return Event(
            doc_id=document.id,
            event=[cand.event],
            mode=modes + [m for m in aux if m not in modes],
            context=list(cand.context),
            actor=cand.actor,
            recipient=cand.recipient,
            event_loc=loc,
            date=edate,
            size=size,
            event_text=cand.text(),
            triggers=triggers,
            cameo=cameo_code(cand.event, cand.mode, cand.cameo),
            acled_event_type=acled_type,
            acled_sub_event_type=acled_sub,
            quad_code=quad_code(cand.event),
            confidence=cand.confidence,
            reciprocal=cand.reciprocal,
            spans=spans,
        )


def _place_span(loc: Any, toponyms: list[Toponym], trigger: Token) -> tuple[int, int] | None:
    """Offsets of the place mention the event's location was resolved from: the toponym with
    that text and place nearest to the trigger (None for a fallback country)."""
    if loc is None:
        return None
    found = [
        t.mention for t in toponyms
        if t.place is not None and t.mention.text == loc.extracted_place and t.place.geonameid == loc.geonameid
    ]  # fmt: skip
    if not found:
        return None
    sent = trigger.sent
    best = min(found, key=lambda m: (not (sent.start_char <= m.start < sent.end_char), abs(m.start - trigger.idx)))
    return best.start, best.end


def _size_spans(size: Size, casualties: list[Any], trigger: Token) -> dict[str, list[tuple[int, int]]]:
    """Offsets of the counts behind each casualty figure of ``size`` (the number phrase and its
    verb): the mentions of that kind in the sentence that give the figure, else those that add
    up to it."""
    sent = trigger.sent
    out: dict[str, list[tuple[int, int]]] = {}
    for kind in ("dead", "injured", "arrested"):
        value = getattr(size, kind)
        if value is None:
            continue
        ms = [
            m for m in casualties
            if m.kind == kind and m.count is not None and sent.start_char <= m.verb.start < sent.end_char
        ]  # fmt: skip
        chosen = [m for m in ms if m.count == value] or [m for m in ms if m.count <= value]
        spans = sorted({(x.start, x.end) for m in chosen for x in (m.mention, m.verb)})
        if spans:
            out[kind] = spans
    return out


_HEADER_DASH = re.compile(r"\s[-–—]+\s|\)\s*[-–—]+|:\s")


def _dateline_header_end(document: Document) -> int:
    """Where the dateline header ("CITY, Region, Date (Agency) -") ends and the story begins."""
    dl = document.dateline
    assert dl is not None
    m = _HEADER_DASH.search(document.text, dl.end, min(len(document.text), dl.end + 80))
    return m.end() if m else dl.end


def _dateline_country(document: Document, toponyms: list[Toponym]) -> str | None:
    """The country of the place the report was filed from, if it has a dateline."""
    dl = document.dateline
    if dl is None:
        return None
    for t in toponyms:
        if t.place is not None and t.place.country_code and dl.start <= t.mention.start < dl.end:
            return t.place.country_code
    return None




BACKGROUND_AFTER = timedelta(days=30)


def _background(expr: TimeExpression, anchor: date, short_report: bool = False) -> bool:
    """A date that places an event in the story's background rather than its news: a span
    reaching back from now ("since May 2019"), or only a month or year that ended more than a
    month before the report ("in February", "in 2019").  An event dated to its day is coded
    however old it is ("Iran fired missiles at the bases on January 8", told in March)."""
    if expr.relation == "since":
        return True
    end = expr.enddate or expr.date
    if end is None or anchor - end <= BACKGROUND_AFTER:
        return False
    return expr.precision in ("month", "year")


def _clause_anchor(trigger: Token) -> Token:
    """The verb whose clause a trigger stands for: "fire" in "opened fire" is the verb "opened"
    (casualty clauses attach to verbs)."""
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in ("dobj", "obj") and trigger.head.pos_ == "VERB":
        return trigger.head
    return trigger


def _drop_dateline_actors(candidates: list[EventCandidate], start: int, end: int) -> None:
    """The dateline ("BAGHDAD –") says where the report was filed, never who acted."""

    def outside(a: Actor) -> bool:
        return a.start is None or a.end is None or a.end <= start or a.start >= end

    for cand in candidates:
        cand.actor = [a for a in cand.actor if outside(a)]
        cand.recipient = [a for a in cand.recipient if outside(a)]


def _in_past_war(trigger: Token) -> bool:
    """A trigger dated by a world war ("during World War Two"): history, whatever the report's date."""
    sent = trigger.sent
    if not any(t.ent_type_ == "EVENT" for t in sent):  # Span.ents reads every entity of the document
        return False
    for ent in nlp_stage.sentence_entities(sent):
        prep = ent.root.head
        if ent.label_ == "EVENT" and "world war" in ent.text.lower() and prep.dep_ == "prep" and prep.head.i == trigger.i:
            return True
    return False


ATTEMPT_WORDS = frozenset({"attempt", "try", "plot", "fail", "foil", "survive", "escape"})


def _attempted(trigger: Token) -> bool:
    """An act only tried: "attempted to assassinate", "an assassination attempt", "survived"."""
    near = [trigger, *list(trigger.ancestors)[:3], *trigger.children]
    return any(t.lemma_.lower() in ATTEMPT_WORDS for t in near)


def _inherit_speech_date(
    event: Event, speaker: Actor, index: int, dated: list[tuple[int, Event, Actor | None]]
) -> None:
    """A quote with no date of its own, by a speaker whose dated statement or meeting was told
    just before ("X spoke with Y on Monday ... 'quote,' X told Y"), shares that date."""
    for prev_index, prev, prev_speaker in reversed(dated):
        if prev_index < index - SPEECH_DATE_WINDOW:
            return
        if prev_index == index:
            continue
        people = [*prev.actor, *([prev_speaker] if prev_speaker is not None else [])]
        if any(_same_actor(speaker, a) for a in people):
            event.date = EventDate(prev.date.date, prev.date.enddate, prev.date.precision, "text", prev.date.expression)
            return


def _same_actor(a: Actor, b: Actor) -> bool:
    if a.code and b.code and a.code != b.code:
        return False
    if a.sector and b.sector and a.sector != b.sector:
        return False
    return bool(a.code or a.sector) and bool(b.code or b.sector)


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
