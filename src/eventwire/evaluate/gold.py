"""The gold records of each gold format, as the dataset readers return them.

Gold files are other people's JSON: the readers check what tells the formats apart (``doc_id``,
the keys of ``datasets``' module docstring) and nothing more, so every value is typed ``object``
here and each evaluator checks the values it reads (a count that is not a whole number, a date
that is not ISO 8601 count as absent).  The comments give the shape each key has in a well-formed
file.
"""

from __future__ import annotations

from typing import Required, TypeAlias, TypedDict, cast


class GoldEvent(TypedDict, total=False):
    """One gold event in PLOVER's shape, with the gold files' variations (``matching``)."""

    id: object  # str
    key: object  # str: the seed coding's name for the event
    required: object  # bool: the seed / article coding's required events
    event: object  # str or list of str (the first is the primary type)
    mode: object  # list of str
    actor: object  # list of entity objects: code, sector (str or list of accepted str)
    recipient: object  # the same
    reciprocal: object  # bool
    event_loc: object  # object: extracted_place, resolved_place, country_code(s), lat, lon, geonameid
    size: object  # object: dead, injured, arrested (int)
    dead: object  # int (older gold: at the top level, as injured and arrested)
    injured: object
    arrested: object
    date: object  # str, YYYY-MM-DD
    event_text: object  # str or list of str
    acled_event_type: object  # str
    place: object  # str: the article gold's flat place name
    country_iso3: object  # str or list of str


class PloverGold(TypedDict, total=False):
    """A ``plover_gsr`` record: the gold events of one document (and the coder's unreviewed ones)."""

    doc_id: Required[object]
    events: object  # list of GoldEvent
    unreviewed: object  # list of GoldEvent


class SeedGold(TypedDict, total=False):
    """The seed coding (``seed``) or one article coded like it (``articles``)."""

    doc_id: Required[object]
    publication_date: object  # str
    events: object  # list of GoldEvent with key and required


class GedGold(TypedDict, total=False):
    """A ``ged`` record: one event per headline, UCDP GED-style."""

    doc_id: Required[object]
    latitude: object  # float
    longitude: object  # float
    where_prec: object  # int, 1 (exact) .. 7
    country_code: object  # str, alpha-3
    adm_1: object  # str
    date_start: object  # str
    date_end: object  # str
    low: object  # int
    best: object  # int


class ConflictGold(TypedDict, total=False):
    """A ``conflict_reports`` record: one ACLED-coded event per report."""

    doc_id: Required[object]
    event_type: object  # str
    sub_event_type: object  # str
    fatalities: object  # int
    event_date: object  # str
    date_stated_day: object  # bool
    location: object  # str
    admin1: object  # str
    admin2: object  # str
    country_iso3: object  # str
    style: object  # str


class SnippetGold(TypedDict, total=False):
    """An ``event_snippets`` record: the fine-grained class of one snippet."""

    doc_id: Required[object]
    label: object  # str
    acled_event_type: object  # str or null (key present: the class's ACLED type is known)


class PoliceGold(TypedDict, total=False):
    """A ``police_sentences`` record: the police actions one sentence reports."""

    doc_id: Required[object]
    labels: object  # list of str


GoldRecord: TypeAlias = PloverGold | SeedGold | GedGold | ConflictGold | SnippetGold | PoliceGold


def gold_events(value: object) -> list[GoldEvent]:
    """The event objects of a gold ``events`` (or ``unreviewed``) value; anything else is dropped."""
    if not isinstance(value, list):
        return []
    return [cast(GoldEvent, e) for e in value if isinstance(e, dict)]
