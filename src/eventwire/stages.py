"""The built-in pipeline stages, registered by name (``eventwire.registry.stages``).

Each stage reads the document being coded from the spaCy ``Doc`` and writes its results to the
``Doc``'s extensions, as spaCy components do:

=========================  ======================================================  ===========
extension                  what                                                    written by
=========================  ======================================================  ===========
``doc._.document``         the ``Document`` (text, publication date, dateline)      pipeline
``doc._.sentences``        its ``Sentence`` records                                 pipeline
``doc._.toponyms``         place mentions with their resolved places                ``geo``
``doc._.focus_country``    the country the document is about (alpha-3)              ``geo``
``doc._.time_expressions`` date expressions (less the dateline header's)            ``time``
``doc._.event_candidates`` coded candidates (``coding.EventCandidate``)             ``coding``
``doc._.events``           the finished ``Event`` records                           ``events``
=========================  ======================================================  ===========

A stage registered under another name can take any one's place (``[stages.NAME] factory``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc

from eventwire.coding import (
    AssemblySettings,
    EventAssembler,
    dateline_header_end,
    drop_dateline_actors,
)
from eventwire.geo import document_focus
from eventwire.registry import Stage, register_stage
from eventwire.time import find_time_expressions

if TYPE_CHECKING:  # pragma: no cover
    from eventwire.pipeline import Pipeline

EXTENSIONS = (
    "document",
    "sentences",
    "toponyms",
    "focus_country",
    "time_expressions",
    "event_candidates",
    "events",
)

for _name in EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@register_stage("geo")
def make_geo(pipeline: Pipeline, name: str) -> Stage:
    """Toponyms resolved against the gazetteer, and the document's focus country."""
    geoparser = pipeline.geoparser

    def geo(doc: Doc) -> Doc:
        document = doc._.document
        doc._.toponyms = toponyms = geoparser.geoparse(document, doc)
        dl = document.dateline
        doc._.focus_country = document_focus(toponyms, (dl.start, dl.end) if dl is not None else None).country
        return doc

    return geo


@register_stage("time")
def make_time(pipeline: Pipeline, name: str) -> Stage:
    """Date expressions resolved against the publication date."""

    def time(doc: Doc) -> Doc:
        document = doc._.document
        expressions = find_time_expressions(doc, document.publication_date)
        dl = document.dateline
        if dl is not None:
            # "BAQUBA, Iraq, July 23 (Reuters) -": the filing date, not an event's date
            head_end = dateline_header_end(document)
            expressions = [e for e in expressions if not (dl.start <= e.mention.start < head_end)]
        doc._.time_expressions = expressions
        return doc

    return time


@register_stage("coding")
def make_coding(pipeline: Pipeline, name: str) -> Stage:
    """Event candidates: PLOVER types, modes, contexts, actors and recipients."""
    coder = pipeline.coder

    def coding(doc: Doc) -> Doc:
        document = doc._.document
        dl = document.dateline
        # unnamed local actors ("police", "protesters", "gunmen") belong to the country the story is
        # about: where its events happen, not the bureau it was filed from
        candidates = coder.code(doc, default_country=doc._.focus_country if dl is not None else None)
        if dl is not None:
            drop_dateline_actors(candidates, dl.start, dateline_header_end(document))
        doc._.event_candidates = candidates
        return doc

    return coding


@register_stage("events")
def make_events(
    pipeline: Pipeline,
    name: str,
    historical_after_days: int = 365,
    background_after_days: int = 30,
    speech_date_window: int = 2,
) -> Stage:
    """Events assembled from the candidates (``coding.EventAssembler``)."""
    from datetime import timedelta

    settings = AssemblySettings(
        historical_after=timedelta(days=historical_after_days),
        background_after=timedelta(days=background_after_days),
        speech_date_window=speech_date_window,
    )
    assembler = EventAssembler(pipeline.geoparser, settings)

    def events(doc: Doc) -> Doc:
        doc._.events = assembler.assemble(
            doc._.document,
            doc,
            doc._.sentences,
            _list(doc._.toponyms),
            _list(doc._.time_expressions),
            _list(doc._.event_candidates),
            doc._.focus_country,
        )
        return doc

    return events


def _list(value: Any) -> list[Any]:
    """A stage's result, or nothing where the stage that writes it was left out."""
    return list(value) if value is not None else []
