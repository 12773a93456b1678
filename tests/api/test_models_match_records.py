"""The HTTP API's response models (pydantic, with descriptions for the OpenAPI document) describe
the same JSON as the typed records: every key a record's JSON shape has is in the model and the
model has no field the records do not write, with the same value types.  The typed records are
the source of truth (``eventwire.model``'s PLOVER shapes, the store's views); a field added there
and not here fails this test."""

from __future__ import annotations

import typing
from types import NoneType, UnionType

import pytest
from pydantic import BaseModel

from eventwire import model
from eventwire import store as st
from eventwire.api import models as M

PAIRS = [
    (M.PloverEvent, model.PloverEvent),
    (M.Entity, model.PloverActor),
    (M.EventLoc, model.PloverPlace),
    (M.EventSize, model.PloverSize),
    (M.TextInfo, model.PloverTextInfo),
    (M.ReviewState, model.PloverReview),
    (M.DocumentRef, st.query.DocumentRef),
    (M.Report, st.ReportDetail),
    (M.EventDetail, st.EventDetail),
    (M.Toponym, st.query.ToponymDetail),
    (M.DocumentDetail, st.DocumentDetail),
    (M.ReportRef, model.PloverReportRef),
]
# where the API's model is more precise than the record's type, and why that is the same JSON
FINER = {
    "evidence": "the API names the keys of the record's dict of spans (event, actor, recipient, date, place, ...)",
    "reason": "the API leaves the merge reason a JSON object (rule, score, checks)",
}
# the model's type for a record's type where the two are written differently
SAME = {
    model.PloverActor: M.Entity, model.PloverPlace: M.EventLoc, model.PloverSize: M.EventSize,
    model.PloverTextInfo: M.TextInfo, model.PloverReview: M.ReviewState, model.PloverEvent: M.PloverEvent,
    st.query.DocumentRef: M.DocumentRef, st.ReportDetail: M.Report, st.query.ToponymDetail: M.Toponym,
    model.PloverReportRef: M.ReportRef,
}  # fmt: skip


def _shape(t: object) -> object:
    """A comparable form of a type: unions as sets without None, records as their API model,
    lists and tuples of pairs alike (both are JSON arrays)."""
    origin = typing.get_origin(t)
    if t in SAME:
        return SAME[t]
    if origin in (UnionType, typing.Union):
        parts = {_shape(a) for a in typing.get_args(t) if a is not NoneType}
        return parts.pop() if len(parts) == 1 else frozenset(parts)
    if origin is typing.Literal:
        return frozenset(typing.get_args(t))
    if origin in (list, tuple):
        args = set(typing.get_args(t)) - {Ellipsis}
        return ("array", _shape(args.pop()) if len(args) == 1 else frozenset(_shape(a) for a in args))
    if origin is dict:
        return ("object", *(_shape(a) for a in typing.get_args(t)))
    return t


@pytest.mark.parametrize(("api_model", "record"), PAIRS, ids=lambda x: getattr(x, "__name__", str(x)))
def test_the_api_model_describes_the_record_json(api_model: type[BaseModel], record: type) -> None:
    keys = typing.get_type_hints(record)
    fields = {name: f.annotation for name, f in api_model.model_fields.items()}
    assert set(keys) == set(fields), f"record only: {set(keys) - set(fields)}; API only: {set(fields) - set(keys)}"
    differ = {k: (keys[k], fields[k]) for k in keys if _shape(keys[k]) != _shape(fields[k]) and k not in FINER}
    assert not differ, differ


def test_the_comparison_sees_a_difference() -> None:
    assert _shape(list[int]) != _shape(list[str])
    assert _shape(int | None) == _shape(int)
    assert _shape(list[model.PloverActor]) == _shape(list[M.Entity])
