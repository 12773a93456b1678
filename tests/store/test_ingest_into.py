"""``pipeline.ingest_into``: the ingest loop of the CLI, with the real pipeline and store."""

from __future__ import annotations

from datetime import date

from eventwire.ingest import IngestError
from eventwire.model import Document
from eventwire.pipeline import Pipeline, ingest_into
from eventwire.store import Store

KIRKUK = Document("k1", "Gunmen killed two police officers in Kirkuk on Monday, officials said.", date(2021, 3, 2))
MOSUL = Document("m1", "A roadside bomb killed three soldiers near Mosul on Sunday.", date(2021, 3, 1))


def test_every_input_gets_one_step_and_stored_documents_are_not_parsed_again(tmp_path):
    made = []

    def pipeline():
        made.append(1)
        return Pipeline()

    items = [KIRKUK, IngestError("wire.jsonl:2", "not a JSON object"), MOSUL]
    with Store(tmp_path / "s.sqlite") as store:
        steps = list(ingest_into(store, items, pipeline, batch_size=2))
        assert sorted((s.kind, s.source) for s in steps) == [
            ("rejected", "wire.jsonl:2"), ("stored", "k1"), ("stored", "m1"),
        ]  # fmt: skip
        assert all(s.outcome.status == "added" and s.outcome.n_events >= 1 for s in steps if s.kind == "stored")
        again = list(ingest_into(store, [MOSUL, KIRKUK], pipeline, batch_size=2))
        assert [(s.kind, s.source) for s in again] == [("unchanged", "m1"), ("unchanged", "k1")]
        assert made == [1]  # nothing left to parse: no second model load
        assert store.counts()["documents"] == 2


def test_nothing_to_parse_loads_no_model(tmp_path):
    def pipeline():
        raise AssertionError("the model must not be loaded")

    with Store(tmp_path / "s.sqlite") as store:
        steps = list(ingest_into(store, [IngestError("a.txt", "empty file")], pipeline))
    assert [s.kind for s in steps] == ["rejected"]


def test_a_writer_that_cannot_open_the_store_says_so(tmp_path):
    import pytest

    from eventwire.store import StoreError
    from eventwire.store.writer import StoreWriter

    (tmp_path / "file").write_text("not a directory")
    writer = StoreWriter(f"sqlite:///{tmp_path / 'file' / 'store.sqlite'}")
    with pytest.raises(StoreError):
        writer.submit([])
        writer.next_outcomes()
    writer.close()


def test_the_writer_command_line_shows_no_password():
    import pytest

    from eventwire.store import StoreError
    from eventwire.store.writer import StoreWriter

    writer = StoreWriter("postgresql://ingest:s3cret@127.0.0.1:9/nowhere?connect_timeout=1")
    assert "s3cret" not in " ".join(writer._proc.args) and "127.0.0.1:9/nowhere" in " ".join(writer._proc.args)
    with pytest.raises(StoreError):  # nothing listens on port 9
        writer.next_outcomes()
    writer.close()


def _writer_processes(db: str) -> list[int]:
    import os

    found = []
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().split(b"\0")
        except OSError:
            continue
        if b"eventwire.store.writer" in cmd and any(db.encode() in part for part in cmd):
            found.append(int(pid))
    return found


def test_kill_9_of_a_cli_ingest_keeps_complete_documents_and_leaves_no_writer(tmp_path):
    """The real command in a subprocess, killed once it has stored a few batches; the writer
    process stops by itself, every stored document is complete, and a rerun stores the rest."""
    import json
    import os
    import signal
    import subprocess
    import sys
    import time

    from sqlalchemy import text

    src = tmp_path / "wire.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for i in range(400):
            f.write(json.dumps({"id": f"w{i}", "publication_date": "2021-03-02", "text":
                                f"Gunmen killed {i % 7 + 2} police officers in Kirkuk on Monday, officials said. "
                                f"Report number {i}."}) + "\n")  # fmt: skip
    db = str(tmp_path / "kill.sqlite")
    cmd = [sys.executable, "-c", "from eventwire.cli import main; main()", "ingest", str(src), "--db", db,
           "--batch-size", "16"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and stored < 48:
        time.sleep(0.5)
        try:
            with Store(db) as s:
                stored = s.counts()["documents"]
        except Exception:  # noqa: BLE001 - not created yet
            stored = 0
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert stored >= 48, "the ingest did not get going"
    for _ in range(40):  # the writer finishes its batch and sees its input end
        if not _writer_processes(db):
            break
        time.sleep(0.25)
    assert _writer_processes(db) == []
    with Store(db) as s, s.engine.connect() as c:
        n = s.counts()["documents"]
        assert 48 <= n < 400
        bad = c.execute(text(
            "SELECT d.id FROM documents d LEFT JOIN events e ON e.doc_id = d.id "
            "GROUP BY d.id, d.n_events HAVING COUNT(e.id) != d.n_events"
        )).all()  # fmt: skip
        assert bad == []
    rerun = subprocess.run(cmd, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{n} unchanged" in rerun.stderr
    with Store(db) as s:
        assert s.counts()["documents"] == 400
