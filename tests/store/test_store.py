"""The store: idempotency, replacement, merging, streaming export, kill -9, PostgreSQL."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
import tracemalloc
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from eventwire.output import write_csv, write_plover
from eventwire.output.geojson import write_geojson
from eventwire.output.parquet import write_parquet
from eventwire.output.tsv import PHOENIX_COLUMNS, write_tsv
from eventwire.store import EventFilter, Store
from eventwire.store import store as store_module
from support.records import plover


def test_default_path_respects_env(monkeypatch, tmp_path):
    from eventwire.store import database_url, default_db_path

    monkeypatch.setenv("EVENTWIRE_DB", str(tmp_path / "x.sqlite"))
    assert default_db_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("EVENTWIRE_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "eventwire" / "eventwire.sqlite"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_wal_mode(sqlite_url):
    with Store(sqlite_url) as s, s.engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_reingest_same_document_adds_nothing(sqlite_url, ew):
    with Store(sqlite_url) as s:
        doc, evs = ew.taji_a()
        assert s.add_document(doc, evs).status == "added"
        before = s.counts()
        assert s.add_document(doc, evs).status == "unchanged"
        assert s.document_status(doc) == "unchanged"
        assert s.counts() == before
    with Store(sqlite_url) as s:  # reopened: still the same rows
        assert s.add_document(doc, evs).status == "unchanged"
        assert s.counts() == before


def test_changed_document_replaces_its_events_and_memberships(sqlite_url, ew):
    with Store(sqlite_url) as s:
        a, ea = ew.taji_a()
        b, eb = ew.taji_b()
        s.add_document(a, ea)
        s.add_document(b, eb)
        assert s.counts()["canonical_events"] == 1
        # document b is corrected: it now reports a protest in Basra instead
        b2 = replace(b, text="Hundreds protested in Basra on Wednesday against power cuts.")
        assert s.document_status(b2) == "changed"
        ev = ew.make_event(b2, b2.text, "protested", etype="PROTEST", place="Basra")
        out = s.add_document(b2, [ev])
        assert out.status == "replaced"
        c = s.counts()
        assert c["documents"] == 2 and c["events"] == 2 and c["event_reports"] == 2
        canon = {r["event"][0]: r for r in plover(s.iter_events(canonical=True))}
        assert canon["ASSAULT"]["n_reports"] == 1 and canon["ASSAULT"]["size"]["dead"] == 3
        assert canon["PROTEST"]["n_reports"] == 1
        assert {e["id"] for e in plover(s.iter_events())} == {ea[0].id, ev.id}


def test_two_reports_of_one_attack_merge(sqlite_url, ew):
    with Store(sqlite_url) as s:
        for doc, evs in (ew.taji_a(), ew.taji_b(), ew.basra()):
            s.add_document(doc, evs)
        canon = plover(s.iter_events(canonical=True))
        assert len(canon) == 2
        taji = next(c for c in canon if c["n_reports"] == 2)
        assert {r["doc_id"] for r in taji["reports"]} == {"wire-a", "wire-b"}
        # most recent report's figure, not the sum; finest place (Camp Taji, sub-city)
        assert taji["size"] == {"dead": 3, "injured": 12, "arrested": None}
        assert taji["event_loc"]["resolved_place"] == "Camp Taji"
        info = s.explain(taji["id"])
        reasons = [r["reason"] for r in info["reports"]]
        assert reasons[0]["rule"] == "first report"
        assert reasons[1]["rule"] == "merged" and "km apart" in reasons[1]["checks"]["place"]
        assert "Taji military base" in info["reports"][1]["evidence"]
        # the explanation is reachable from a report's event id too
        assert s.explain(info["reports"][1]["event_id"])["canonical"]["id"] == taji["id"]


def test_different_events_stay_apart(sqlite_url, ew):
    with Store(sqlite_url) as s:
        a, ea = ew.taji_a()
        s.add_document(a, ea)
        d1 = replace(a, id="later", text="Rockets slammed into Camp Taji again on 20 March.")
        s.add_document(d1, [ew.make_event(d1, d1.text, "slammed", place="Camp Taji", when=date(2020, 3, 20))])
        d2 = replace(a, id="elsewhere", text="Rockets slammed into a base near Basra on Wednesday.")
        s.add_document(d2, [ew.make_event(d2, d2.text, "slammed", place="Basra")])
        d3 = replace(a, id="sanction", text="Washington sanctioned Taji officials on Wednesday.")
        s.add_document(d3, [ew.make_event(d3, d3.text, "sanctioned", etype="SANCTION")])
        assert s.counts()["canonical_events"] == 4


def test_modal_events_are_stored_but_not_merged_or_listed(sqlite_url, ew):
    with Store(sqlite_url) as s:
        a, _ = ew.taji_a()
        ev = ew.make_event(a, a.text, "slammed", mode=["negation"])
        s.add_document(a, [ev])
        assert s.counts()["events"] == 1 and s.counts()["canonical_events"] == 0
        assert plover(s.iter_events()) == []
        assert len(plover(s.iter_events(EventFilter(include_modal=True)))) == 1


def test_filters(sqlite_url, ew):
    with Store(sqlite_url) as s:
        for doc, evs in (ew.taji_a(), ew.taji_b(), ew.basra()):
            s.add_document(doc, evs)

        def ids(**kw):
            return {e["doc_id"] for e in plover(s.iter_events(EventFilter(**kw)))}

        assert ids() == {"wire-a", "wire-b", "wire-c"}
        assert ids(admin1="basra") == {"wire-c"}
        assert ids(event_type="ASSAULT", bbox=(44.0, 33.0, 45.0, 34.0)) == {"wire-a", "wire-b"}
        assert ids(actor="gunmen") == {"wire-c"}
        assert ids(actor="USA") == {"wire-a", "wire-b"}
        assert ids(country="IRQ", since=date(2020, 3, 12)) == set()
        assert ids(until=date(2020, 3, 11), since=date(2020, 3, 11)) == {"wire-a", "wire-b", "wire-c"}
        assert {e["n_reports"] for e in plover(s.iter_events(EventFilter(actor="USA"), canonical=True))} == {2}


def _fill(s: Store, n_docs: int) -> None:
    from eventwire.model import Document, Event

    for i in range(n_docs):
        doc = Document(f"bulk-{i}", f"Gunmen killed {i % 7 + 1} people in Basra on Monday. Report {i}.",
                       date(2021, 1, 1 + i % 28))  # fmt: skip
        evs = [
            {
                "id": f"ew-bulk-{i}-{k}", "doc_id": doc.id, "event": ["ASSAULT"], "mode": [], "context": [],
                "actor": [{"entity_text": "Gunmen", "code": None, "sector": "UAF"}],
                "recipient": [{"entity_text": f"villagers {i}", "code": "IRQ", "sector": "CVL"}],
                "event_loc": {"extracted_place": "Basra", "resolved_place": "Basra", "lat": 30.5 + (i % 50),
                              "lon": 47.7, "country_code": "IRQ", "province": "Basra", "resolution": 4},
                "date": f"2021-01-{1 + i % 28:02d}", "date_precision": "day", "date_source": "text",
                "size": {"dead": i % 7 + 1, "injured": None, "arrested": None}, "event_text": ["killed"],
                "text_info": {"sequence": 0, "start": 0, "end": 40}, "confidence": 0.6,
            }
            for k in range(2)
        ]
        s.add_document(doc, [Event.from_plover(d) for d in evs])


class _Sink(io.StringIO):
    def write(self, s: str) -> int:  # count, keep nothing
        return len(s)


def _peak(s: Store, writer, canonical: bool) -> tuple[int, int]:
    tracemalloc.start()
    n = writer(s.iter_events(canonical=canonical, batch_size=100), _Sink())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return n, peak


def test_export_streams_in_bounded_memory(tmp_path):
    small, big = Store(tmp_path / "small.sqlite"), Store(tmp_path / "big.sqlite")
    _fill(small, 100)
    _fill(big, 1000)  # 10x the events
    for writer in (write_plover, write_csv, write_tsv, write_geojson):
        n_small, p_small = _peak(small, writer, False)
        n_big, p_big = _peak(big, writer, False)
        assert (n_small, n_big) == (200, 2000)
        assert p_big < 2.5 * p_small + 200_000, (writer.__name__, p_small, p_big)
    for st in (small, big):
        st.close()


def test_export_formats(tmp_path, ew):
    import pyarrow.parquet as pq

    with Store(tmp_path / "s.sqlite") as s:
        for doc, evs in (ew.taji_a(), ew.taji_b(), ew.basra()):
            s.add_document(doc, evs)
        buf = io.StringIO()
        assert write_tsv(s.iter_events(), buf) == 3
        lines = buf.getvalue().splitlines()
        assert lines[0].split("\t") == list(PHOENIX_COLUMNS)
        assert all(len(line.split("\t")) == len(PHOENIX_COLUMNS) for line in lines)
        assert write_parquet(s.iter_events(canonical=True), tmp_path / "c.parquet", batch_size=1) == 2
        table = pq.read_table(tmp_path / "c.parquet")
        assert sorted(table.column("n_reports").to_pylist()) == [1, 2]
        import json

        buf = io.StringIO()
        write_geojson(s.iter_events(), buf)
        fc = json.loads(buf.getvalue())
        assert len(fc["features"]) == 3 and fc["features"][0]["geometry"]["type"] == "Point"


KILL_SCRIPT = textwrap.dedent(
    """
    import sys
    from datetime import date
    from eventwire.model import Document, Event
    from eventwire.store import Store

    db, n = sys.argv[1], int(sys.argv[2])
    s = Store(db)
    for i in range(n):
        doc = Document(f"k{i}", f"Clashes near village {i} left {i % 9} dead. " * 20, date(2022, 5, 1 + i % 30))
        evs = [Event.from_plover({"id": f"ew-k{i}-{k}", "doc_id": doc.id, "event": ["ASSAULT"], "mode": [], "context": [],
                "actor": [{"entity_text": "rebels", "code": "SYR", "sector": "REB"}], "recipient": [],
                "event_loc": {"extracted_place": f"v{i % 40}", "lat": 35.0 + (i % 40) * 0.5, "lon": 38.0,
                              "country_code": "SYR", "province": "Idlib", "resolution": 4},
                "date": f"2022-05-{1 + i % 30:02d}", "date_precision": "day", "date_source": "text",
                "size": {"dead": i % 9}, "event_text": ["clashes"],
                "text_info": {"sequence": k, "start": 0, "end": 45}, "confidence": 0.5}) for k in range(3)]
        s.add_document(doc, evs)
        print(i, flush=True)
    """
)


def _check_integrity(url: str) -> int:
    """Every stored document is complete; returns the number of documents."""
    with Store(url) as s, s.engine.connect() as c:
        if s.dialect == "sqlite":
            assert c.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        bad = c.execute(text(
            "SELECT d.id FROM documents d LEFT JOIN events e ON e.doc_id = d.id "
            "GROUP BY d.id, d.n_events HAVING COUNT(e.id) != d.n_events"
        )).all()  # fmt: skip
        assert bad == []
        assert c.execute(text("SELECT COUNT(*) FROM events e LEFT JOIN event_reports r ON r.event_id = e.id "
                              "WHERE r.event_id IS NULL AND NOT e.modal")).scalar() == 0  # fmt: skip
        assert c.execute(text("SELECT COUNT(*) FROM canonical_events c WHERE c.n_reports != "
                              "(SELECT COUNT(*) FROM event_reports r WHERE r.canonical_id = c.id)")).scalar() == 0  # fmt: skip
        assert c.execute(text("SELECT COUNT(*) FROM actors a LEFT JOIN events e ON e.id = a.event_id "
                              "WHERE e.id IS NULL")).scalar() == 0  # fmt: skip
        return c.execute(text("SELECT COUNT(*) FROM documents")).scalar()


def _kill_midway(url: str, n: int, after: int) -> None:
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, url, str(n)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    done = 0
    deadline = time.time() + 60
    while done < after and time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        done += 1
    os.kill(proc.pid, signal.SIGKILL)  # mid-transaction of a later document
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert done >= after, "the ingest subprocess did not get going"


def test_kill_9_leaves_complete_documents_and_resumes(sqlite_url):
    n = 400
    _kill_midway(sqlite_url, n, after=60)
    stored = _check_integrity(sqlite_url)
    assert 60 <= stored < n
    rerun = subprocess.run([sys.executable, "-c", KILL_SCRIPT, sqlite_url, str(n)], capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert _check_integrity(sqlite_url) == n
    with Store(sqlite_url) as s:
        assert s.counts()["events"] == 3 * n


@pytest.mark.postgres
def test_postgres_same_code_path(postgres_url, ew):
    with Store(postgres_url) as s:
        assert s.dialect == "postgresql"
        for doc, evs in (ew.taji_a(), ew.taji_b(), ew.basra(), ew.taji_a()):
            s.add_document(doc, evs)
        c = s.counts()
        assert c["documents"] == 3 and c["canonical_events"] == 2 and c["event_reports"] == 3
        taji = next(e for e in plover(s.iter_events(canonical=True, batch_size=1)) if e["n_reports"] == 2)
        assert taji["size"]["dead"] == 3
        assert {e["doc_id"] for e in plover(s.iter_events(EventFilter(admin1="Basra"), batch_size=1))} == {"wire-c"}
        assert s.explain(taji["id"])["reports"][1]["reason"]["rule"] == "merged"
    _kill_midway(postgres_url, 150, after=30)
    assert 30 <= _check_integrity(postgres_url) < 150 + 3


def test_batch_of_results_matches_one_by_one_and_isolates_a_bad_document(sqlite_url, tmp_path, ew):
    from types import SimpleNamespace

    def result(doc, evs):
        return SimpleNamespace(document=doc, events=evs, sentences=(), toponyms=())

    a, b, c = ew.taji_a(), ew.taji_b(), ew.basra()
    bad_doc = ew.BASRA.__class__("wire-bad\x1b", "Broken report.", ew.BASRA.publication_date)
    bad = result(bad_doc, [])  # an id with a control character: refused
    with Store(sqlite_url) as s:
        assert s.add_document(*a).status == "added"
        outcomes = s.add_results([result(*a), result(*b), bad, result(*c)])
        assert [getattr(o, "status", "error") for o in outcomes] == ["unchanged", "added", "error", "added"]
        assert isinstance(outcomes[2], ValueError) and "wire-bad" in str(outcomes[2])
        assert outcomes[1].merged == 1  # the second Taji report joined the first
        batched = s.counts()
    one_by_one = str(tmp_path / "one.sqlite")
    with Store(one_by_one) as s:
        for doc, evs in (a, b, c):
            s.add_document(doc, evs)
        assert s.counts() == batched


def _batched_vs_one_by_one(url_batched: str, url_single: str, ew) -> None:
    from types import SimpleNamespace

    def result(doc, evs):
        return SimpleNamespace(document=doc, events=evs, sentences=(), toponyms=())

    a, b, c = ew.taji_a(), ew.taji_b(), ew.basra()
    c2_doc = ew.BASRA.__class__("wire-c2", "Four protesters were shot dead in Basra on Wednesday.", ew.BASRA.publication_date)
    c2 = (c2_doc, [ew.make_event(c2_doc, c2_doc.text, "shot", place="Basra", dead=4,
                                 actor=("Gunmen", None, "UAF"), recipient=("protesters", "IRQ", "CVL"))])  # fmt: skip
    with Store(url_batched) as s:
        s.add_document(*a)  # stored before: the batch's Taji report must join it
        outcomes = s.add_results([result(*b), result(*c), result(*c2)])  # c and c2 merge in memory
        assert [o.merged for o in outcomes] == [1, 0, 1]
        batched = sorted((e["n_reports"], e["event"][0], e["size"]["dead"]) for e in plover(s.iter_events(canonical=True)))
        assert s.counts()["event_reports"] == 4
    with Store(url_single) as s:
        for doc, evs in (a, b, c, c2):
            s.add_document(doc, evs)
        single = sorted((e["n_reports"], e["event"][0], e["size"]["dead"]) for e in plover(s.iter_events(canonical=True)))
    assert batched == single == [(2, "ASSAULT", 3), (2, "ASSAULT", 4)]


def test_batch_merge_in_memory_matches_one_by_one_sqlite(sqlite_url, tmp_path, ew):
    _batched_vs_one_by_one(sqlite_url, str(tmp_path / "single.sqlite"), ew)


def test_batch_merge_in_memory_matches_one_by_one_postgres(fresh_postgres_url, tmp_path, ew):
    _batched_vs_one_by_one(fresh_postgres_url, str(tmp_path / "single.sqlite"), ew)


def test_events_stored_before_the_match_summary_still_merge(sqlite_url, ew):
    from types import SimpleNamespace

    from sqlalchemy import text

    with Store(sqlite_url) as s:
        s.add_document(*ew.taji_a())
        with s.engine.begin() as conn:  # as written by revision 0001: no summary, no tally
            conn.execute(text("UPDATE canonical_events SET match = NULL, tally = NULL"))
        doc, evs = ew.taji_b()
        (outcome,) = s.add_results([SimpleNamespace(document=doc, events=evs, sentences=(), toponyms=())])
        assert outcome.merged == 1
        assert s.counts()["canonical_events"] == 1
        (canon,) = plover(s.iter_events(canonical=True))
        assert canon["n_reports"] == 2 and canon["size"]["dead"] == 3


def test_replaced_document_and_a_new_report_of_its_event_in_one_batch(sqlite_url, ew):
    """The event loses the replaced document's report before the batch's reports join it, so its
    tally never counts a report that is gone."""
    from types import SimpleNamespace

    with Store(sqlite_url) as s:
        a, ea = ew.taji_a()
        b, eb = ew.taji_b()
        s.add_document(a, ea)
        s.add_document(b, eb)
        a2 = replace(a, text=a.text + " Officials later corrected the time.")
        ea2 = [ew.make_event(a2, a2.text, "slammed", place="Camp Taji")]
        c = replace(a, id="wire-d", text="Another rocket barrage slammed into Camp Taji on Wednesday, a source said.")
        ec = [ew.make_event(c, c.text, "slammed", place="Camp Taji")]
        items = [SimpleNamespace(document=d, events=e, sentences=(), toponyms=()) for d, e in ((a2, ea2), (c, ec))]
        outcomes = s.add_results(items)
        assert [o.status for o in outcomes] == ["replaced", "added"]
        (canon,) = plover(s.iter_events(canonical=True))
        assert canon["n_reports"] == 3 == s.counts()["event_reports"]
        assert sorted(r["doc_id"] for r in canon["reports"]) == ["wire-a", "wire-b", "wire-d"]


def test_an_event_with_a_long_window_is_still_found(sqlite_url, ew):
    """Year-precise events are looked up apart from the bounded range of short ones."""
    with Store(sqlite_url) as s:
        a, _ = ew.taji_a()
        y = replace(a, id="year", text="Rockets hit Camp Taji repeatedly in 2020, officials said.")
        s.add_document(y, [ew.make_event(y, y.text, "hit", place="Camp Taji", when=date(2020, 1, 1), precision="year")])
        s.add_document(*ew.taji_a())
        (canon,) = plover(s.iter_events(canonical=True))
        assert canon["n_reports"] == 2


def test_migration_0003_flags_long_windows_of_an_older_store(tmp_path, ew):
    from alembic import command
    from alembic.config import Config

    url = str(tmp_path / "old.sqlite")
    with Store(url) as s:
        a, _ = ew.taji_a()
        y = replace(a, id="year", text="Rockets hit Camp Taji repeatedly in 2020, officials said.")
        s.add_document(y, [ew.make_event(y, y.text, "hit", place="Camp Taji", when=date(2020, 1, 1), precision="year")])
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(store_module.__file__).parent / "migrations"))
    plain = create_engine(f"sqlite:///{url}")  # foreign keys off, as SQLite table rebuilds need
    with plain.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    plain.dispose()
    with Store(url) as s:  # opening upgrades again
        with s.engine.connect() as conn:
            assert conn.execute(text("SELECT long_window, tally FROM canonical_events")).one() == (1, None)
        s.add_document(*ew.taji_a())  # tallied from its reports, then merged
        (canon,) = plover(s.iter_events(canonical=True))
        assert canon["n_reports"] == 2


def test_the_store_reads_back_typed_records_of_the_events_it_was_given(sqlite_url, ew):
    from eventwire.model import CanonicalEvent, StoredEvent

    coded = {}
    with Store(sqlite_url) as s:
        for doc, evs in (ew.taji_a(), ew.taji_b(), ew.basra()):
            s.add_document(doc, evs)
            coded.update({e.id: e for e in evs})
        reports = list(s.iter_events())
        assert {r.id for r in reports} == set(coded)
        for r in reports:
            assert isinstance(r, StoredEvent) and r.review.status == "unreviewed" and r.canonical_id
            assert r.event.to_plover() == coded[r.id].to_plover()  # the coder's record, unchanged
            got = s.get_event(r.id)
            assert got is not None and got.to_plover() == r.to_plover()
        merged = list(s.iter_events(canonical=True))
        assert all(isinstance(c, CanonicalEvent) for c in merged)
        assert sorted(c.n_reports for c in merged) == [1, 2]
        assert {c.id for c in merged} == {r.canonical_id for r in reports}
        assert s.get_event("ew-missing") is None
