"""Event assembly: coded candidates to finished events.

The coder (``EventCoder``) finds event candidates with their type, mode, actors and recipients in
the parse.  ``EventAssembler`` turns one document's candidates into ``Event`` records: each
event's date (its own date expression, a speaker's dated statement told just before, else the
publication date), its place (``Locator``: the geo stage's event location, with the country
fallbacks of the types that take one), its casualties (``size``), its ACLED codes, its historical
and attempted readings, then one event per happening (``discourse``), a short report folded into
one happening (``report``) with a keyword reading when the coder found no ACLED type, and the
confidence score.

The assembler uses the geo stage only through ``Locator`` (``eventwire.geo.Geoparser`` is one),
so that coding does not depend on how places are found.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Generic, Protocol, TypeVar

from spacy.tokens import Doc, Token

from eventwire import nlp as nlp_stage
from eventwire.coding import acled, confidence, report
from eventwire.coding.coder import EventCandidate
from eventwire.coding.discourse import Mentioned, consolidate
from eventwire.model import (
    Actor,
    Document,
    Event,
    EventDate,
    EventLocation,
    Mention,
    Sentence,
    Size,
    TimeExpression,
    Toponym,
)
from eventwire.ontology import cameo_code, is_modal, quad_code, types_with
from eventwire.size import find_casualties, size_for_trigger
from eventwire.time import date_for_trigger
from eventwire.words import word_list

PLACE_FALLBACK_TYPES = types_with("place_fallback")


class Locator(Protocol):
    """Where events happen (``eventwire.geo.Geoparser``)."""

    def event_location(
        self,
        doc: Doc,
        trigger: Token,
        toponyms: list[Toponym],
        other_triggers: Sequence[Token] = (),
        fallback_countries: Sequence[str] = (),
        loose: bool = True,
    ) -> EventLocation | None: ...

    def in_report(self, loc: EventLocation | None, report_place: Toponym | None) -> EventLocation | None: ...

    def report_place(self, doc: Doc, toponyms: Sequence[Toponym]) -> Toponym | None: ...


@dataclass(frozen=True, slots=True)
class AssemblySettings:
    """The thresholds of event assembly.

    ``historical_after``: an event dated this long before the report is history;
    ``background_after``: a month or year that ended this long before the report is background;
    ``speech_date_window``: how many sentences back a quote looks for its speaker's dated
    statement."""

    historical_after: timedelta = timedelta(days=365)
    background_after: timedelta = timedelta(days=30)
    speech_date_window: int = 2


class EventAssembler:
    """Turns one document's event candidates into events (see the module's documentation)."""

    def __init__(self, locator: Locator, settings: AssemblySettings | None = None) -> None:
        self.locator = locator
        self.settings = settings or AssemblySettings()

    def assemble(
        self,
        document: Document,
        sdoc: Doc,
        sentences: list[Sentence],
        toponyms: list[Toponym],
        expressions: list[TimeExpression],
        candidates: list[EventCandidate],
        doc_country: str | None,
    ) -> list[Event]:
        """The events of ``document`` from its coded ``candidates``, in the order
        ``discourse.consolidate`` gives them, each scored and with its id."""
        is_report = report.is_report(sentences)
        # a short report tells one happening: events without a place of their own take its place
        report_place = self.locator.report_place(sdoc, toponyms) if is_report else None
        sent_index = {s.start: s.index for s in sentences}
        by_sentence: dict[int, list[EventCandidate]] = {}
        for cand in candidates:
            by_sentence.setdefault(cand.sentence.start, []).append(cand)
        casualty_cache: dict[int, list[Any]] = {}
        # what lies in each sentence, found by offset (a long document has thousands of each)
        expr_slices = _Slices(expressions, lambda e: e.mention.start)
        topo_slices = _Slices(toponyms, lambda t: t.mention.start)
        place_mentions = _mentions_by_place(toponyms)
        items: list[Mentioned] = []
        dated: list[tuple[int, Event, Actor | None]] = []
        for cand in candidates:
            sent = cand.sentence
            others = [c.trigger for c in by_sentence[sent.start] if c is not cand]
            if sent.start not in casualty_cache:
                casualty_cache[sent.start] = find_casualties(sent)
            s_exprs = expr_slices.within(sent.start_char, sent.end_char)
            event = self._event(
                document, cand, others, s_exprs, casualty_cache[sent.start], toponyms, sdoc, doc_country,
                short_report=is_report, sentence_toponyms=topo_slices.within(sent.start_char, sent.end_char),
                place_mentions=place_mentions,
            )
            event.sentence = Sentence(
                sent_index.get(sent.start_char, 0), sent.start_char, sent.end_char, sent.text
            )
            idx = sent_index.get(sent.start_char, 0)
            own_date = event.date.source == "text"
            if event.date.source == "publication" and cand.speaker is not None:
                self._inherit_speech_date(event, cand.speaker, idx, dated)
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
            for k, s in enumerate(sdoc.sents):
                found = casualty_cache.get(s.start)
                if found is None:
                    found = find_casualties(s)
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
                loc = self.locator.in_report(ev.event_loc, report_place)
                if loc is not ev.event_loc:
                    ev.event_loc = loc
                    ev.spans["place"] = [(report_place.mention.start, report_place.mention.end)]
        for ev in events:
            ev.confidence = confidence.score(ev.features, ev.confidence)
            ev.assign_id()
        return events

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
        asserted = [e for e in events if not is_modal(e.mode)]
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
        loc = self.locator.event_location(sdoc, trigger, toponyms, [], [c for c in (doc_country,) if c], loose=True)
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
        casualties: list[Any],
        toponyms: list[Toponym],
        sdoc: Doc,
        doc_country: str | None = None,
        short_report: bool = False,
        sentence_toponyms: list[Toponym] | None = None,
        place_mentions: dict[tuple[str, int | None], list[Mention]] | None = None,
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
        if anchor and edate.source == "text" and edate.date and anchor - edate.date > self.settings.historical_after:
            aux.append("historical")
        elif anchor and expr is not None and edate.source == "text" and self._background(expr, anchor, short_report):
            aux.append("historical")  # "since May 2019", "fighting that broke out in April": background
        elif "historical" not in aux and _in_past_war(cand.trigger):
            aux.append("historical")
        fallback: list[str] = []
        if cand.event in PLACE_FALLBACK_TYPES:
            # no place in the sentence: the country the report is about, then the victims' country
            fallback = [c for c in (doc_country,) if c]
            fallback += [a.code for a in cand.recipient if a.code and len(a.code) == 3 and a.code.isalpha()]
        loc = self.locator.event_location(
            sdoc, cand.trigger, toponyms if sentence_toponyms is None else sentence_toponyms, others, fallback,
            loose=cand.event in PLACE_FALLBACK_TYPES,
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
        place_span = _place_span(loc, place_mentions if place_mentions is not None else _mentions_by_place(toponyms), cand.trigger)
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

    def _background(self, expr: TimeExpression, anchor: date, short_report: bool = False) -> bool:
        """A date that places an event in the story's background rather than its news: a span
        reaching back from now ("since May 2019"), or only a month or year that ended more than a
        month before the report ("in February", "in 2019").  An event dated to its day is coded
        however old it is ("Iran fired missiles at the bases on January 8", told in March)."""
        if expr.relation == "since":
            return True
        end = expr.enddate or expr.date
        if end is None or anchor - end <= self.settings.background_after:
            return False
        return expr.precision in ("month", "year")

    def _inherit_speech_date(
        self, event: Event, speaker: Actor, index: int, dated: list[tuple[int, Event, Actor | None]]
    ) -> None:
        """A quote with no date of its own, by a speaker whose dated statement or meeting was told
        just before ("X spoke with Y on Monday ... 'quote,' X told Y"), shares that date."""
        for prev_index, prev, prev_speaker in reversed(dated):
            if prev_index < index - self.settings.speech_date_window:
                return
            if prev_index == index:
                continue
            people = [*prev.actor, *([prev_speaker] if prev_speaker is not None else [])]
            if any(_same_actor(speaker, a) for a in people):
                event.date = EventDate(prev.date.date, prev.date.enddate, prev.date.precision, "text", prev.date.expression)
                return


_HEADER_DASH = re.compile(r"\s[-–—]+\s|\)\s*[-–—]+|:\s")


def dateline_header_end(document: Document) -> int:
    """Where the dateline header ("CITY, Region, Date (Agency) -") ends and the story begins
    (the dateline's end when the document has one but no header dash; 0 without a dateline)."""
    dl = document.dateline
    if dl is None:
        return 0
    m = _HEADER_DASH.search(document.text, dl.end, min(len(document.text), dl.end + 80))
    return m.end() if m else dl.end


def drop_dateline_actors(candidates: list[EventCandidate], start: int, end: int) -> None:
    """The dateline ("BAGHDAD –") says where the report was filed, never who acted."""

    def outside(a: Actor) -> bool:
        return a.start is None or a.end is None or a.end <= start or a.start >= end

    for cand in candidates:
        cand.actor = [a for a in cand.actor if outside(a)]
        cand.recipient = [a for a in cand.recipient if outside(a)]


_T = TypeVar("_T")


class _Slices(Generic[_T]):
    """``items`` that start within a range of offsets, in their own order, found by bisection."""

    def __init__(self, items: Sequence[_T], start_of: Callable[[_T], int]) -> None:
        order = sorted(range(len(items)), key=lambda i: (start_of(items[i]), i))
        self._items = items
        self._order = order
        self._starts = [start_of(items[i]) for i in order]

    def within(self, start: int, end: int) -> list[_T]:
        lo, hi = bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end)
        return [self._items[i] for i in sorted(self._order[lo:hi])]


