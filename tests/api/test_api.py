"""The HTTP API over the seed store: in-process through the ASGI app (httpx), and against a real
``eventwire serve`` on 127.0.0.1 (filters, formats, pages, evidence, errors, tokens)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import socket

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from eventwire.api import ApiSettings, TokenAuthenticator, create_app
from eventwire.api import models as M
from eventwire.store import EventFilter, Store
from support.records import plover


@pytest.fixture(scope="module")
def client(seed_db):
    with TestClient(create_app(ApiSettings(db=seed_db)), raise_server_exceptions=False) as c:
        yield c


def _one_line_error(resp: httpx.Response, status: int) -> str:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    assert "\n" not in resp.text.strip() and "Traceback" not in resp.text
    body = resp.json()
    assert set(body) == {"error", "status"} and body["status"] == status and body["error"]
    return body["error"]


def test_country_and_type_give_the_seeds_assaults_from_a_real_server(live_server, seed_db):
    resp = httpx.get(live_server.url + "/api/events", params={"country": "IRQ", "type": "ASSAULT"})
    assert resp.status_code == 200
    page = M.EventPage.model_validate(resp.json())
    with Store(seed_db) as st:
        expected = {e["id"] for e in plover(st.iter_events(EventFilter(country="IRQ", event_type="ASSAULT")))}
    assert expected and {e.id for e in page.events} == expected
    assert all(e.event[0] == "ASSAULT" and e.event_loc.country_code == "IRQ" for e in page.events)
    assert page.next is None and "link" not in resp.headers
    # newest first
    dates = [e.date for e in page.events if e.date]
    assert dates == sorted(dates, reverse=True)
    # the country by name, and several types, mean the same
    by_name = httpx.get(live_server.url + "/api/events", params={"country": "Iraq", "type": "assault,protest"}).json()
    assert expected <= {e["id"] for e in by_name["events"]}


def test_formats_by_accept_header_or_parameter(live_server):
    base = live_server.url + "/api/events"
    js = httpx.get(base, params={"country": "IRQ"}).json()
    ids = [e["id"] for e in js["events"]]
    nd = httpx.get(base, params={"country": "IRQ"}, headers={"Accept": "application/x-ndjson"})
    assert nd.headers["content-type"].startswith("application/x-ndjson")
    assert [json.loads(line)["id"] for line in nd.text.splitlines()] == ids
    cs = httpx.get(base, params={"country": "IRQ", "format": "csv"})
    assert cs.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(cs.text)))
    assert [r["event_id_cnty"] for r in rows] == ids and {r["iso"] for r in rows} == {"IRQ"}
    gj = httpx.get(base, params={"country": "IRQ"}, headers={"Accept": "application/geo+json"}).json()
    assert gj["type"] == "FeatureCollection" and [f["id"] for f in gj["features"]] == ids
    placed = [f for f in gj["features"] if f["geometry"]]
    assert placed and all(len(f["geometry"]["coordinates"]) == 2 for f in placed)
    # preference order, and wildcards
    q = httpx.get(base, params={"limit": 1}, headers={"Accept": "text/csv;q=0.5, application/x-ndjson"})
    assert q.headers["content-type"].startswith("application/x-ndjson")
    assert httpx.get(base, params={"limit": 1}, headers={"Accept": "*/*"}).json()["events"]


def test_streamed_formats_page_with_a_link_header(live_server):
    base = live_server.url + "/api/events"
    everything = [e["id"] for e in httpx.get(base, params={"limit": 1000}).json()["events"]]
    assert len(everything) >= 5
    seen, url, params = [], base, {"limit": 3, "format": "ndjson"}
    while url:
        resp = httpx.get(url, params=params)
        seen += [json.loads(line)["id"] for line in resp.text.splitlines()]
        link = resp.headers.get("link")
        url = live_server.url + link.split(">")[0].lstrip("<") if link else None
        params = None
        assert len(seen) <= len(everything)
    assert seen == everything


def test_json_pages_follow_next_to_the_end(client):
    every = [e["id"] for e in client.get("/api/events", params={"limit": 1000}).json()["events"]]
    walked, after = [], None
    while True:
        body = client.get("/api/events", params={"limit": 4, **({"after": after} if after else {})}).json()
        walked += [e["id"] for e in body["events"]]
        after = body["next"]
        if after is None:
            break
    assert walked == every
    canon = client.get("/api/events", params={"canonical": "true", "limit": 1000}).json()["events"]
    assert canon and all(e["id"].startswith("ewc-") and e["n_reports"] >= 1 for e in canon)


def test_an_event_with_its_reports_and_the_words_behind_each_field(client):
    assault = next(
        e for e in client.get("/api/events", params={"type": "ASSAULT", "limit": 1000}).json()["events"]
        if e["evidence"].get("place") and e["evidence"].get("dead")
    )  # fmt: skip
    detail = M.EventDetail.model_validate(client.get(f"/api/events/{assault['id']}").json())
    assert detail.event.id == assault["id"] and detail.canonical_id and detail.reports
    report = next(r for r in detail.reports if r.event.id == assault["id"])
    doc = M.DocumentDetail.model_validate(client.get(f"/api/documents/{report.document.id}").json())
    text = doc.text
    ev = report.event
    words = {field: [text[a:b] for a, b in spans] for field, spans in ev.evidence.model_dump().items() if spans}
    assert set(words["event"]) <= {w for t in ev.event_text for w in t.split()} | set(ev.event_text)
    assert words["place"][0] == ev.event_loc.extracted_place
    assert any(ch.isdigit() for w in words["dead"] for ch in w) or any(
        w.lower() in ("one", "two", "three", "four", "five", "a", "an") for ws in words["dead"] for w in ws.split()
    )
    assert report.evidence_text == text[ev.text_info.start : ev.text_info.end]
    assert any(e.id == ev.id for e in doc.events) and doc.sentences and doc.toponyms
    # by its canonical id too
    again = client.get(f"/api/events/{detail.canonical_id}").json()
    assert again["event"]["id"] == detail.canonical_id and len(again["reports"]) == len(detail.reports)


def test_summary_counts_follow_the_filters(client):
    s = M.Summary.model_validate(client.get("/api/summary", params={"country": "IRQ"}).json())
    n = len(client.get("/api/events", params={"country": "IRQ", "limit": 1000}).json()["events"])
    assert s.total == n and sum(c for _, c in s.by_type) == n and s.by_country == [("IRQ", n)]
    assert s.store["documents"] == 1


def test_malformed_and_oversized_requests_get_one_line_json_errors(client, seed_db):
    cases = [
        ("/api/events?limit=0", 422), ("/api/events?limit=5000", 422), ("/api/events?limit=abc", 422),
        ("/api/events?type=FIGHT", 422), ("/api/events?country=Atlantis", 422), ("/api/events?since=2020-02-30", 422),
        ("/api/events?since=2020-03-10&until=2020-03-01", 422), ("/api/events?bbox=1,2,3", 422),
        ("/api/events?bbox=10,10,0,0", 422), ("/api/events?min_confidence=2", 422), ("/api/events?format=xml", 422),
        ("/api/events?after=not-a-cursor", 400), ("/api/events?actor=" + "x" * 300, 422),
        ("/api/events/ew-0000", 404), ("/api/documents/none", 404), ("/no/such/path", 404),
    ]  # fmt: skip
    for url, status in cases:
        _one_line_error(client.get(url), status)
    assert "limit" in _one_line_error(client.get("/api/events?limit=5000"), 422)
    _one_line_error(client.get("/api/events", headers={"Accept": "text/html"}), 406)
    _one_line_error(client.delete("/api/events"), 405)
    # values are bound, never SQL: a hostile actor matches nothing and breaks nothing
    assert client.get("/api/events", params={"actor": "x' OR '1'='1' --"}).json()["events"] == []
    with Store(seed_db) as st:
        assert st.counts()["events"] > 0


def test_body_limit_rate_limit_and_no_stack_traces(seed_db, tmp_path):
    small = create_app(ApiSettings(db=seed_db, max_body_bytes=2000, rate_limit=1, rate_burst=3,
                                   authenticator=TokenAuthenticator.from_lines(["w:" + "k" * 20], "test")))  # fmt: skip
    with TestClient(small) as c:
        body = {"text": "x" * 5000}
        auth = {"Authorization": "Bearer " + "k" * 20}
        assert "larger than 2000 bytes" in _one_line_error(c.post("/api/extract", json=body, headers=auth), 413)
        codes = [c.get("/api/summary").status_code for _ in range(6)]
        assert codes[:3] == [200, 200, 200] and 429 in codes
        resp = c.get("/api/summary")
        _one_line_error(resp, 429)
        assert int(resp.headers["retry-after"]) >= 1
        assert c.get("/healthz").status_code == 200  # not limited
    # a store that fails underneath: 500 with a reference, the trace only in the log
    broken = tmp_path / "broken.sqlite"
    shutil.copy(seed_db, broken)
    app = create_app(ApiSettings(db=broken))
    with TestClient(app, raise_server_exceptions=False) as c:
        with app.state.store.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE event_reports")
        msg = _one_line_error(c.get("/api/events"), 500)
        assert "reference" in msg and "event_reports" not in msg


def test_openapi_31_describes_plover_records(client):
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    props = doc["components"]["schemas"]["PloverEvent"]["properties"]
    for name in ("id", "doc_id", "date", "enddate", "date_precision", "date_source", "event", "mode", "context",
                 "actor", "recipient", "event_loc", "size", "event_text", "text_info", "cameo", "acled_event_type",
                 "acled_sub_event_type", "quad_code", "confidence", "evidence"):  # fmt: skip
        assert name in props, name
    assert set(doc["components"]["schemas"]["EventLoc"]["properties"]) >= {"lat", "lon", "country_code", "resolution", "geonameid"}
    assert {"/api/events", "/api/events/{event_id}", "/api/documents/{doc_id}", "/api/summary", "/api/extract",
            "/api/documents", "/healthz"} <= set(doc["paths"])  # fmt: skip
    assert doc["paths"]["/api/extract"]["post"]["security"] == [{"bearer": []}]


def test_private_reads_need_a_reader_token(seed_db):
    auth = TokenAuthenticator.from_lines(["ana:reader:" + "r" * 20, "bo:writer:" + "w" * 20], "tokens")
    with TestClient(create_app(ApiSettings(db=seed_db, authenticator=auth, read_token_required=True))) as c:
        assert c.get("/api/events").headers["www-authenticate"].startswith("Bearer")
        _one_line_error(c.get("/api/events"), 401)
        _one_line_error(c.get("/api/events", headers={"Authorization": "Bearer " + "x" * 20}), 401)
        _one_line_error(c.get("/api/events", headers={"Authorization": "Basic abc"}), 401)
        assert c.get("/api/events", headers={"Authorization": "Bearer " + "r" * 20}).status_code == 200
        assert "reader" in _one_line_error(c.get("/api/summary", headers={"Authorization": "Bearer " + "w" * 20}), 403)
        # the reader may not write
        _one_line_error(c.post("/api/extract", json={"text": "x"}, headers={"Authorization": "Bearer " + "r" * 20}), 403)


def test_token_configuration_is_checked():
    with pytest.raises(ValueError, match="shorter than 16"):
        TokenAuthenticator.from_lines(["short"], "tokens")
    with pytest.raises(ValueError, match="unknown role 'admin'"):
        TokenAuthenticator.from_lines(["a:admin:" + "z" * 20], "tokens")
    auth = TokenAuthenticator.from_config(env={"EVENTWIRE_API_TOKEN": "e" * 20})
    p = auth.authenticate("e" * 20)
    assert p is not None and p.has("writer") and auth.authenticate("e" * 19) is None


def test_serve_refuses_bad_options_in_one_line(tmp_path, seed_db):
    from eventwire.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["serve", "--db", str(tmp_path / "missing.sqlite")])
    assert r.exit_code == 2 and "no store there" in r.output
    (tmp_path / "tokens").write_text("tiny\n")
    r = runner.invoke(app, ["serve", "--db", str(seed_db), "--token-file", str(tmp_path / "tokens")])
    assert r.exit_code == 2 and "shorter than 16" in r.output
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        r = runner.invoke(app, ["serve", "--db", str(seed_db), "--port", str(s.getsockname()[1])])
        assert r.exit_code == 2 and "cannot listen" in r.output


@pytest.fixture(scope="module")
def writable(seed_db, tmp_path_factory):
    """A real server with the write endpoints on, over a copy of the seed store."""
    from support.served import TOKEN, Server

    db = tmp_path_factory.mktemp("writable") / "store.sqlite"
    shutil.copy(seed_db, db)
    server = Server(db, "--max-documents", "3", env={"EVENTWIRE_API_TOKEN": TOKEN})
    yield server, db
    server.stop()


def test_write_endpoints_refuse_requests_without_the_token(writable, live_server):
    server, _ = writable
    doc = {"id": "t1", "text": "Gunmen killed two police officers in Kirkuk on Monday.", "publication_date": "2021-05-04"}
    for path in ("/api/extract", "/api/documents"):
        r = httpx.post(server.url + path, json=doc)
        _one_line_error(r, 401)
        assert r.headers["www-authenticate"].startswith("Bearer")
        _one_line_error(httpx.post(server.url + path, json=doc, headers={"Authorization": "Bearer wrong-token-0000000"}), 401)
        # a server started without tokens has no write endpoints at all
        _one_line_error(httpx.post(live_server.url + path, json=doc), 403)


def test_extract_codes_without_storing_and_documents_stores(writable):
    from support.served import TOKEN

    server, db = writable
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = httpx.get(server.url + "/api/summary").json()["store"]
    text = "Gunmen killed two police officers in Kirkuk on Monday, officials said."
    r = httpx.post(server.url + "/api/extract", json={"text": text, "publication_date": "2021-05-04"}, headers=auth, timeout=120)
    assert r.status_code == 200, r.text
    out = M.ExtractResult.model_validate(r.json())
    (ev,) = [e for e in out.documents[0].events if e.event[0] == "ASSAULT"]
    assert ev.size.dead == 2 and text[slice(*ev.evidence.place[0])] == "Kirkuk"
    assert httpx.get(server.url + "/api/summary").json()["store"] == before
    # store: a good document, a bad one (rejected, named), the same id twice
    batch = {"documents": [
        {"id": "kirkuk-1", "text": text, "publication_date": "2021-05-04", "title": "Kirkuk attack"},
        {"id": "empty", "text": "   "},
        {"id": "kirkuk-1", "text": text},
    ]}  # fmt: skip
    r = httpx.post(server.url + "/api/documents", json=batch, headers=auth, timeout=120)
    assert r.status_code == 200, r.text
    res = M.StoreResult.model_validate(r.json())
    assert [(d.id, d.status) for d in res.documents] == [("kirkuk-1", "added")]
    assert {(x.index, x.id) for x in res.rejected} == {(1, "empty"), (2, "kirkuk-1")}
    stored = httpx.get(server.url + "/api/documents/kirkuk-1").json()
    assert stored["title"] == "Kirkuk attack" and any(e["event"][0] == "ASSAULT" for e in stored["events"])
    again = httpx.post(server.url + "/api/documents", json=batch["documents"][0], headers=auth, timeout=120).json()
    assert again["documents"][0]["status"] == "unchanged"
    # limits: documents per request, malformed JSON, nothing valid
    _one_line_error(httpx.post(server.url + "/api/documents", json=[batch["documents"][0]] * 4, headers=auth), 413)
    _one_line_error(httpx.post(server.url + "/api/documents", content=b"{not json", headers=auth), 400)
    _one_line_error(httpx.post(server.url + "/api/documents", content=b"", headers=auth), 400)
    r = httpx.post(server.url + "/api/documents", json=[{"text": "no id"}], headers=auth)
    assert r.status_code == 422 and "missing 'id'" in r.json()["rejected"][0]["error"]
    with Store(db) as st:
        assert st.get_document("kirkuk-1") is not None


def test_page_records_are_plover_records(client):
    body = orjson.loads(client.get("/api/events", params={"limit": 1000, "all_events": "true"}).content)
    page = M.EventPage.model_validate(body)
    assert page.events
    for e in page.events:
        assert 0 <= e.confidence <= 1 and e.size is not None and e.event
