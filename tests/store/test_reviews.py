"""Reviews in the store, on SQLite and on a real PostgreSQL server: corrections applied and the
coder's values kept, an append-only history with who and when, rejected events out of listings
and merges, corrections that survive re-ingest and re-coding, flags where the new output
disagrees or the document changed, reviewers' links binding the merge, the review queue, users
with hashed tokens, and reviewed documents as gold."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from eventwire.store import EventFilter, ReviewError, Reviews, Store, Users, change_from_json
from eventwire.store import schema as S
from support.records import one, plover

BAGHDAD = {"resolved_place": "Baghdad", "geonameid": 98182, "lat": 33.3406, "lon": 44.4009,
           "country_code": "IRQ", "country": "Iraq", "province": "Baghdad", "feature_class": "P",
           "feature_code": "PPLC", "resolution": 4}  # fmt: skip


@pytest.fixture(params=["sqlite", "postgres"])
def db(request):
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("fresh_postgres_url")


def _fix(change: dict) -> object:
    return change_from_json(change)


def _result(doc, events):
    return SimpleNamespace(document=doc, events=events, sentences=(), toponyms=())


def test_a_correction_shows_everywhere_and_the_coder_value_stays_readable(db, ew):
    with Store(db) as s:
        for doc, evs in (ew.taji_a(), ew.taji_b(), ew.basra()):
            s.add_document(doc, evs)
        rv = Reviews(s)
        a_id = ew.taji_a()[1][0].id
        out = rv.apply(a_id, "alice", _fix({"place": BAGHDAD, "dead": 4}))
        assert out["event"]["size"]["dead"] == 4
        assert out["event"]["event_loc"]["resolved_place"] == "Baghdad"
        assert out["event"]["review"]["status"] == "corrected" and out["event"]["review"]["by"] == "alice"
        assert out["review"]["corrected"] == ["place", "dead"]
        assert out["review"]["coder"]["dead"] == 3 and out["review"]["coder"]["place"]["resolved_place"] == "Camp Taji"
        # every read path shows the corrected values
        listed = {e["id"]: e for e in plover(s.iter_events())}
        assert listed[a_id]["size"]["dead"] == 4 and listed[a_id]["review"]["status"] == "corrected"
        page = s.page_events(EventFilter(country="IRQ"), as_json=True)
        import orjson

        paged = {r["id"]: r for r in map(orjson.loads, page.events)}
        assert paged[a_id]["size"]["dead"] == 4 and paged[a_id]["review"]["by"] == "alice"
        assert paged[a_id]["event_loc"]["geonameid"] == 98182
        assert "place" not in paged[a_id]["evidence"] and "dead" not in paged[a_id]["evidence"]
        assert {e["id"] for e in plover(s.iter_events(EventFilter(review=("corrected",))))} == {a_id}
        # the history: the coder's value and the reviewer's, who and when
        h = rv.history(a_id)
        dead = next(c for c in h["changes"] if c["field"] == "dead")
        assert (dead["from"], dead["to"], dead["by"], dead["action"]) == (3, 4, "alice", "correct")
        assert dead["at"].endswith("Z")
        assert h["coder"]["dead"] == 3
        # a second reviewer changes it again: both kept, in order
        rv.apply(a_id, "bob", _fix({"dead": 5, "note": "the ministry's later figure"}))
        h = rv.history(a_id)
        deads = [(c["from"], c["to"], c["by"]) for c in h["changes"] if c["field"] == "dead"]
        assert deads == [(3, 4, "alice"), (4, 5, "bob")]
        assert any(c["action"] == "note" and c["note"] == "the ministry's later figure" for c in h["changes"])
        assert h["review"]["version"] == 2
        # withdrawing every correction brings the coder's values (and evidence) back
        rv.apply(a_id, "bob", _fix({"revert": ["dead", "place"]}))
        back = one(s.get_event(a_id))
        assert back["size"]["dead"] == 3 and back["event_loc"]["resolved_place"] == "Camp Taji"
        assert back["review"]["status"] == "confirmed"
        with s.engine.connect() as c:  # append-only: every row is still there
            assert c.execute(select(S.review_history)).all().__len__() == len(rv.history(a_id)["changes"]) >= 8


def test_corrections_reach_the_merged_event(db, ew):
    with Store(db) as s:
        for doc, evs in (ew.taji_a(), ew.taji_b()):
            s.add_document(doc, evs)
        (canon,) = plover(s.iter_events(canonical=True))
        assert canon["size"]["dead"] == 3
        b_id = ew.taji_b()[1][0].id
        Reviews(s).apply(b_id, "alice", _fix({"dead": 7}))
        (canon,) = plover(s.iter_events(canonical=True))
        assert canon["size"]["dead"] == 7 and canon["n_reports"] == 2


def test_a_rejected_event_leaves_listings_and_merges(db, ew):
    with Store(db) as s:
        for doc, evs in (ew.taji_a(), ew.taji_b(), ew.basra()):
            s.add_document(doc, evs)
        basra_id = ew.basra()[1][0].id
        rv = Reviews(s)
        out = rv.apply(basra_id, "alice", _fix({"status": "rejected", "note": "a drill, not an attack"}))
        assert out["event"]["review"]["status"] == "rejected" and out["event"]["canonical_id"] is None
        assert basra_id not in {e["id"] for e in plover(s.iter_events())}
        assert [e["id"] for e in plover(s.iter_events(EventFilter(review=("rejected",))))] == [basra_id]
        assert s.counts()["canonical_events"] == 1
        assert s.event_counts(EventFilter())["total"] == 2
        # confirming it again brings it back into its own merged event
        rv.apply(basra_id, "bob", _fix({"status": "confirmed"}))
        assert basra_id in {e["id"] for e in plover(s.iter_events())}
        assert s.counts()["canonical_events"] == 2


def test_reingest_and_recode_keep_every_correction(db, ew):
    with Store(db) as s:
        docs = [ew.taji_a(), ew.taji_b(), ew.basra()]
        for doc, evs in docs:
            s.add_document(doc, evs)
        rv = Reviews(s)
        a_id, b_id, c_id = (evs[0].id for _, evs in docs)
        rv.apply(a_id, "alice", _fix({"place": BAGHDAD, "dead": 4}))
        rv.apply(b_id, "alice", _fix({"status": "confirmed"}))
        rv.apply(c_id, "alice", _fix({"status": "rejected"}))
        before = {e["id"]: e for e in plover(s.iter_events(EventFilter(review=("corrected", "confirmed", "rejected"))))}
        # the same documents again: nothing changes
        assert [s.add_document(d, e).status for d, e in docs] == ["unchanged"] * 3
        # coded again with the same output: every review kept, nothing flagged
        outcomes = s.add_results([_result(d, e) for d, e in docs], recode=True)
        assert [o.status for o in outcomes] == ["replaced"] * 3
        after = {e["id"]: e for e in plover(s.iter_events(EventFilter(review=("corrected", "confirmed", "rejected"))))}
        assert after.keys() == before.keys()
        assert after[a_id]["size"]["dead"] == 4 and after[a_id]["event_loc"]["resolved_place"] == "Baghdad"
        assert after[c_id]["review"]["status"] == "rejected"
        assert all(e["review"]["flag"] is None for e in after.values())
        assert s.counts()["canonical_events"] == 1  # the rejected report stays out of merging
        assert rv.history(a_id)["review"]["version"] == 1  # nothing to record


def test_recoding_flags_what_the_coder_now_says_differently(db, ew):
    with Store(db) as s:
        doc, evs = ew.taji_b()
        s.add_document(doc, evs)
        rv = Reviews(s)
        rv.apply(evs[0].id, "alice", _fix({"dead": 4}))
        # an improved coder: same event, now with another injured count and the reviewer's dead
        s1 = doc.text.split(". ")[0]
        again = ew.make_event(doc, s1, "hit", place="Taji", dead=4, injured=15,
                              recipient=("coalition personnel", "USA", "MIL"))  # fmt: skip
        s.add_results([_result(doc, [again])], recode=True)
        got = one(s.get_event(again.id))
        assert got["size"] == {"dead": 4, "injured": 15, "arrested": None}
        assert got["review"]["status"] == "corrected"
        assert got["review"]["flag"] == "coded again: the coder now gives another injured"
        h = rv.history(again.id)
        recode = [(c["field"], c["from"], c["to"], c["by"]) for c in h["changes"] if c["action"] == "recode"]
        assert ("injured", 12, 15, "eventwire") in recode and ("dead", 3, 4, "eventwire") in recode
        assert [e["id"] for e in plover(s.iter_events(EventFilter(flagged=True)))] == [again.id]
        # looking at it again clears the flag
        rv.apply(again.id, "bob", _fix({"status": "confirmed"}))
        assert one(s.get_event(again.id))["review"]["flag"] is None
        assert one(s.get_event(again.id))["review"]["status"] == "corrected"  # the dead correction stands


def test_a_changed_document_flags_its_reviewed_events(db, ew):
    with Store(db) as s:
        doc, evs = ew.taji_a()
        s.add_document(doc, evs)
        rv = Reviews(s)
        rv.apply(evs[0].id, "alice", _fix({"place": BAGHDAD, "dead": 4}))
        # the outlet updates the story: a new first sentence moves every offset
        doc2 = replace(doc, text="UPDATED: a fourth victim died in hospital. " + doc.text)
        ev2 = ew.make_event(doc2, doc.text, "slammed", place="Camp Taji", dead=3,
                            recipient=("US soldiers", "USA", "MIL"))  # fmt: skip
        assert ev2.id != evs[0].id
        assert s.add_document(doc2, [ev2]).status == "replaced"
        got = one(s.get_event(ev2.id))
        assert got["size"]["dead"] == 4 and got["event_loc"]["resolved_place"] == "Baghdad"
        assert got["review"]["flag"] == "its document changed"
        h = rv.history(evs[0].id)  # found under the id it had when it was reviewed
        assert h["event_id"] == ev2.id


def test_an_event_not_found_again_keeps_its_review_and_is_flagged(db, ew):
    with Store(db) as s:
        doc, evs = ew.basra()
        s.add_document(doc, evs)
        rv = Reviews(s)
        rv.apply(evs[0].id, "alice", _fix({"dead": 5}))
        s.add_results([_result(doc, [])], recode=True)
        (lost,), _ = rv.list(lost=True)
        assert lost["event_id"] is None and lost["flag"].startswith("not found again")
        assert lost["corrections"] == {"dead": 5} and lost["coder"]["dead"] == 4
        # it still counts as gold: the reviewer said it happened
        (gold,) = list(rv.reviewed_documents())
        assert [e["size"]["dead"] for e in gold["gold"]["events"]] == [5]
        assert gold["coder"] == []


def test_reviewers_links_bind_merging(db, ew):
    with Store(db) as s:
        for doc, evs in (ew.taji_a(), ew.taji_b(), ew.basra()):
            s.add_document(doc, evs)
        a_id, b_id, c_id = ew.taji_a()[1][0].id, ew.taji_b()[1][0].id, ew.basra()[1][0].id
        rv = Reviews(s)
        # the coder merged the two Taji reports; a reviewer says they are different attacks
        rv.apply(b_id, "alice", _fix({"different_event": a_id}))
        canon = plover(s.iter_events(canonical=True))
        assert len(canon) == 3 and all(c["n_reports"] == 1 for c in canon)
        # and that the Basra report is the same event as the first Taji one
        rv.apply(c_id, "alice", _fix({"same_event": [a_id]}))
        canon = {c["id"]: c for c in plover(s.iter_events(canonical=True))}
        together = next(c for c in canon.values() if c["n_reports"] == 2)
        assert {r["event_id"] for r in together["reports"]} == {a_id, c_id}
        info = s.explain(c_id)
        assert next(r for r in info["reports"] if r["event_id"] == c_id)["reason"]["rule"] == "reviewer"
        # coding the documents again keeps the judgements
        docs = [ew.taji_a(), ew.taji_b(), ew.basra()]
        s.add_results([_result(d, e) for d, e in docs], recode=True)
        canon = plover(s.iter_events(canonical=True))
        assert sorted(c["n_reports"] for c in canon) == [1, 2]
        links = rv.state(b_id)["links"]
        assert links == [{"event_id": a_id, "relation": "different", "by": "alice", "at": links[0]["at"]}]
        # withdrawn: the coder's merge comes back
        rv.apply(b_id, "bob", _fix({"unlink": a_id}))
        rv.apply(c_id, "bob", _fix({"unlink": a_id}))
        assert sorted(c["n_reports"] for c in plover(s.iter_events(canonical=True))) == [1, 2]
        assert {r["doc_id"] for c in plover(s.iter_events(canonical=True)) if c["n_reports"] == 2 for r in c["reports"]} == {"wire-a", "wire-b"}


def test_the_queue_starts_with_the_least_confident_unreviewed_events(db, ew):
    with Store(db) as s:
        docs = []
        for i, conf in enumerate((0.9, 0.2, 0.6, 0.4)):
            doc = replace(ew.BASRA, id=f"q{i}", text=f"Gunmen opened fire on protesters in Basra on Wednesday ({i}).")
            ev = ew.make_event(doc, doc.text, "opened fire", place="Basra")
            ev.confidence = conf
            ev.assign_id()
            s.add_document(doc, [ev])
            docs.append(ev)
        rv = Reviews(s)
        page, nxt = rv.queue(limit=2)
        assert [e["confidence"] for e in page] == [0.2, 0.4] and nxt is not None
        page2, end = rv.queue(after=nxt, limit=2)
        assert [e["confidence"] for e in page2] == [0.6, 0.9] and end is None
        rv.apply(page[0]["id"], "alice", _fix({"status": "confirmed"}))
        assert [e["confidence"] for e in rv.queue(limit=10)[0]] == [0.4, 0.6, 0.9]
        assert rv.queue_size() == 3
        assert rv.counts()["confirmed"] == 1


def test_bad_changes_are_refused_whole(db, ew):
    with Store(db) as s:
        doc, evs = ew.basra()
        s.add_document(doc, evs)
        rv = Reviews(s)
        with pytest.raises(LookupError):
            rv.apply("ew-0000000000000000", "alice", _fix({"status": "confirmed"}))
        with pytest.raises(ReviewError, match="no event"):
            rv.apply(evs[0].id, "alice", _fix({"dead": 9, "same_event": "ew-missing"}))
        assert one(s.get_event(evs[0].id))["size"]["dead"] == 4  # nothing of it was applied
        assert rv.history(evs[0].id)["changes"] == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"status": "great"}, "'status' must be one of"),
        ({"dead": -1}, "'dead' must be a whole number"),
        ({"dead": True}, "'dead' must be a whole number"),
        ({"type": "BOMBING"}, "not a PLOVER event type"),
        ({"place": {"resolved_place": "X", "lat": 91, "lon": 0}}, "lat must be within"),
        ({"place": {"resolved_place": "X", "lat": 1}}, "both lat and lon"),
        ({"date": "17 March"}, "'date' must be a date"),
        ({"date": "2020-03-17", "enddate": "2020-03-01"}, "'enddate' needs"),
        ({"actor": [{"entity_text": "x", "code": "Iraq"}]}, "three-letter code"),
        ({"status": "confirmed", "dead": 3}, "corrections make the status"),
        ({"colour": "red"}, "unknown field 'colour'"),
        ({}, "nothing to do"),
        ({"revert": ["dead"], "dead": 2}, "both corrected and reverted"),
        ([1], "must be a JSON object"),
    ],
)
def test_change_validation(body, message):
    with pytest.raises(ReviewError, match=message):
        change_from_json(body)


def test_users_and_hashed_tokens(db):
    with Store(db) as s:
        users = Users(s)
        token = users.add("alice", "reviewer")
        assert token.startswith("ew_") and len(token) > 40
        reader = users.add("Rana Q.", "reader")
        assert users.authenticate(token).role == "reviewer"
        assert users.authenticate(reader).name == "Rana Q."
        assert users.authenticate(token + "x") is None
        with s.engine.connect() as c:
            stored = [r.token_digest for r in c.execute(select(S.users.c.token_digest))]
        assert token not in stored and all(len(d) == 64 for d in stored)
        with pytest.raises(ValueError, match="exists"):
            users.add("alice", "reader")
        assert users.revoke("alice") and users.authenticate(token) is None
        again = users.add("alice", "reader")  # a revoked user gets a new token
        assert users.authenticate(again).role == "reader"
        assert [u.name for u in users.list()] == ["Rana Q.", "alice"]
        with pytest.raises(ValueError, match="colons"):
            users.add("a:b", "reader")


def test_reviewed_documents_are_gold(db, ew):
    with Store(db) as s:
        for doc, evs in (ew.taji_a(), ew.taji_b(), ew.basra()):
            s.add_document(doc, evs)
        a_id, c_id = ew.taji_a()[1][0].id, ew.basra()[1][0].id
        rv = Reviews(s)
        rv.apply(a_id, "alice", _fix({"dead": 4}))
        rv.apply(c_id, "alice", _fix({"status": "rejected"}))
        docs = {d["document"]["id"]: d for d in rv.reviewed_documents()}
        assert set(docs) == {"wire-a", "wire-c"}  # wire-b has no review
        a = docs["wire-a"]
        assert [e["size"]["dead"] for e in a["gold"]["events"]] == [4]
        assert [e["size"]["dead"] for e in a["coder"]] == [3]
        assert a["document"]["text"] == ew.TAJI_A.text and a["document"]["publication_date"] == "2020-03-12"
        assert docs["wire-c"]["gold"]["events"] == [] and len(docs["wire-c"]["coder"]) == 1
        assert date.fromisoformat(a["gold"]["events"][0]["date"]) == date(2020, 3, 11)
