"""The store commands under interruption, failing stores and hostile content: one line, the
documented exit code, every stored document complete, read commands that change nothing."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from eventwire.store import Store
from support.cli import EVENTWIRE, check_stderr, run

pytestmark = pytest.mark.slow


def _wire(path: Path, n: int, prefix: str = "w") -> str:
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"{prefix}{i}", "publication_date": "2021-03-02", "text":
                                f"Gunmen killed {i % 7 + 2} police officers in Kirkuk on Monday, officials said. "
                                f"Report number {i}."}) + "\n")  # fmt: skip
    return str(path)


def _documents(db: str) -> int:
    try:
        with Store(db, read_only=True) as s:
            return s.counts()["documents"]
    except Exception:  # noqa: BLE001 - not created yet
        return 0


def _complete(db: str) -> int:
    """Every stored document has all its events; returns the number of documents."""
    with Store(db, read_only=True) as s, s.engine.connect() as c:
        bad = c.execute(text(
            "SELECT d.id FROM documents d LEFT JOIN events e ON e.doc_id = d.id "
            "GROUP BY d.id, d.n_events HAVING COUNT(e.id) != d.n_events"
        )).all()  # fmt: skip
        assert bad == []
        return s.counts()["documents"]


def _writers(db: str) -> list[int]:
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


def _group_alive(pgid: int) -> bool:
    """Whether any process of the process group ``pgid`` is still running."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for(db: str, n: int, proc: subprocess.Popen, timeout: float = 180) -> int:
    deadline = time.time() + timeout
    stored = 0
    while time.time() < deadline and stored < n and proc.poll() is None:
        time.sleep(0.3)
        stored = _documents(db)
    return stored


def _lines(stderr: str) -> list[str]:
    lines = [x for x in stderr.splitlines() if x.strip()]
    assert all(x.startswith("eventwire: ") for x in lines), stderr
    return lines


