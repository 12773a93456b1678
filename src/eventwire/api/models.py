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
    n_reports: int | None = Field(None, description="merged events only")
    reports: list[dict[str, object]] | None = Field(None, description="merged events only: a summary of each report")


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


class ErrorBody(BaseModel):
    error: str = Field(description="one line saying what was wrong with the request")
    status: int


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    writes: bool
    events: int
