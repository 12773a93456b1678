"""Typed request and response shapes of the HTTP API, for its OpenAPI 3.1 description.

Field names are those of CONTRACT.md (PLOVER's JSON field names).  Responses are written by the
store (page records as JSON text from the database) and checked against these models in the
tests; they are not re-validated per request.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Span = tuple[int, int]


class _Open(BaseModel):
    """Records may carry more fields than listed (the contract is extended, never renamed)."""

    model_config = ConfigDict(extra="allow")


class Entity(_Open):
    entity_text: str
    code: str | None = Field(None, description="ISO 3166 alpha-3, or PLOVER's IGO/UNO/EUR/NGO/... codes")
    sector: str | None = Field(None, description="PLOVER sector code (GOV, MIL, COP, REB, CVL, ...)")
    identifier_text: str | None = Field(None, description="canonical name")


class EventLoc(_Open):
    extracted_place: str | None = None
    resolved_place: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    district: str | None = None
    province: str | None = None
    country: str | None = None
    country_code: str | None = Field(None, description="ISO 3166 alpha-3")
    feature_class: str | None = None
    feature_code: str | None = None
    resolution: int | None = Field(None, description="5 sub-city, 4 city, 3 district, 2 province, 1 country")


class EventSize(_Open):
    dead: int | None = None
    injured: int | None = None
    arrested: int | None = None


class TextInfo(_Open):
    sequence: int | None = Field(None, description="sentence number of the evidence")
    start: int | None = Field(None, description="character offset of the evidence sentence")
    end: int | None = None


class Evidence(_Open):
    """Character offsets ``[start, end]`` in the document text of the words behind each field."""

    event: list[Span] = Field(default_factory=list, description="the trigger words (type)")
    actor: list[Span] = Field(default_factory=list)
    recipient: list[Span] = Field(default_factory=list)
    date: list[Span] = Field(default_factory=list, description="the date expression")
    place: list[Span] = Field(default_factory=list, description="the place mention of event_loc")
    dead: list[Span] = Field(default_factory=list, description="the count and its verb")
    injured: list[Span] = Field(default_factory=list)
    arrested: list[Span] = Field(default_factory=list)


class ReviewState(_Open):
    """CONTRACT.md's ``review``: the status, who reviewed it and when, and why it needs another
    look (``flag``; null when it does not)."""

    status: Literal["unreviewed", "confirmed", "rejected", "corrected"]
    by: str | None = None
    at: str | None = Field(None, description="ISO 8601 time, UTC")
    flag: str | None = None


class ReportRef(_Open):
    """One report behind a merged event, as the merged event lists it."""

    doc_id: str | None = None
    event_id: str | None = None
    publication_date: str | None = Field(None, description="YYYY-MM-DD")
    text_info: dict[str, int | None] | None = Field(None, description="the evidence sentence's sequence, start, end")
    event_text: list[str] | None = None


class PloverEvent(_Open):
    """One event (a report, or a merged canonical event) with PLOVER's field names."""

    id: str
    doc_id: str | None = None
    date: str | None = Field(None, description="YYYY-MM-DD")
    enddate: str | None = None
    date_precision: Literal["day", "week", "month", "year"] | None = None
    date_source: Literal["text", "publication"] | None = None
    event: list[str] = Field(description="PLOVER event types, the primary one first")
    mode: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)
    actor: list[Entity] = Field(default_factory=list)
    recipient: list[Entity] = Field(default_factory=list)
    event_loc: EventLoc | None = None
    size: EventSize
    event_text: list[str] = Field(default_factory=list)
    text_info: TextInfo | None = None
    trigger_offsets: list[Span] | None = None
    evidence: Evidence | None = Field(None, description="reports only: offsets of every field's evidence")
    cameo: str | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    quad_code: int | None = None
    confidence: float = Field(ge=0, le=1)
    reciprocal: bool = False
    canonical_id: str | None = Field(None, description="reports only: the merged event it belongs to")
    review: ReviewState | None = Field(None, description="reports from the store: the review status; a corrected "
                                                          "event carries the corrected values, the coder's are in its history")
    n_reports: int | None = Field(None, description="merged events only")
    reports: list[ReportRef] | None = Field(None, description="merged events only: a summary of each report")


class EventPage(BaseModel):
    events: list[PloverEvent]
    next: str | None = Field(description="cursor of the next page (pass as ?after=); null on the last page")


class DocumentRef(BaseModel):
    id: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    publication_date: str | None = None


class Report(BaseModel):
    event: PloverEvent
    document: DocumentRef
    evidence_text: str | None = Field(None, description="the evidence sentence")
    reason: dict[str, object] | None = Field(None, description="why the report was merged into the event")
    added_at: str | None = None


class EventDetail(BaseModel):
    event: PloverEvent = Field(description="the event asked for")
    canonical_id: str | None = None
    canonical: PloverEvent | None = Field(None, description="the merged event (null for events never merged)")
    reports: list[Report]


class Toponym(BaseModel):
    start: int
    end: int
    text: str
    geonameid: int | None = None
    resolved_place: str | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None
    feature_code: str | None = None


