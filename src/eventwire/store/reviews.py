"""Reviews of events: what a reviewer may change, how a correction applies to a record, and how
reviews follow their events when a document is coded again.

A review belongs to one event and keeps, apart from the event's row, the coder's own output
(``coder``: the record's fields as coded), the reviewer's corrections by field, a status
(confirmed, rejected, corrected) and an anchor that finds the event again: the document, its
content hash, the evidence sentence and trigger offsets and the sentence's text.  The event's row
always holds the coder's output with the corrections applied, so filters, pages, exports and
merging all see the corrected values, and the coder's values stay readable in the review.

When a document is coded again (``Store.add_results`` of a changed document, or ``recode``),
its old events are deleted and the new ones written; ``reattach`` runs in between, in the same
transaction: each review is matched to the new event whose evidence overlaps its anchor (offsets
carried over to the new text where the text changed), its corrections are applied to that event,
and it is flagged for another look when the document's text changed, or when the coder now gives
a value that is neither its old one nor the reviewer's.  A review whose event is not found again
keeps everything and is flagged (rejected ones excepted: the coder agrees with the reviewer).

This module depends on the schema and the core model only; the operations that need the rest of
the store (``Reviews``) are in ``store.reviewing``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, insert, or_, select, update

from eventwire.model import Document
from eventwire.store import schema as S

STATUSES = ("unreviewed", "confirmed", "rejected", "corrected")
# what a reviewer may correct, by the names the API and the history use
FIELDS = (
    "type", "mode", "actor", "recipient", "place", "date", "dead", "injured", "arrested",
    "acled_event_type", "acled_sub_event_type",
)  # fmt: skip
# fields whose correction can change which merged event a report belongs to
MERGE_FIELDS = frozenset({"type", "place", "date", "actor", "recipient"})
# the parts of a record the coder wrote that corrections replace (kept in ``reviews.coder``)
CODER_KEYS = (
    "event", "mode", "actor", "recipient", "event_loc", "date", "enddate", "date_precision", "date_source",
    "size", "acled_event_type", "acled_sub_event_type", "cameo", "quad_code", "evidence",
)  # fmt: skip
# evidence offsets that no longer point at the value once a field is corrected
EVIDENCE_OF = {"place": "place", "date": "date", "actor": "actor", "recipient": "recipient",
               "dead": "dead", "injured": "injured", "arrested": "arrested"}  # fmt: skip
SYSTEM = "eventwire"  # who makes the changes that re-coding brings
MAX_NOTE = 2000
MAX_ENTITIES = 20
_CODE = re.compile(r"^[A-Z]{3}$")
_MODE = re.compile(r"^[a-z][a-z-]{0,39}$")
_PLACE_KEYS = frozenset({
    "extracted_place", "resolved_place", "geonameid", "lat", "lon", "district", "province", "country",
    "country_code", "feature_class", "feature_code", "resolution",
})  # fmt: skip


class ReviewError(ValueError):
    """A review request that cannot be applied; the message says why (one line)."""


def dump(value: Any) -> str:
    """A history value as JSON text."""
    return orjson.dumps(value).decode()


def load(text: str | None) -> Any:
    return None if text is None else orjson.loads(text)


def now() -> datetime:
    return datetime.now(UTC)


def iso(at: datetime | None) -> str | None:
    if at is None:
        return None
    if at.tzinfo is None:  # SQLite keeps no zone: the store writes UTC
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# -- values of fields ----------------------------------------------------------------------------
def field_values(record: Mapping[str, Any]) -> dict[str, Any]:
    """The reviewable fields of a PLOVER record, by the names of ``FIELDS``."""
    size = record.get("size") or {}
    return {
        "type": list(record.get("event") or []),
        "mode": list(record.get("mode") or []),
        "actor": [_entity_value(a) for a in record.get("actor") or []],
        "recipient": [_entity_value(a) for a in record.get("recipient") or []],
        "place": dict(record["event_loc"]) if record.get("event_loc") else None,
        "date": {"date": record.get("date"), "enddate": record.get("enddate"),
                 "date_precision": record.get("date_precision")},
        "dead": size.get("dead"), "injured": size.get("injured"), "arrested": size.get("arrested"),
        "acled_event_type": record.get("acled_event_type"),
        "acled_sub_event_type": record.get("acled_sub_event_type"),
    }  # fmt: skip


def _entity_value(a: Mapping[str, Any]) -> dict[str, Any]:
    out = {"entity_text": a.get("entity_text"), "code": a.get("code"), "sector": a.get("sector")}
    if a.get("identifier_text"):
        out["identifier_text"] = a["identifier_text"]
    return out


def same_value(name: str, a: Any, b: Any) -> bool:
    """Whether two values of field ``name`` say the same (places by their place, not by the
    words they were read from)."""
    if name == "place":
        if not a or not b:
            return not a and not b
        if a.get("geonameid") is not None or b.get("geonameid") is not None:
            return bool(a.get("geonameid") == b.get("geonameid"))
        return (a.get("resolved_place"), a.get("country_code"), a.get("lat"), a.get("lon")) == (
            b.get("resolved_place"), b.get("country_code"), b.get("lat"), b.get("lon"))
    if name in ("actor", "recipient"):
        def key(xs: list[dict[str, Any]] | None) -> list[tuple[str, str, str]]:
            return sorted((x.get("entity_text") or "", x.get("code") or "", x.get("sector") or "") for x in xs or [])

        return key(a) == key(b)
    if name == "mode":
        return sorted(a or []) == sorted(b or [])
    return bool(a == b)


def coder_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of ``record`` that corrections replace, as the coder wrote them."""
    return {k: record.get(k) for k in CODER_KEYS}


