"""The core model: the small set of typed records that every pipeline stage reads and writes.

Stages talk to each other only through these records (and the spaCy ``Doc`` produced by the
``nlp`` stage); no stage imports another stage's internals.  Field names follow PLOVER's JSON
specification where PLOVER has a name for the thing (see ``CONTRACT.md`` in the shared folder).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, NotRequired, TypeAlias, TypedDict, cast

from eventwire.helpers import as_date

Day: TypeAlias = date  # a calendar date (records have fields named ``date``)
DatePrecision = Literal["day", "week", "month", "year"]
DateSource = Literal["text", "publication"]
ReviewStatus = Literal["unreviewed", "confirmed", "rejected", "corrected"]


# The JSON shapes of the records (CONTRACT.md): what ``to_plover``/``to_dict`` write and what the
# store, the exports and the HTTP API hand out.  Typed so that a consumer of the JSON is checked
# as the records are; ``from_plover`` reads them (and untrusted variants of them) back.


class PloverActor(TypedDict):
    entity_text: str
    code: str | None
    sector: str | None
    identifier_text: NotRequired[str]


class PloverPlace(TypedDict):
    extracted_place: str
    resolved_place: str | None
    geonameid: int | None
    lat: float | None
    lon: float | None
    district: str | None
    province: str | None
    country: str | None
    country_code: str | None
    feature_class: str | None
    feature_code: str | None
    resolution: int | None


class PloverSize(TypedDict):
    dead: int | None
    injured: int | None
    arrested: int | None


class PloverTextInfo(TypedDict):
    sequence: int | None
    start: int | None
    end: int | None


class PloverReview(TypedDict):
    status: ReviewStatus
    by: str | None
    at: str | None
    flag: str | None


class PloverReportRef(TypedDict):
    doc_id: str | None
    event_id: str | None
    publication_date: str | None
    text_info: dict[str, int | None] | None
    event_text: list[str] | None


class PloverEvent(TypedDict):
    """A PLOVER event record: a coded event (``Event``), a stored report (``StoredEvent``: with
    ``review`` and ``canonical_id``) or a merged event (``CanonicalEvent``: ``n_reports`` and
    ``reports``, no offsets)."""

    id: str
    doc_id: str
    date: str | None
    enddate: str | None
    date_precision: DatePrecision | None
    date_source: DateSource | None
    event: list[str]
    mode: list[str]
    context: list[str]
    actor: list[PloverActor]
    recipient: list[PloverActor]
    event_loc: PloverPlace | None
    size: PloverSize
    event_text: list[str]
    text_info: PloverTextInfo
    trigger_offsets: NotRequired[list[list[int]]]
    evidence: NotRequired[dict[str, list[list[int]]]]
    cameo: str | None
    acled_event_type: str | None
    acled_sub_event_type: str | None
    quad_code: int | None
    confidence: float
    reciprocal: bool
    review: NotRequired[PloverReview]
    canonical_id: NotRequired[str | None]
    n_reports: NotRequired[int]
    reports: NotRequired[list[PloverReportRef]]


class ToponymRecord(TypedDict):
    """CONTRACT.md's toponym output (``eventwire geoparse``), one place mention."""

    doc_id: str
    text: str
    start: int
    end: int
    resolved_place: str | None
    geonameid: int | None
    lat: float | None
    lon: float | None
    country_code: str | None
    feature_class: str | None
    feature_code: str | None
    province: str | None
    resolution: int | None


@dataclass(slots=True)
class Dateline:
    """The place (and optional agency) a report was filed from: ``ERBIL, Kurdistan Region –``."""

    place: str
    start: int
    end: int
    region: str | None = None
    agency: str | None = None


@dataclass(slots=True)
class Document:
    """One input news report."""

    id: str
    text: str
    publication_date: date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    dateline: Dateline | None = None
    # web documents (CONTRACT.md): the page's own canonical URL, its author, and the id of the
    # document this one is a syndicated or near-identical copy of (copies are stored, not coded)
    canonical_url: str | None = None
    author: str | None = None
    copy_of: str | None = None

    @property
    def content_hash(self) -> str:
        h = hashlib.sha256()
        h.update(self.text.encode("utf-8"))
        h.update(b"\0")
        h.update((self.publication_date.isoformat() if self.publication_date else "").encode())
        return h.hexdigest()