class DocumentDetail(DocumentRef):
    canonical_url: str | None = Field(None, description="the page's own canonical URL, when it names one")
    author: str | None = None
    copy_of: str | None = Field(None, description="the stored document this one copies (it keeps no events)")
    ingested_at: str | None = None
    text: str
    sentences: list[Span]
    toponyms: list[Toponym]
    events: list[PloverEvent]


class Summary(BaseModel):
    total: int
    by_type: list[tuple[str, int]]
    by_country: list[tuple[str | None, int]]
    by_day: list[tuple[str, int]]
    undated: int
    first_day: str | None = None
    last_day: str | None = None
    store: dict[str, int] = Field(description="rows per table")


class DocumentIn(BaseModel):
    """An input document, as ``eventwire extract`` reads them (CONTRACT.md)."""

    id: str | None = Field(None, description="required for POST /api/documents")
    text: str
    publication_date: str | None = Field(None, description="YYYY-MM-DD")
    title: str | None = None
    url: str | None = None
    source: str | None = None


class Rejected(BaseModel):
    index: int
    id: str | None = None
    error: str


class ExtractedDocument(BaseModel):
    id: str
    events: list[PloverEvent]


class ExtractResult(BaseModel):
    documents: list[ExtractedDocument]
    rejected: list[Rejected]


class StoredDocument(BaseModel):
    id: str
    status: Literal["added", "replaced", "unchanged"]
    events: int
    merged: int


class StoreResult(BaseModel):
    documents: list[StoredDocument]
    rejected: list[Rejected]


class ReviewIn(BaseModel):
    """A review of a report: a status and/or corrected fields (any subset), corrections withdrawn,
    links to other reports, a note."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["unreviewed", "confirmed", "rejected", "corrected"] | None = Field(
        None, description="corrections make it 'corrected'; 'unreviewed' withdraws every correction")
    type: str | list[str] | None = Field(None, description="PLOVER event type(s), the primary one first (alias: event)")
    mode: list[str] | None = None
    actor: list[Entity] | None = None
    recipient: list[Entity] | None = None
    place: str | EventLoc | None = Field(None, description="a place name (looked up in the gazetteer) or an event_loc "
                                                           "object (alias: event_loc); null: no place")
    date: str | None = Field(None, description="YYYY-MM-DD (with enddate, date_precision)")
    enddate: str | None = None
    date_precision: Literal["day", "week", "month", "year"] | None = None
    dead: int | None = Field(None, ge=0)
    injured: int | None = Field(None, ge=0)
    arrested: int | None = Field(None, ge=0)
    size: EventSize | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    revert: list[str] | None = Field(None, description="fields whose correction is withdrawn")
    same_event: list[str] | None = Field(None, description="reports of the same real-world event (merging keeps to it)")
    different_event: list[str] | None = Field(None, description="reports of other events (never merged with this one)")
    unlink: list[str] | None = Field(None, description="links to these reports withdrawn")
    note: str | None = Field(None, max_length=2000)


class ReviewLink(BaseModel):
    event_id: str | None
    relation: Literal["same", "different"]
    by: str
    at: str | None


class Review(BaseModel):
    """A review in full: the reviewer's corrections beside the coder's own values."""

    review_id: int
    event_id: str | None = Field(description="the event it applies to now; null when re-coding did not find it again")
    doc_id: str
    status: Literal["unreviewed", "confirmed", "rejected", "corrected"]
    by: str | None = None
    at: str | None = None
    flag: str | None = None
    version: int = Field(description="changes made to it so far")
    corrected: list[str] = Field(description="the fields a reviewer corrected")
    corrections: dict[str, object]
    coder: dict[str, object] = Field(description="the coder's values of every reviewable field")
    links: list[ReviewLink]


class ReviewResult(BaseModel):
    event: PloverEvent = Field(description="the report with the review applied")
    review: Review | None


class Change(BaseModel):
    at: str | None
    by: str = Field(description="the reviewer, or 'eventwire' for what re-coding changed")
    action: Literal["status", "correct", "revert", "note", "flag", "link", "unlink", "recode", "lost"]
    field: str | None = None
    from_: object = Field(None, alias="from", description="the value before (the coder's, for a first correction)")
    to: object = None
    note: str | None = None
    event_id: str | None = None


class History(BaseModel):
    event_id: str | None
    review: Review | None = Field(description="null: never reviewed")
    coder: dict[str, object] = Field(description="the coder's values")
    changes: list[Change] = Field(description="oldest first; append-only")


class QueuePage(BaseModel):
    events: list[PloverEvent] = Field(description="lowest confidence first")
    next: str | None


class ReviewList(BaseModel):
    reviews: list[Review]
    next: int | None
    counts: dict[str, object]


class PlaceList(BaseModel):
    places: list[EventLoc]


class Me(BaseModel):
    name: str
    roles: list[str]


class ErrorBody(BaseModel):
    error: str = Field(description="one line saying what was wrong with the request")
    status: int


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    writes: bool
    events: int
