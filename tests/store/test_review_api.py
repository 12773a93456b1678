"""The review endpoints through the ASGI app, on SQLite and on a real PostgreSQL server: who may
write (401 without a token, 403 for a reader), corrections by place name and number, the
corrected event in the event, listing, CSV and GeoJSON answers, the history with the coder's and
the reviewer's values, the queue, the reviews made, and one-line errors."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from eventwire.api import ApiSettings, create_app
from eventwire.api import models as M
from eventwire.store import Store, Users


@pytest.fixture(params=["sqlite", "postgres"])
def served(request, ew):
    db = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "fresh_postgres_url")
    with Store(db) as s:
        for doc, evs in (ew.taji_a(), ew.taji_b(), ew.basra()):
            s.add_document(doc, evs)
        users = Users(s)
        tokens = {"alice": users.add("alice", "reviewer"), "rana": users.add("rana", "reader")}
    with TestClient(create_app(ApiSettings(db=db)), raise_server_exceptions=False) as client:
        yield client, tokens, db


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _error(resp, status: int) -> str:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error", "status"} and body["status"] == status and "\n" not in body["error"]
    return body["error"]


def test_only_reviewers_write_and_every_change_is_recorded(served, ew):
    client, tokens, _db = served
    a_id = ew.taji_a()[1][0].id
    _error(client.patch(f"/api/events/{a_id}", json={"status": "confirmed"}), 401)
    _error(client.patch(f"/api/events/{a_id}", json={"status": "confirmed"}, headers=_auth("ew_" + "x" * 43)), 401)
    assert "reviewer" in _error(client.patch(f"/api/events/{a_id}", json={"status": "confirmed"},
                                             headers=_auth(tokens["rana"])), 403)  # fmt: skip
    assert client.get("/api/me", headers=_auth(tokens["rana"])).json() == {"name": "rana", "roles": ["reader"]}
    assert client.get("/api/me", headers=_auth(tokens["alice"])).json()["roles"] == ["reader", "reviewer"]
    _error(client.get("/api/me"), 401)
    # a reviewer corrects the place (by name, looked up in the gazetteer) and the dead count
    resp = client.patch(f"/api/events/{a_id}", json={"place": "Baghdad", "dead": 4}, headers=_auth(tokens["alice"]))
    assert resp.status_code == 200, resp.text
    out = M.ReviewResult.model_validate(resp.json())
    assert out.event.size.dead == 4 and out.event.event_loc.geonameid == 98182
    assert out.event.review.status == "corrected" and out.event.review.by == "alice"
    assert out.review.corrected == ["place", "dead"] and out.review.coder["dead"] == 3
    # the event, the listing and the exports show it
    detail = client.get(f"/api/events/{a_id}").json()
    assert detail["event"]["size"]["dead"] == 4 and detail["event"]["review"]["status"] == "corrected"
    listed = client.get("/api/events", params={"review": "corrected"}).json()["events"]
    assert [e["id"] for e in listed] == [a_id] and listed[0]["event_loc"]["resolved_place"] == "Baghdad"
    rows = list(csv.DictReader(io.StringIO(client.get("/api/events", params={"format": "csv"}).text)))
    row = next(r for r in rows if r["event_id_cnty"] == a_id)
    assert (row["fatalities"], row["location"], row["review_status"], row["reviewed_by"]) == ("4", "Baghdad", "corrected", "alice")
    geo = client.get("/api/events", params={"format": "geojson"}).json()
    feat = next(f for f in geo["features"] if f["id"] == a_id)
    assert feat["geometry"]["coordinates"] == pytest.approx([44.40088, 33.34058], abs=1e-3)
    assert feat["properties"]["review"]["status"] == "corrected"
    # the history: the coder's value, the reviewer's, who and when
    hist = M.History.model_validate(client.get(f"/api/events/{a_id}/history").json())
    changes = {c.field: c for c in hist.changes if c.action == "correct"}
    assert changes["dead"].from_ == 3 and changes["dead"].to == 4 and changes["dead"].by == "alice"
    assert changes["place"].from_["resolved_place"] == "Camp Taji" and changes["place"].to["resolved_place"] == "Baghdad"
    assert changes["dead"].at and changes["dead"].at.endswith("Z")
    assert hist.coder["dead"] == 3


def test_queue_reviews_places_and_errors(served, ew):
    client, tokens, _db = served
    a_id, c_id = ew.taji_a()[1][0].id, ew.basra()[1][0].id
    q = M.QueuePage.model_validate(client.get("/api/review/queue", params={"limit": 2}).json())
    assert len(q.events) == 2 and q.next is not None
    assert [e.confidence for e in q.events] == sorted(e.confidence for e in q.events)
    rest = client.get("/api/review/queue", params={"after": q.next}).json()
    assert len(rest["events"]) == 1 and rest["next"] is None
    hdr = _auth(tokens["alice"])
    assert client.patch(f"/api/events/{c_id}", json={"status": "rejected", "note": "not an attack"}, headers=hdr).status_code == 200
    assert c_id not in {e["id"] for e in client.get("/api/review/queue").json()["events"]}
    assert c_id not in {e["id"] for e in client.get("/api/events").json()["events"]}
    assert [e["id"] for e in client.get("/api/events", params={"review": "rejected"}).json()["events"]] == [c_id]
    reviews = M.ReviewList.model_validate(client.get("/api/reviews").json())
    assert [r.event_id for r in reviews.reviews] == [c_id] and reviews.counts["rejected"] == 1
    places = client.get("/api/places", params={"q": "Taji", "country": "IRQ"}).json()["places"]
    assert places[0]["country_code"] == "IRQ"
    # errors: one line each, nothing applied
    assert "not a PLOVER event type" in _error(client.patch(f"/api/events/{a_id}", json={"type": "BOMB"}, headers=hdr), 422)
    assert "no place called" in _error(client.patch(f"/api/events/{a_id}", json={"place": "Xyzzyville"}, headers=hdr), 422)
    assert "unknown field" in _error(client.patch(f"/api/events/{a_id}", json={"deaths": 3}, headers=hdr), 422)
    _error(client.patch(f"/api/events/{a_id}", content=b"{nope", headers=hdr), 400)
    _error(client.patch("/api/events/ew-0000000000000000", json={"status": "confirmed"}, headers=hdr), 404)
    canon = client.get("/api/events", params={"canonical": "true"}).json()["events"][0]["id"]
    assert "merged event" in _error(client.patch(f"/api/events/{canon}", json={"status": "confirmed"}, headers=hdr), 422)
    _error(client.get("/api/events", params={"review": "maybe"}), 422)
    _error(client.get("/api/events", params={"review": "confirmed", "canonical": "true"}), 422)
    _error(client.get("/api/events/ew-0000000000000000/history"), 404)
    assert client.get(f"/api/events/{a_id}").json()["event"]["review"]["status"] == "unreviewed"
    assert client.get(f"/api/events/{a_id}/history").json()["changes"] == []