def apply_corrections(record: Mapping[str, Any], corrections: Mapping[str, Any]) -> dict[str, Any]:
    """``record`` with the reviewer's ``corrections`` (validated values by field) applied.  A
    corrected type sets the quad code and CAMEO root of the new type and clears the ACLED types
    unless they are corrected too; a corrected field loses the coder's evidence offsets."""
    from eventwire.ontology import CAMEO_ROOTS, QUAD_CODES

    rec = dict(record)
    rec["size"] = dict(rec.get("size") or {})
    evidence = dict(rec.get("evidence") or {})
    for name, value in corrections.items():
        if name == "type":
            rec["event"] = list(value)
            rec["quad_code"] = QUAD_CODES.get(value[0])
            rec["cameo"] = CAMEO_ROOTS.get(value[0])
            for k in ("acled_event_type", "acled_sub_event_type"):
                if k not in corrections:
                    rec[k] = None
        elif name == "mode":
            rec["mode"] = list(value)
        elif name in ("actor", "recipient"):
            rec[name] = [dict(a) for a in value]
        elif name == "place":
            rec["event_loc"] = dict(value) if value else None
        elif name == "date":
            rec["date"], rec["enddate"] = value["date"], value["enddate"]
            rec["date_precision"] = value["date_precision"] if value["date"] else None
            rec["date_source"] = "text" if value["date"] else None
        elif name in ("dead", "injured", "arrested"):
            rec["size"][name] = value
        elif name in ("acled_event_type", "acled_sub_event_type"):
            rec[name] = value
        if name in EVIDENCE_OF:
            evidence.pop(EVIDENCE_OF[name], None)
    rec["evidence"] = evidence
    return rec


# -- validating what a reviewer sends ------------------------------------------------------------
@dataclass(slots=True)
class ReviewChange:
    """One reviewer's change to one event: a status and/or corrections, corrections withdrawn,
    links to other events, a note."""

    status: str | None = None
    corrections: dict[str, Any] = field(default_factory=dict)
    revert: tuple[str, ...] = ()
    same: tuple[str, ...] = ()  # events that are the same real-world event
    different: tuple[str, ...] = ()  # events that are other real-world events
    unlink: tuple[str, ...] = ()  # links to these events withdrawn
    note: str | None = None

    def empty(self) -> bool:
        return not (self.status or self.corrections or self.revert or self.same or self.different
                    or self.unlink or self.note)  # fmt: skip


_ALIASES = {"event": "type", "event_loc": "place"}
_KEYS = frozenset(FIELDS) | frozenset(_ALIASES) | {
    "status", "size", "enddate", "date_precision", "revert", "same_event", "different_event", "unlink", "note",
}