@dataclass(slots=True, frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(slots=True, frozen=True)
class Mention:
    """A span of the document text: an entity, trigger, toponym or time expression."""

    text: str
    start: int
    end: int
    label: str = ""


_WIDE_FEATURES = frozenset({"MTS", "DSRT", "PEN", "ISLS", "PLAT", "VAL", "PLN", "ISL"})


@dataclass(slots=True)
class Place:
    """A gazetteer entry a toponym resolved to (GeoNames-style fields, alpha-3 country)."""

    name: str
    lat: float | None
    lon: float | None
    country_code: str | None  # ISO 3166 alpha-3
    geonameid: int | None = None
    feature_class: str | None = None
    feature_code: str | None = None
    country: str | None = None
    province: str | None = None  # first-order admin unit name
    district: str | None = None
    population: int = 0
    source: str = "geonames"

    @property
    def resolution(self) -> int:
        """PLOVER resolution: 5 sub-city, 4 city, 3 district, 2 province, 1 country."""
        fc, code = self.feature_class or "", self.feature_code or ""
        if code.startswith("PCL") or code in ("TERR", "CONT", "OCN", "SEA"):
            return 1
        if fc in ("L", "H") or code in _WIDE_FEATURES:
            return 2  # regions, rivers, lakes, ranges, deserts: about a province's extent
        if code == "ADM1":
            return 2
        if code in ("ADM2", "ADM3", "ADM4"):
            return 3
        if fc == "P" and code not in ("PPLX",):
            return 4
        if fc == "A":
            return 2
        return 5


@dataclass(slots=True)
class Toponym:
    """A place mention in the text and the place it resolved to (None when unresolved)."""

    mention: Mention
    place: Place | None
    score: float = 0.0
    # how precisely the mention is located when that differs from its place's own resolution: a
    # village outside the gazetteer stands at its district ("X village, Y district": 3)
    resolution: int | None = None

    @property
    def precision(self) -> int | None:
        """PLOVER resolution of this mention's location (5 sub-city .. 1 country)."""
        if self.resolution is not None:
            return self.resolution
        return self.place.resolution if self.place is not None else None

    def to_dict(self, doc_id: str) -> ToponymRecord:
        p = self.place
        return {
            "doc_id": doc_id,
            "text": self.mention.text,
            "start": self.mention.start,
            "end": self.mention.end,
            "resolved_place": p.name if p else None,
            "geonameid": p.geonameid if p else None,
            "lat": p.lat if p else None,
            "lon": p.lon if p else None,
            "country_code": p.country_code if p else None,
            "feature_class": p.feature_class if p else None,
            "feature_code": p.feature_code if p else None,
            "province": p.province if p else None,
            "resolution": self.precision,
        }


@dataclass(slots=True, frozen=True)
class TimeExpression:
    """A date expression in the text, resolved against the publication date."""

    mention: Mention
    date: Day | None
    enddate: Day | None
    precision: DatePrecision | None
    relation: Literal["at", "since", "until", "before", "after"] = "at"


@dataclass(slots=True)
class EventDate:
    date: Day | None = None
    enddate: Day | None = None
    precision: DatePrecision | None = None
    source: DateSource | None = None
    expression: Mention | None = None


@dataclass(slots=True)
class Size:
    dead: int | None = None
    injured: int | None = None
    arrested: int | None = None

    def is_empty(self) -> bool:
        return self.dead is None and self.injured is None and self.arrested is None


@dataclass(slots=True, frozen=True)
class CasualtyMention:
    """A reported count of people killed, injured or arrested (``kind``), with its evidence."""

    kind: Literal["dead", "injured", "arrested"]
    count: int | None  # None: casualties reported without a number ("several")
    mention: Mention  # the number phrase
    verb: Mention  # the verb or noun that says what happened to them ("killed", "injuries")
    victims: str = ""  # the head phrase describing who ("Iraqi soldiers")


@dataclass(slots=True)
class Actor:
    """An actor or recipient: PLOVER entity object."""

    entity_text: str
    code: str | None = None  # ISO 3166 alpha-3 or IGO/UNO/EUR/NGO ...
    sector: str | None = None  # PLOVER sector code
    identifier_text: str | None = None
    start: int | None = None
    end: int | None = None

    @classmethod
    def from_plover(cls, d: Mapping[str, Any]) -> Actor:
        """An entity object of a PLOVER record (``to_plover``'s shape); offsets are not in it."""
        return cls(
            entity_text=str(d.get("entity_text") or ""), code=d.get("code"), sector=d.get("sector"),
            identifier_text=d.get("identifier_text"),
        )

    def to_plover(self) -> PloverActor:
        out: PloverActor = {
            "entity_text": self.entity_text,
            "code": self.code,
            "sector": self.sector,
        }
        if self.identifier_text:
            out["identifier_text"] = self.identifier_text
        return out


@dataclass(slots=True)
class EventLocation:
    """PLOVER ``event_loc`` object."""

    extracted_place: str
    resolved_place: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    district: str | None = None
    province: str | None = None
    country: str | None = None
    country_code: str | None = None
    feature_class: str | None = None
    feature_code: str | None = None
    resolution: int | None = None

    @classmethod
    def from_place(cls, extracted: str, place: Place, resolution: int | None = None) -> EventLocation:
        return cls(
            extracted_place=extracted,
            resolved_place=place.name,
            geonameid=place.geonameid,
            lat=place.lat,
            lon=place.lon,
            district=place.district,
            province=place.province,
            country=place.country,
            country_code=place.country_code,
            feature_class=place.feature_class,
            feature_code=place.feature_code,
            resolution=resolution if resolution is not None else place.resolution,
        )

    def to_plover(self) -> PloverPlace:
        return {
            "extracted_place": self.extracted_place, "resolved_place": self.resolved_place,
            "geonameid": self.geonameid, "lat": self.lat, "lon": self.lon, "district": self.district,
            "province": self.province, "country": self.country, "country_code": self.country_code,
            "feature_class": self.feature_class, "feature_code": self.feature_code, "resolution": self.resolution,
        }  # fmt: skip

    @classmethod
    def from_plover(cls, d: Mapping[str, Any]) -> EventLocation:
        """A PLOVER ``event_loc`` object (keys it lacks are null; unknown keys are dropped)."""
        return cls(
            extracted_place=str(d.get("extracted_place") or ""), resolved_place=d.get("resolved_place"),
            geonameid=d.get("geonameid"), lat=d.get("lat"), lon=d.get("lon"), district=d.get("district"),
            province=d.get("province"), country=d.get("country"), country_code=d.get("country_code"),
            feature_class=d.get("feature_class"), feature_code=d.get("feature_code"), resolution=d.get("resolution"),
        )  # fmt: skip


@dataclass(slots=True)
class Event:
    """One coded event: PLOVER fields plus CAMEO/ACLED codes, evidence and confidence."""

    doc_id: str
    event: list[str]
    mode: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    actor: list[Actor] = field(default_factory=list)
    recipient: list[Actor] = field(default_factory=list)
    event_loc: EventLocation | None = None
    date: EventDate = field(default_factory=EventDate)
    size: Size = field(default_factory=Size)
    event_text: list[str] = field(default_factory=list)
    triggers: list[Mention] = field(default_factory=list)
    sentence: Sentence | None = None
    cameo: str | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    quad_code: int | None = None
    confidence: float = 0.5
    reciprocal: bool = False
    id: str = ""
    # spans of the text behind fields the other attributes carry no offsets for: "place" (the
    # toponym of ``event_loc``), "dead", "injured", "arrested" (the count and its verb)
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    # how the event was found, for the confidence model (not part of the output record)
    features: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    @property
    def primary(self) -> str:
        return self.event[0]

    def assign_id(self) -> str:
        """A stable id: a hash of the document id and the evidence offsets and type."""
        key = "|".join(
            [
                self.doc_id,
                self.primary,
                ",".join(f"{t.start}-{t.end}" for t in self.triggers),
                str(self.sentence.start if self.sentence else ""),
            ]
        )
        self.id = "ew-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
        return self.id

    def evidence(self) -> dict[str, list[list[int]]]:
        """Character offsets ``[start, end]`` in the document text of the words behind each
        field: ``event`` (the triggers), ``actor``, ``recipient``, ``date`` (the date
        expression), ``place`` and the casualty counts ``dead``, ``injured``, ``arrested``.
        Fields with nothing in the text behind them (a date taken from the publication date, a
        place that is the fallback country) have no entry."""
        out: dict[str, list[list[int]]] = {"event": [[t.start, t.end] for t in self.triggers]}
        for role, actors in (("actor", self.actor), ("recipient", self.recipient)):
            spans = [[a.start, a.end] for a in actors if a.start is not None and a.end is not None]
            if spans:
                out[role] = spans
        expr = self.date.expression
        if expr is not None and self.date.source == "text":
            out["date"] = [[expr.start, expr.end]]
        for key, pairs in self.spans.items():
            if pairs:
                out[key] = [[s, e] for s, e in pairs]
        return out

    def to_plover(self) -> PloverEvent:
        d = self.date
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "date": d.date.isoformat() if d.date else None,
            "enddate": d.enddate.isoformat() if d.enddate else None,
            "date_precision": d.precision,
            "date_source": d.source,
            "event": list(self.event),
            "mode": list(self.mode),
            "context": list(self.context),
            "actor": [a.to_plover() for a in self.actor],
            "recipient": [a.to_plover() for a in self.recipient],
            "event_loc": self.event_loc.to_plover() if self.event_loc else None,
            "size": {
                "dead": self.size.dead,
                "injured": self.size.injured,
                "arrested": self.size.arrested,
            },
            "event_text": list(self.event_text),
            "text_info": {
                "sequence": self.sentence.index if self.sentence else None,
                "start": self.sentence.start if self.sentence else None,
                "end": self.sentence.end if self.sentence else None,
            },
            "trigger_offsets": [[t.start, t.end] for t in self.triggers],
            "evidence": self.evidence(),
            "cameo": self.cameo,
            "acled_event_type": self.acled_event_type,
            "acled_sub_event_type": self.acled_sub_event_type,
            "quad_code": self.quad_code,
            "confidence": round(self.confidence, 3),
            "reciprocal": self.reciprocal,
        }

    @classmethod
    def from_plover(cls, record: Mapping[str, Any]) -> Event:
        """The event of a PLOVER record: the one parser of the shape ``to_plover`` writes (extract's
        JSON Lines, the store's records, the API's), so that ``Event.from_plover(r).to_plover()
        == r`` for every record ``to_plover`` wrote.  The words behind the offsets are not in the
        record: triggers come back as offsets only, and the evidence of the fields that keep no
        offsets of their own (actors, the date expression) is kept in ``spans``.  Keys the record
        does not know are dropped; a malformed value raises ``ValueError`` naming its field."""
        with _naming(record):
            return _event_from_plover(record)