def _mentions_by_place(toponyms: list[Toponym]) -> dict[tuple[str, int | None], list[Mention]]:
    """The mentions of each resolved (text, place id), in document order."""
    out: dict[tuple[str, int | None], list[Mention]] = {}
    for t in toponyms:
        if t.place is not None:
            out.setdefault((t.mention.text, t.place.geonameid), []).append(t.mention)
    return out


def _place_span(
    loc: Any, mentions: dict[tuple[str, int | None], list[Mention]], trigger: Token
) -> tuple[int, int] | None:
    """Offsets of the place mention the event's location was resolved from: the toponym with
    that text and place nearest to the trigger (None for a fallback country)."""
    if loc is None:
        return None
    found = mentions.get((loc.extracted_place, loc.geonameid), [])
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


def _clause_anchor(trigger: Token) -> Token:
    """The verb whose clause a trigger stands for: "fire" in "opened fire" is the verb "opened"
    (casualty clauses attach to verbs)."""
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in ("dobj", "obj") and trigger.head.pos_ == "VERB":
        return trigger.head
    return trigger


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


ATTEMPT_WORDS = word_list("assembly.attempt_words")


def _attempted(trigger: Token) -> bool:
    """An act only tried: "attempted to assassinate", "an assassination attempt", "survived"."""
    near = [trigger, *list(trigger.ancestors)[:3], *trigger.children]
    return any(t.lemma_.lower() in ATTEMPT_WORDS for t in near)


def _same_actor(a: Actor, b: Actor) -> bool:
    if a.code and b.code and a.code != b.code:
        return False
    if a.sector and b.sector and a.sector != b.sector:
        return False
    return bool(a.code or a.sector) and bool(b.code or b.sector)