def change_from_json(body: Any, resolve_place: Callable[[str, Mapping[str, Any] | None], dict[str, Any]] | None = None) -> ReviewChange:  # noqa: C901 - one case per field a review may correct
    """A ``ReviewChange`` from a JSON object: ``status``; corrections by field (``type`` or
    ``event``, ``mode``, ``actor``, ``recipient``, ``place`` or ``event_loc``, ``date`` (with
    ``enddate``, ``date_precision``), ``dead``, ``injured``, ``arrested`` or ``size``,
    ``acled_event_type``, ``acled_sub_event_type``); ``revert`` (fields whose correction is
    withdrawn); ``same_event``, ``different_event``, ``unlink`` (event ids); ``note``.  A place
    given as a name is resolved by ``resolve_place(name, hint)``.  ``ReviewError`` names the
    first problem."""
    if not isinstance(body, dict):
        raise ReviewError("the body must be a JSON object")
    unknown = sorted(k for k in body if k not in _KEYS)
    if unknown:
        raise ReviewError(f"unknown field {unknown[0]!r} (fields: status, {', '.join(FIELDS)}, size, revert, "
                          "same_event, different_event, unlink, note)")  # fmt: skip
    ch = ReviewChange()
    if "status" in body:
        status = body["status"]
        if status not in STATUSES:
            raise ReviewError(f"'status' must be one of {', '.join(STATUSES)} (got {str(status)[:40]!r})")
        ch.status = status
    for key, value in body.items():
        name = _ALIASES.get(key, key)
        if name in ("type", "mode", "actor", "recipient", "acled_event_type", "acled_sub_event_type"):
            if name in ch.corrections:
                raise ReviewError(f"'{name}' given twice")
            ch.corrections[name] = _valid(name, value)
        elif name == "place":
            if "place" in ch.corrections:
                raise ReviewError("'place' given twice (place and event_loc)")
            place = value
            if isinstance(value, str):
                if resolve_place is None:
                    raise ReviewError("'place': give the place as an object (resolved_place, lat, lon, country_code)")
                place = resolve_place(value, None)
            elif isinstance(value, dict) and set(value) <= {"name", "geonameid", "country_code"} and value.get("name"):
                if resolve_place is None:
                    raise ReviewError("'place': no gazetteer here to look the name up")
                place = resolve_place(str(value["name"]), value)
            ch.corrections["place"] = _valid_place(place)
    if "date" in body or "enddate" in body or "date_precision" in body:
        ch.corrections["date"] = _valid_date(body.get("date"), body.get("enddate"), body.get("date_precision"))
    counts = {k: body[k] for k in ("dead", "injured", "arrested") if k in body}
    if "size" in body:
        if not isinstance(body["size"], dict) or set(body["size"]) - {"dead", "injured", "arrested"}:
            raise ReviewError("'size' must be an object with dead, injured and/or arrested")
        for k, v in body["size"].items():
            if k in counts:
                raise ReviewError(f"'{k}' given twice (and in size)")
            counts[k] = v
    for k, v in counts.items():
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 10_000_000):
            raise ReviewError(f"'{k}' must be a whole number from 0 to 10,000,000, or null (got {str(v)[:20]!r})")
        ch.corrections[k] = v
    if "revert" in body:
        ch.revert = _names(body["revert"], "revert")
        both = set(ch.revert) & set(ch.corrections)
        if both:
            raise ReviewError(f"'{sorted(both)[0]}' is both corrected and reverted")
    ch.same = _ids(body.get("same_event"), "same_event")
    ch.different = _ids(body.get("different_event"), "different_event")
    ch.unlink = _ids(body.get("unlink"), "unlink")
    if set(ch.same) & set(ch.different):
        raise ReviewError("an event cannot be both the same event and a different one")
    if "note" in body and body["note"] is not None:
        if not isinstance(body["note"], str) or len(body["note"]) > MAX_NOTE:
            raise ReviewError(f"'note' must be text of at most {MAX_NOTE} characters")
        ch.note = " ".join(body["note"].split()) or None
    if ch.corrections and ch.status not in (None, "corrected"):
        raise ReviewError(f"corrections make the status 'corrected' (got status {ch.status!r})")
    if ch.empty():
        raise ReviewError("nothing to do: give a status, corrections, revert, links or a note")
    return ch


