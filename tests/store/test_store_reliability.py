"""The store under hostile ids, bad locations, read-only use and failures of the whole store."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from eventwire.ingest import limits
from eventwire.model import Document
from eventwire.store import EventFilter, Store, StoreError, database_url, redact
from support.records import plover


def _docs(n: int) -> list[Document]:
    return [
        Document(f"good-{i}", f"Gunmen killed {i + 2} police officers in Kirkuk on Monday.", date(2021, 3, 2))
        for i in range(n)
    ]


def _result(doc: Document, ew=None) -> SimpleNamespace:
    events = []
    if ew is not None:
        events = [ew.make_event(doc, doc.text, "killed", dead=2)]
    return SimpleNamespace(document=doc, events=events, sentences=(), toponyms=())


# -- ids -------------------------------------------------------------------------------------
def _nul_id_batch(url: str, ew) -> None:
    docs = _docs(10)
    bad = [Document("bad\x00id", "Gunmen killed a man.", date(2021, 3, 2)),
           Document("x" * (limits.MAX_ID_CHARS + 1), "Gunmen killed a man.", date(2021, 3, 2))]  # fmt: skip
    batch = docs[:5] + bad + docs[5:]
    with Store(url) as s:
        statuses = s.document_statuses(batch)
        assert statuses[bad[0].id] == "new"
        outcomes = s.add_results([_result(d, ew) for d in batch])
        assert [type(o).__name__ for o in outcomes[5:7]] == ["ValueError", "ValueError"]
        assert "control characters" in str(outcomes[5]) and "longer than" in str(outcomes[6])
        assert s.counts()["documents"] == 10


def test_a_year_one_publication_date_costs_only_its_document(sqlite_url, ew):
    docs = _docs(3)
    docs[1].publication_date = date(1, 1, 1)
    with Store(sqlite_url) as s:
        outcomes = s.add_results([_result(d, ew) for d in docs])
        assert [type(o).__name__ for o in outcomes] == ["IngestOutcome", "ValueError", "IngestOutcome"]
        assert "outside 1800-2199" in str(outcomes[1]) and s.counts()["documents"] == 2


def test_a_nul_id_costs_only_its_document_on_sqlite(sqlite_url, ew):
    _nul_id_batch(sqlite_url, ew)


@pytest.mark.postgres
def test_a_nul_id_costs_only_its_document_on_postgresql(fresh_postgres_url, ew):
    _nul_id_batch(fresh_postgres_url, ew)


@pytest.mark.postgres
def test_nul_in_text_and_title_is_stored_on_postgresql(fresh_postgres_url):
    doc = Document("nul-text", "Troops\x00 shelled the town.", date(2021, 3, 2), title="a\x00b", source="s\x00")
    with Store(fresh_postgres_url) as s:
        s.add_document(doc, [])
        with s.engine.connect() as c:
            row = c.execute(text("SELECT text, title, source FROM documents")).one()
    assert tuple(row) == ("Troops\ufffd shelled the town.", "a\ufffdb", "s\ufffd")


# -- locations -------------------------------------------------------------------------------
@pytest.mark.parametrize("db, words", [
    ("foo://x", "unsupported database 'foo'"),
    ("mysql://user:hunter2@db.example/x", "unsupported database 'mysql'"),
    ("postgresql+psycopg2://u@h/db", "unsupported database"),
    ("sqlite://", "in-memory"),
    ("sqlite:///:memory:", "in-memory"),
    ("postgresql://u@h", "names no database"),
])  # fmt: skip
def test_locations_that_cannot_be_stores(db, words):
    with pytest.raises(StoreError) as err:
        Store(db)
    assert words in str(err.value) and "hunter2" not in str(err.value)


def test_a_folder_that_cannot_be_created_or_a_folder_as_the_store(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="cannot create the folder"):
        Store(tmp_path / "file" / "sub" / "s.sqlite")
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("just some notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="file is not a database"):
        Store(not_sqlite)
    assert not_sqlite.read_text().startswith("just some notes")


def test_eventwire_db_may_be_a_url_and_never_becomes_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EVENTWIRE_DB", "postgresql://ew:s3cret@127.0.0.1:9/nowhere?connect_timeout=1")
    assert database_url(None).startswith("postgresql+psycopg://")
    with pytest.raises(StoreError) as err:
        Store()
    assert "s3cret" not in str(err.value) and "127.0.0.1:9" in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_passwords_are_redacted_from_messages():
    assert redact("postgresql://u:pa:ss@h/db failed") == "postgresql://u:***@h/db failed"
    assert redact("host=h password=secret dbname=x") == "host=h password=*** dbname=x"
    assert redact("sqlite:///tmp/a:b@c.sqlite") == "sqlite:///tmp/a:b@c.sqlite"


def test_a_path_with_url_characters_is_a_plain_file(tmp_path):
    db = tmp_path / "odd?name#1%.sqlite"
    with Store(db) as s:
        s.add_document(_docs(1)[0], [])
    assert db.is_file()
    with Store(db, read_only=True) as s:
        assert s.counts()["documents"] == 1


# -- read-only opening -----------------------------------------------------------------------
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_read_only_never_creates_migrates_or_writes(tmp_path, ew):
    missing = tmp_path / "typo.sqlite"
    with pytest.raises(StoreError, match="no store at"):
        Store(missing, read_only=True)
    assert not missing.exists()
    db = tmp_path / "s.sqlite"
    with Store(db) as s:
        for doc, evs in (ew.taji_a(), ew.taji_b()):
            s.add_document(doc, evs)
    before = (_digest(db), os.stat(db).st_mtime_ns)
    with Store(db, read_only=True) as s:
        assert len(plover(s.iter_events())) == 2 and s.summary().counts["documents"] == 2
        with pytest.raises(StoreError, match="read-only"):
            s.add_document(ew.BASRA, [])
        with s.engine.connect() as c, pytest.raises(Exception, match=r"readonly|read-only|query_only"):
            c.execute(text("DELETE FROM documents"))
    assert (_digest(db), os.stat(db).st_mtime_ns) == before


def test_read_only_refuses_an_old_schema_and_a_foreign_database(tmp_path):
    import sqlite3

    db = tmp_path / "s.sqlite"
    Store(db).close()
    with sqlite3.connect(db) as c:
        c.execute("UPDATE alembic_version SET version_num = '0002'")
    with pytest.raises(StoreError, match="older schema"):
        Store(db, read_only=True)
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002",)
    with sqlite3.connect(db) as c:
        c.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="newer than this eventwire"):
        Store(db, read_only=True)
    with pytest.raises(StoreError, match="newer than this eventwire"):
        Store(db)
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not an eventwire store"):
        Store(other, read_only=True)


def test_read_only_works_when_the_wal_index_cannot_be_created(tmp_path, ew):
    db = tmp_path / "s.sqlite"
    with Store(db) as s:
        s.add_document(*ew.taji_a())
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    Path(f"{db}-shm").mkdir()  # no WAL index can be made next to it
    with Store(db, read_only=True) as s:
        assert s.counts()["documents"] == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in any folder")
def test_a_store_in_a_read_only_folder_can_be_queried(tmp_path, ew):
    folder = tmp_path / "ro"
    folder.mkdir()
    with Store(folder / "s.sqlite") as s:
        s.add_document(*ew.taji_a())
    folder.chmod(0o500)
    try:
        with Store(folder / "s.sqlite", read_only=True) as s:
            assert s.counts()["documents"] == 1
    finally:
        folder.chmod(0o700)


@pytest.mark.postgres
def test_read_only_on_postgresql(fresh_postgres_url, ew):
    with pytest.raises(StoreError, match="not an eventwire store"):
        Store(fresh_postgres_url, read_only=True)
    with Store(fresh_postgres_url) as s:
        s.add_document(*ew.taji_a())
    with Store(fresh_postgres_url, read_only=True) as s:
        assert s.counts()["documents"] == 1
        with s.engine.connect() as c, pytest.raises(Exception, match="read-only transaction"):
            c.execute(text("DELETE FROM event_reports"))


# -- queries ---------------------------------------------------------------------------------
def test_like_wildcards_in_actor_are_literal(sqlite_url, ew):
    with Store(sqlite_url) as s:
        for doc, evs in (ew.taji_a(), ew.taji_b(), ew.basra()):
            s.add_document(doc, evs)
        assert plover(s.iter_events(EventFilter(actor="%"))) == []
        assert plover(s.iter_events(EventFilter(actor="_"))) == []
        assert len(plover(s.iter_events(EventFilter(actor="gunm")))) == 1
        assert len(plover(s.iter_events(EventFilter(actor="USA")))) == 2


# -- the whole store failing -----------------------------------------------------------------
FILL = """
import sys
from datetime import date
from types import SimpleNamespace
from eventwire.model import Document
from eventwire.store import Store, StoreError
import resource
s = Store(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), int(sys.argv[2])))
done = 0
try:
    for b in range(200):
        docs = [Document(f"d{b}-{i}", ("Troops shelled the town. " * 400) + str(b * 100 + i), date(2021, 3, 2))
                for i in range(10)]
        outcomes = s.add_results([SimpleNamespace(document=d, events=[], sentences=(), toponyms=()) for d in docs])
        assert not any(isinstance(o, Exception) for o in outcomes), outcomes
        done += 10
except StoreError as exc:
    print("stopped", done, exc)
    sys.exit(3)
"""


def test_a_full_disk_stops_the_run_instead_of_failing_every_document(tmp_path):
    db = tmp_path / "full.sqlite"
    proc = subprocess.run([sys.executable, "-c", FILL, str(db), str(1_500_000)], capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert proc.stdout.startswith("stopped") and "Traceback" not in proc.stderr
    done = int(proc.stdout.split()[1])
    assert 0 < done < 2000
    with Store(db) as s:
        assert s.counts()["documents"] == done  # every committed batch whole, nothing else