@contextlib.contextmanager
def _naming(record: Mapping[str, Any]) -> Iterator[None]:
    """Any error reading ``record`` as one ``ValueError`` naming the record and the problem."""
    try:
        yield
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        rid = record.get("id") if isinstance(record, Mapping) else None
        raise ValueError(f"PLOVER record {rid or '(no id)'}: {_problem(exc)}") from None


def _problem(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _day(value: Any, name: str) -> date | None:
    try:
        return as_date(value) if value != "" else None
    except ValueError:
        raise ValueError(f"{name} {str(value)[:20]!r} is not a date YYYY-MM-DD") from None


def _spans(value: Any, name: str) -> list[tuple[int, int]]:
    out = []
    for pair in value or ():
        s, e = pair
        if not isinstance(s, int) or not isinstance(e, int):
            raise ValueError(f"{name} offsets must be whole numbers")
        out.append((s, e))
    return out


def _str_list(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise ValueError(f"{name} must be a list of strings")
    return list(value)


def _event_from_plover(r: Mapping[str, Any]) -> Event:
    types = _str_list(r["event"], "event")
    if not types:
        raise ValueError("event must name at least one type")
    info = r.get("text_info") or {}
    seq, start, end = info.get("sequence"), info.get("start"), info.get("end")
    sentence = None
    if seq is not None and start is not None and end is not None:
        sentence = Sentence(int(seq), int(start), int(end), "")
    offsets = r.get("trigger_offsets")
    triggers = [Mention("", s, e) for s, e in _spans(offsets, "trigger_offsets")]
    spans: dict[str, list[tuple[int, int]]] = {}
    for key, value in (r.get("evidence") or {}).items():
        pairs = _spans(value, f"evidence.{key}")
        if key != "event" or pairs != [(t.start, t.end) for t in triggers]:
            spans[str(key)] = pairs
    size = r.get("size") or {}
    loc = r.get("event_loc")
    return Event(
        doc_id=r.get("doc_id") or "",
        event=types,
        mode=_str_list(r.get("mode"), "mode"),
        context=_str_list(r.get("context"), "context"),
        actor=[Actor.from_plover(a) for a in r.get("actor") or ()],
        recipient=[Actor.from_plover(a) for a in r.get("recipient") or ()],
        event_loc=EventLocation.from_plover(loc) if loc else None,
        date=EventDate(
            _day(r.get("date"), "date"), _day(r.get("enddate"), "enddate"), r.get("date_precision"),
            r.get("date_source"),
        ),
        size=Size(size.get("dead"), size.get("injured"), size.get("arrested")),
        event_text=_str_list(r.get("event_text"), "event_text"),
        triggers=triggers,
        sentence=sentence,
        cameo=r.get("cameo"),
        acled_event_type=r.get("acled_event_type"),
        acled_sub_event_type=r.get("acled_sub_event_type"),
        quad_code=r.get("quad_code"),
        confidence=float(r.get("confidence") or 0.0),
        reciprocal=bool(r.get("reciprocal")),
        id=str(r.get("id") or ""),
        spans=spans,
    )


@dataclass(slots=True)
class Review:
    """CONTRACT.md's ``review`` of a stored report: its status, who reviewed it and when (ISO 8601,
    UTC), and why it needs another look (``flag``; None when it does not)."""

    status: ReviewStatus = "unreviewed"
    by: str | None = None
    at: str | None = None
    flag: str | None = None

    def to_plover(self) -> PloverReview:
        return {"status": self.status, "by": self.by, "at": self.at, "flag": self.flag}

    @classmethod
    def from_plover(cls, d: Mapping[str, Any] | None) -> Review:
        """A ``review`` object (None: unreviewed); ``ValueError`` when it is not one."""
        d = d or {}
        if not isinstance(d, Mapping):
            raise ValueError("review must be an object")
        status = d.get("status") or "unreviewed"
        if status not in ("unreviewed", "confirmed", "rejected", "corrected"):
            raise ValueError(f"review status {str(status)[:20]!r} is not unreviewed, confirmed, rejected or corrected")
        return cls(cast(ReviewStatus, status), d.get("by"), d.get("at"), d.get("flag"))


@dataclass(slots=True)
class StoredEvent:
    """A report as the store holds it: the coder's event (with a reviewer's corrections applied),
    its review and, when read with it, the canonical event it was merged into (None: not merged,
    as modal and rejected reports are)."""

    event: Event
    review: Review = field(default_factory=Review)
    canonical_id: str | None = None

    @property
    def id(self) -> str:
        return self.event.id

    def to_plover(self) -> PloverEvent:
        out = self.event.to_plover()
        out["review"] = self.review.to_plover()
        out["canonical_id"] = self.canonical_id
        return out

    @classmethod
    def from_plover(cls, record: Mapping[str, Any]) -> StoredEvent:
        """A stored report's record; ``ValueError`` naming the field when a value is malformed."""
        event = Event.from_plover(record)
        with _naming(record):
            return cls(event, Review.from_plover(record.get("review")), record.get("canonical_id"))


@dataclass(slots=True)
class ReportRef:
    """One report behind a canonical event, as the canonical record lists it."""

    doc_id: str | None
    event_id: str | None
    publication_date: str | None = None
    text_info: dict[str, int | None] | None = None
    event_text: list[str] | None = None

    def to_plover(self) -> PloverReportRef:
        return {
            "doc_id": self.doc_id, "event_id": self.event_id, "publication_date": self.publication_date,
            "text_info": self.text_info, "event_text": self.event_text,
        }  # fmt: skip

    @classmethod
    def from_plover(cls, d: Mapping[str, Any]) -> ReportRef:
        if not isinstance(d, Mapping):
            raise ValueError("reports must hold objects")
        info = d.get("text_info")
        text = d.get("event_text")
        return cls(
            d.get("doc_id"), d.get("event_id"), d.get("publication_date"),
            dict(info) if info is not None else None, list(text) if text is not None else None,
        )  # fmt: skip


@dataclass(slots=True)
class CanonicalEvent:
    """A merged event: the fields reconciled from its reports (``eventwire.merge``), the number of
    reports and a summary of each.  Its PLOVER record has no trigger offsets or evidence (those
    belong to the reports)."""

    event: Event
    n_reports: int
    reports: list[ReportRef] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.event.id

    def to_plover(self) -> PloverEvent:
        out = self.event.to_plover()
        del out["trigger_offsets"], out["evidence"]
        out["n_reports"] = self.n_reports
        out["reports"] = [r.to_plover() for r in self.reports]
        return out

    @classmethod
    def from_plover(cls, record: Mapping[str, Any]) -> CanonicalEvent:
        """A merged event's record; ``ValueError`` naming the field when a value is malformed."""
        event = Event.from_plover(record)
        with _naming(record):
            reports = record.get("reports") or []
            if not isinstance(reports, list):
                raise ValueError("reports must be a list")
            return cls(event, int(record.get("n_reports") or 0), [ReportRef.from_plover(r) for r in reports])


Record: TypeAlias = Event | StoredEvent | CanonicalEvent
"""What the output writers and the evaluators take: a coded event, a stored report or a merged event."""


def record_from_plover(record: Mapping[str, Any]) -> Record:
    """The typed record of a PLOVER record of any kind: merged events carry ``n_reports``, stored
    reports ``review`` or ``canonical_id``."""
    if "n_reports" in record:
        return CanonicalEvent.from_plover(record)
    if "review" in record or "canonical_id" in record:
        return StoredEvent.from_plover(record)
    return Event.from_plover(record)


def event_of(record: Record) -> Event:
    """The coded event of any record."""
    return record if isinstance(record, Event) else record.event