def _names(value: Any, what: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise ReviewError(f"'{what}' must be a field name or a list of them")
    out = tuple(dict.fromkeys(str(_ALIASES.get(x, x)) for x in items))
    bad = [x for x in out if x not in FIELDS]
    if bad:
        raise ReviewError(f"'{what}': {bad[0]!r} is not a field ({', '.join(FIELDS)})")
    return out


def _ids(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or len(items) > 50 or not all(isinstance(x, str) and 0 < len(x) <= 64 for x in items):
        raise ReviewError(f"'{what}' must be an event id or a list of at most 50 of them")
    return tuple(dict.fromkeys(items))


def _valid(name: str, value: Any) -> Any:
    from eventwire.ontology import ACLED_SUB_EVENT_TYPES, EVENT_TYPES

    if name == "type":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(isinstance(x, str) for x in items):
            raise ReviewError("'type' must be a PLOVER event type or a list of them, the primary one first")
        types = list(dict.fromkeys(x.strip().upper() for x in items))
        bad = [t for t in types if t not in EVENT_TYPES]
        if bad:
            raise ReviewError(f"'type': {bad[0][:30]!r} is not a PLOVER event type ({', '.join(EVENT_TYPES)})")
        return types
    if name == "mode":
        if not isinstance(value, list) or not all(isinstance(x, str) and _MODE.match(x) for x in value):
            raise ReviewError("'mode' must be a list of PLOVER modes (lower-case words)")
        return list(dict.fromkeys(value))
    if name in ("actor", "recipient"):
        if not isinstance(value, list) or len(value) > MAX_ENTITIES:
            raise ReviewError(f"'{name}' must be a list of at most {MAX_ENTITIES} entities")
        return [_valid_entity(name, i, a) for i, a in enumerate(value)]
    if name == "acled_event_type":
        if value is not None and value not in ACLED_SUB_EVENT_TYPES:
            raise ReviewError(f"'acled_event_type' must be one of ACLED's event types ({', '.join(ACLED_SUB_EVENT_TYPES)}) or null")
        return value
    if name == "acled_sub_event_type":
        known = {x for subs in ACLED_SUB_EVENT_TYPES.values() for x in subs}
        if value is not None and value not in known:
            raise ReviewError(f"'acled_sub_event_type': {str(value)[:40]!r} is not an ACLED sub-event type")
        return value
    raise ReviewError(f"'{name}' cannot be corrected")


def _valid_entity(role: str, i: int, a: Any) -> dict[str, Any]:
    where = f"'{role}'[{i}]"
    if isinstance(a, str):
        a = {"entity_text": a}
    if not isinstance(a, dict) or set(a) - {"entity_text", "code", "sector", "identifier_text"}:
        raise ReviewError(f"{where} must be an object with entity_text, code, sector (and identifier_text)")
    text = a.get("entity_text")
    if not isinstance(text, str) or not text.strip() or len(text) > 300:
        raise ReviewError(f"{where}: 'entity_text' must be a name of 1 to 300 characters")
    out: dict[str, Any] = {"entity_text": " ".join(text.split())}
    for key in ("code", "sector"):
        v = a.get(key)
        if v is not None:
            if not isinstance(v, str) or not _CODE.match(v.strip().upper()):
                raise ReviewError(f"{where}: '{key}' must be a three-letter code (got {str(v)[:20]!r})")
            v = v.strip().upper()
        out[key] = v
    if a.get("identifier_text") is not None:
        if not isinstance(a["identifier_text"], str) or len(a["identifier_text"]) > 300:
            raise ReviewError(f"{where}: 'identifier_text' must be text")
        out["identifier_text"] = a["identifier_text"]
    return out


def _valid_place(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ReviewError("'place' must be a place name, an object or null")
    extra = set(value) - _PLACE_KEYS
    if extra:
        raise ReviewError(f"'place': unknown key {sorted(extra)[0]!r}")
    name = value.get("resolved_place") or value.get("extracted_place")
    if not isinstance(name, str) or not name.strip() or len(name) > 300:
        raise ReviewError("'place' needs a name (resolved_place)")
    lat, lon = value.get("lat"), value.get("lon")
    if (lat is None) != (lon is None):
        raise ReviewError("'place': give both lat and lon, or neither")
    if lat is not None and lon is not None:
        ok = all(isinstance(x, int | float) and not isinstance(x, bool) and x == x for x in (lat, lon))  # noqa: PLR0124 - NaN
        if not ok or not (-90 <= float(lat) <= 90 and -180 <= float(lon) <= 180):
            raise ReviewError("'place': lat must be within -90..90 and lon within -180..180 degrees")
    cc = value.get("country_code")
    if cc is not None and (not isinstance(cc, str) or not _CODE.match(cc)):
        raise ReviewError("'place': country_code must be an ISO 3166 alpha-3 code")
    gid = value.get("geonameid")
    if gid is not None and (isinstance(gid, bool) or not isinstance(gid, int) or gid <= 0):
        raise ReviewError("'place': geonameid must be a positive whole number")
    res = value.get("resolution")
    if res is None:
        res = 4 if lat is not None else 1
    if isinstance(res, bool) or not isinstance(res, int) or not 1 <= res <= 5:
        raise ReviewError("'place': resolution must be 1 (country) to 5 (sub-city)")
    out: dict[str, Any] = {k: None for k in sorted(_PLACE_KEYS)}
    for k in _PLACE_KEYS:
        v = value.get(k)
        if isinstance(v, str):
            v = " ".join(v.split())[:300] or None
        out[k] = v
    out["resolved_place"] = out["resolved_place"] or out["extracted_place"]
    out["extracted_place"] = out["extracted_place"] or out["resolved_place"]
    out["lat"], out["lon"] = (None, None) if lat is None or lon is None else (float(lat), float(lon))
    out["resolution"] = res
    return out


def _valid_date(day: Any, end: Any, precision: Any) -> dict[str, Any]:
    def parse(v: Any, what: str) -> str | None:
        if v is None:
            return None
        try:
            if not isinstance(v, str) or len(v) != 10:
                raise ValueError
            return date.fromisoformat(v).isoformat()
        except ValueError:
            raise ReviewError(f"'{what}' must be a date YYYY-MM-DD or null (got {str(v)[:20]!r})") from None

    d, e = parse(day, "date"), parse(end, "enddate")
    if e is not None and (d is None or e < d):
        raise ReviewError("'enddate' needs a 'date' on or before it")
    if precision is None:
        precision = "day" if d else None
    elif precision not in ("day", "week", "month", "year"):
        raise ReviewError("'date_precision' must be day, week, month or year")
    if d is not None and not "1800-01-01" <= d <= "2199-12-31":
        raise ReviewError("'date' must be within the years 1800 to 2199")
    return {"date": d, "enddate": e, "date_precision": precision}


# -- anchors: finding an event again -------------------------------------------------------------
def anchor_of(record: Mapping[str, Any], text: str, content_hash: str) -> dict[str, Any]:
    """What finds the event of ``record`` again in a new coding of its document (``text``)."""
    info = record.get("text_info") or {}
    start, end = info.get("start"), info.get("end")
    sentence = [start, end] if start is not None and end is not None else None
    return {
        "content_hash": content_hash,
        "sentence": sentence,
        "sentence_text": text[start:end] if sentence else None,
        "triggers": [list(x) for x in record.get("trigger_offsets") or (record.get("evidence") or {}).get("event") or []],
        "type": (record.get("event") or [None])[0],
        "event_text": list(record.get("event_text") or []),
    }


class _OffsetMap:
    """Carries character offsets of an old text over to a new one (difflib's matching blocks)."""

    def __init__(self, old: str, new: str) -> None:
        sm = difflib.SequenceMatcher(None, old, new, autojunk=len(old) > 20_000)
        self.blocks = [b for b in sm.get_matching_blocks() if b.size]

    def __call__(self, x: int) -> int:
        prev_end_new = 0
        for a, b, size in self.blocks:
            if x < a:  # in a changed stretch: its start in the new text
                return prev_end_new
            if x < a + size:
                return b + (x - a)
            prev_end_new = b + size
        return prev_end_new


def _overlap(a: Sequence[int] | None, b: Sequence[int] | None) -> int:
    if not a or not b:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _mapped_anchor(anchor: Mapping[str, Any], old_text: str | None, old_hash: str | None, new_text: str,
                   cache: dict[str, Any]) -> tuple[list[int] | None, list[list[int]]]:  # fmt: skip
    """The anchor's sentence and trigger spans in ``new_text``."""
    sentence, triggers = anchor.get("sentence"), anchor.get("triggers") or []
    if anchor.get("content_hash") == old_hash and old_text is not None:
        if old_text == new_text:
            return sentence, [list(t) for t in triggers]
        if "map" not in cache:
            cache["map"] = _OffsetMap(old_text, new_text)
        m = cache["map"]
        return ([m(sentence[0]), m(sentence[1])] if sentence else None), [[m(s), m(e)] for s, e in triggers]
    # the anchor refers to an older text than the last one: find its sentence by its words
    said = anchor.get("sentence_text")
    if not said or not sentence:
        return None, []
    where = [i for i in _find_all(new_text, said)]
    if not where:
        return None, []
    at = min(where, key=lambda i: abs(i - sentence[0]))
    shift = at - sentence[0]
    return [sentence[0] + shift, sentence[1] + shift], [[s + shift, e + shift] for s, e in triggers]


def _find_all(text: str, needle: str) -> Iterable[int]:
    i = text.find(needle)
    while i >= 0:
        yield i
        i = text.find(needle, i + 1)


def _match_score(anchor: Mapping[str, Any], sentence: list[int] | None, triggers: list[list[int]],
                 rec: Mapping[str, Any]) -> float:  # fmt: skip
    rt = rec.get("trigger_offsets") or []
    info = rec.get("text_info") or {}
    rs = [info["start"], info["end"]] if info.get("start") is not None and info.get("end") is not None else None
    same_type = 1.0 if (rec.get("event") or [None])[0] == anchor.get("type") else 0.0
    if any(_overlap(t, r) for t in triggers for r in rt):
        return 4.0 + same_type
    if _overlap(sentence, rs):
        words = {w.lower() for t in anchor.get("event_text") or [] for w in t.split()}
        shared = 0.5 if words & {w.lower() for t in rec.get("event_text") or [] for w in t.split()} else 0.0
        return 1.0 + same_type + shared
    return 0.0


# -- the write path's hooks (called by Store._add_batch / _merge_batch) --------------------------
def reviewed_texts(conn: Connection, doc_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """(text, content hash) of those documents among ``doc_ids`` that have reviews, before they
    are replaced (one query; nothing when none has)."""
    if not doc_ids:
        return {}
    r, d = S.reviews.c, S.documents.c
    with_reviews = select(r.doc_id).where(r.doc_id.in_(list(doc_ids))).distinct()
    rows = conn.execute(select(d.id, d.text, d.content_hash).where(d.id.in_(with_reviews))).all()
    return {i: (t, h) for i, t, h in rows}


def reattach(conn: Connection, document: Document, records: list[dict[str, Any]], old_text: str, old_hash: str) -> None:
    """Attach the reviews of ``document`` to its new events ``records`` (PLOVER dicts, not yet
    written; changed in place: corrections applied, ``review`` set), flag what needs another
    look, and record it all in the history."""
    r = S.reviews.c
    rows = [dict(x) for x in conn.execute(select(S.reviews).where(r.doc_id == document.id).order_by(r.id)).mappings()]
    if not rows:
        return
    at = now()
    text_changed = old_hash != document.content_hash
    # the old events are gone: free their ids first (``event_id`` is unique)
    conn.execute(update(S.reviews).where(r.doc_id == document.id).values(event_id=None))
    cache: dict[str, Any] = {}
    pairs: list[tuple[float, int, int]] = []
    for i, rv in enumerate(rows):
        sentence, triggers = _mapped_anchor(rv["anchor"], old_text, old_hash, document.text, cache)
        for j, rec in enumerate(records):
            score = _match_score(rv["anchor"], sentence, triggers, rec)
            if score > 0:
                pairs.append((score, i, j))
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _score, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if i not in matched and j not in used:
            matched[i] = j
            used.add(j)
    history: list[dict[str, Any]] = []
    for i, rv in enumerate(rows):
        found = matched.get(i)
        status = rv["status"]
        if found is None:
            flag = None if status in ("rejected", "unreviewed") else "not found again when its document was coded again"
            note = "the event was not found again when its document was coded again"
            if flag != rv["flag"] or rv["event_id"] is not None:
                history.append({"review_id": rv["id"], "event_id": None, "at": at, "by": SYSTEM, "action": "lost",
                                "field": None, "old": None, "new": None, "note": note})  # fmt: skip
            conn.execute(update(S.reviews).where(r.id == rv["id"]).values(
                flag=flag, version=rv["version"] + 1, updated_at=at))  # fmt: skip
            continue
        rec = records[found]
        old_values = field_values(rv["coder"])
        new_coder = coder_record(rec)
        new_values = field_values(new_coder)
        changed = [f for f in FIELDS if not same_value(f, old_values[f], new_values[f])]
        corrections = rv["corrections"] or {}
        disagree = [
            f for f in changed
            if not same_value(f, new_values[f], corrections.get(f, old_values[f]))
        ]  # fmt: skip
        history.extend(
            {"review_id": rv["id"], "event_id": rec["id"], "at": at, "by": SYSTEM, "action": "recode",
             "field": f, "old": old_values[f], "new": new_values[f], "note": None}
            for f in changed
        )  # fmt: skip
        flag = rv["flag"]
        if status in ("confirmed", "corrected", "rejected") and text_changed:
            flag = "its document changed"
        elif status in ("confirmed", "corrected") and disagree:
            flag = "coded again: the coder now gives another " + ", ".join(disagree)
        if flag != rv["flag"]:
            history.append({"review_id": rv["id"], "event_id": rec["id"], "at": at, "by": SYSTEM, "action": "flag",
                            "field": None, "old": rv["flag"], "new": flag, "note": None})  # fmt: skip
        if rec["id"] != rv["event_id"] and not changed and rv["event_id"] is not None:
            history.append({"review_id": rv["id"], "event_id": rec["id"], "at": at, "by": SYSTEM, "action": "recode",
                            "field": None, "old": rv["event_id"], "new": rec["id"], "note": "new event id"})  # fmt: skip
        effective = apply_corrections(rec, corrections) if status != "unreviewed" else dict(rec)
        effective["review"] = review_object(status, rv["reviewed_by"], rv["reviewed_at"], flag)
        rec.clear()
        rec.update(effective)
        bump = bool(changed or flag != rv["flag"] or rv["event_id"] != rec["id"])
        conn.execute(update(S.reviews).where(r.id == rv["id"]).values(
            event_id=rec["id"], coder=new_coder, anchor=anchor_of(rec, document.text, document.content_hash),
            flag=flag, version=rv["version"] + int(bump), updated_at=at if bump else rv["updated_at"],
        ))  # fmt: skip
    if history:
        conn.execute(insert(S.review_history), [{**h, "old": dump(h["old"]), "new": dump(h["new"])} for h in history])


def review_object(status: str, by: str | None, at: datetime | None, flag: str | None) -> dict[str, Any] | None:
    """The ``review`` of a record (CONTRACT.md): status, who and when, and a flag."""
    if status == "unreviewed" and flag is None:
        return None
    return {"status": status, "by": by, "at": iso(at), "flag": flag}


def link_constraints(conn: Connection, event_ids: Sequence[str]) -> dict[str, dict[str, set[str]]]:
    """Reviewers' links of ``event_ids``: per event, the events said to be the ``same`` one and
    the ``different`` ones (one cheap query when no link exists at all)."""
    if not event_ids or conn.execute(select(S.review_links.c.review_a).limit(1)).first() is None:
        return {}
    r, lk = S.reviews.c, S.review_links.c
    ids = list(event_ids)
    mine = dict(conn.execute(select(r.id, r.event_id).where(r.event_id.in_(ids))).all())
    if not mine:
        return {}
    links = conn.execute(
        select(lk.review_a, lk.review_b, lk.relation).where(or_(lk.review_a.in_(list(mine)), lk.review_b.in_(list(mine))))
    ).all()
    others = {x for a, b, _ in links for x in (a, b)} - set(mine)
    event_of = dict(mine)
    if others:
        event_of.update(conn.execute(select(r.id, r.event_id).where(r.id.in_(sorted(others)))).all())
    out: dict[str, dict[str, set[str]]] = {}
    for a, b, relation in links:
        for me, other in ((a, b), (b, a)):
            if me in mine and event_of.get(other):
                out.setdefault(mine[me], {"same": set(), "different": set()})[relation].add(event_of[other])
    return out