@pytest.mark.parametrize("signum, code, word, workers", [
    (signal.SIGINT, 130, "interrupted", 1), (signal.SIGTERM, 143, "terminated", 1), (signal.SIGINT, 130, "interrupted", 2),
])  # fmt: skip
def test_ctrl_c_and_sigterm_during_ingest(tmp_path, signum, code, word, workers):
    """The signal goes to the whole process group, as the terminal sends Ctrl-C: the command
    stops with one line and its exit code, the writer (and the coding workers) stop, every
    stored document is complete and a rerun stores the rest."""
    src = _wire(tmp_path / "wire.jsonl", 400)
    db = str(tmp_path / "int.sqlite")
    cmd = [*EVENTWIRE, "ingest", src, "--db", db, "--batch-size", "16", "--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    stored = _wait_for(db, 48, proc)
    assert stored >= 48, "the ingest did not get going"
    os.killpg(proc.pid, signum)
    err = proc.communicate(timeout=120)[1]
    check_stderr(["ingest"], err)
    assert proc.returncode == code, err
    lines = _lines(err)
    assert lines[-1] == f"eventwire: {word}" and "run the same command again" in lines[-2]
    for _ in range(40):
        if not _writers(db) and not _group_alive(proc.pid):
            break
        time.sleep(0.25)
    assert _writers(db) == [] and not _group_alive(proc.pid)  # no writer, no worker left behind
    n = _complete(db)
    assert 48 <= n < 400
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    check_stderr(["ingest"], rerun.stderr)
    assert rerun.returncode == 0 and f"{n} unchanged" in rerun.stderr
    assert _complete(db) == 400


def test_a_disk_that_fills_during_ingest_stops_it_with_one_line(tmp_path):
    import resource

    db = str(tmp_path / "full.sqlite")
    Store(db).close()  # created and migrated before the disk "fills"
    limit = os.path.getsize(db) + 400_000

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    src = _wire(tmp_path / "wire.jsonl", 600)
    # (--any-language: py3langid unpacks its model through a 68 MB temporary file, which this
    # small "disk" refuses; the check then stands aside with a warning of its own)
    proc = subprocess.run([*EVENTWIRE, "ingest", src, "--db", db, "--batch-size", "16", "--any-language"],
                          capture_output=True, text=True, timeout=600, preexec_fn=small_disk)  # fmt: skip
    check_stderr(["ingest"], proc.stderr)
    assert proc.returncode == 1, proc.stderr
    lines = _lines(proc.stderr)
    assert len(lines) == 2, lines  # not one line per remaining document
    assert "ingest stopped" in lines[-1] and ("full" in lines[-1] or "I/O" in lines[-1])
    assert 0 < _complete(db) < 600


@pytest.mark.postgres
def test_a_database_server_that_stops_during_ingest(tmp_path, ew):
    with ew.postgres_server() as (url, stop):
        src = _wire(tmp_path / "wire.jsonl", 600)
        proc = subprocess.Popen([*EVENTWIRE, "ingest", src, "--db", url, "--batch-size", "16"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
        assert _wait_for(url, 32, proc) >= 32
        stop()
        err = proc.communicate(timeout=180)[1]
    check_stderr(["ingest"], err)
    assert proc.returncode == 1, err
    lines = _lines(err)
    assert "ingest stopped" in lines[-1] and "AttributeError" not in err
    assert len(lines) == 2, lines


@pytest.mark.postgres
def test_nul_ids_through_ingest_on_postgresql(tmp_path, fresh_postgres_url):
    good = [{"id": f"g{i}", "text": f"Gunmen killed {i + 2} police officers in Kirkuk on Monday.",
             "publication_date": "2021-03-02"} for i in range(10)]  # fmt: skip
    bad = [{**good[0], "id": "bad\u0000id"}, {**good[0], "id": "x" * 600}]
    src = tmp_path / "nul.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in good[:5] + bad + good[5:]), encoding="utf-8")
    res = run("ingest", str(src), "--db", fresh_postgres_url)
    assert res.exit_code == 1
    assert [x.split(": ", 2)[1] for x in _lines(res.stderr)[:2]] == [f"{src}:6", f"{src}:7"]
    assert _complete(fresh_postgres_url) == 10


def _digest(db: str) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(Path(db).parent.glob("*.sqlite*"))}


def test_read_commands_change_nothing_and_print_content_literally(tmp_path):
    db = str(tmp_path / "store" / "s.sqlite")
    src = tmp_path / "m.jsonl"
    docs = [
        {"id": "m1", "text": "[bold]Gunmen[/] killed two police officers in Kirkuk on Monday, officials said.",
         "publication_date": "2021-06-09", "title": "[/]"},
        {"id": "m2", "text": "Gunmen killed two police officers in Kirkuk on Monday [/], police said.",
         "publication_date": "2021-06-10"},
        {"id": "m3", "text": "A roadside bomb killed 50% of a patrol near 100_percent Mosul on Sunday.",
         "publication_date": "2021-06-10"},
    ]  # fmt: skip
    src.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    assert run("ingest", str(src), "--db", db).exit_code == 0
    Store(db).close()  # a writer's clean close: no WAL left to fold in
    before = _digest(db)
    res = run("events", "--db", db)
    assert res.exit_code == 0 and "Gunmen" in res.stdout
    merged = [json.loads(x) for x in run("events", "--db", db, "--canonical", "-f", "plover").stdout.splitlines()]
    canonical = max(merged, key=lambda c: c["n_reports"])
    assert canonical["n_reports"] == 2
    res = run("explain", canonical["id"], "--db", db)
    assert res.exit_code == 0 and "[/]" in res.stdout and "report 2" in res.stdout
    res = run("summary", "--db", db)
    assert res.exit_code == 0 and "Gunmen" in res.stdout
    assert run("events", "--db", db, "--actor", "%", "-f", "plover").stdout == ""
    assert run("events", "--db", db, "--actor", "_", "-f", "plover").stdout == ""
    assert run("explain", "ewc-[/]", "--db", db).exit_code == 1
    after = {k: v for k, v in _digest(db).items() if k.endswith(".sqlite")}
    assert after == {k: v for k, v in before.items() if k.endswith(".sqlite")}


def test_migrate_creates_and_upgrades(tmp_path):
    db = str(tmp_path / "new.sqlite")
    res = run("migrate", "--db", db)
    assert res.exit_code == 0 and "schema revision" in res.stderr
    assert run("summary", "--db", db).exit_code == 0
