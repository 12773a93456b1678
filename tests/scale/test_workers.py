"""``--workers``: worker processes give the same output as one process, in input order; a bad
document fails alone, also one that kills its worker; the store keeps a single writer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eventwire.model import Document
from eventwire.pipeline import CodingFailure, DocumentResult
from eventwire.scale import WorkerPool, default_workers
from support.shared import shared_path

pytestmark = pytest.mark.slow
N_STORIES = 6


def cli(*args: str, workers: int, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "EVENTWIRE_WORKERS": str(workers)}
    return subprocess.run([sys.executable, "-m", "eventwire", *args], capture_output=True, text=True,
                          env=env, timeout=300, **kw)  # fmt: skip


@pytest.fixture(scope="module")
def stories(tmp_path_factory) -> Path:
    """A few public-domain news stories, and one line the reader rejects, as JSONL."""
    lines = shared_path("corpus", "voa_stories.jsonl").read_text(encoding="utf-8").splitlines()[:N_STORIES]
    path = tmp_path_factory.mktemp("stories") / "stories.jsonl"
    path.write_text("\n".join(lines[:3] + ['{"id": "empty", "text": ""}'] + lines[3:]) + "\n", encoding="utf-8")
    return path


def test_default_is_every_core_unless_set(monkeypatch):
    monkeypatch.delenv("EVENTWIRE_WORKERS", raising=False)
    assert default_workers() == len(os.sched_getaffinity(0))
    monkeypatch.setenv("EVENTWIRE_WORKERS", "3")
    assert default_workers() == 3


def test_extract_and_geoparse_give_the_same_output_with_two_workers(stories):
    for command in ("extract", "geoparse"):
        one = cli(command, str(stories), workers=1)
        two = cli(command, str(stories), "--workers", "2", workers=1)
        assert one.returncode == two.returncode == 1, (one.stderr, two.stderr)  # the empty line is rejected
        assert "empty: document empty: empty 'text'" in two.stderr or "empty 'text'" in two.stderr
        assert one.stdout == two.stdout and one.stdout.strip()
    # in input order: the documents' events come document by document as in the file
    doc_ids = [json.loads(x)["doc_id"] for x in two.stdout.splitlines()]
    order = [json.loads(x)["id"] for x in stories.read_text(encoding="utf-8").splitlines()]
    assert doc_ids == sorted(doc_ids, key=order.index)


def test_ingest_with_two_workers_stores_what_one_process_stores(stories, tmp_path):
    dumps = []
    for workers in (1, 2):
        db = str(tmp_path / f"w{workers}.sqlite")
        res = cli("ingest", str(stories), "--db", db, "--batch-size", "4", workers=workers)
        assert res.returncode == 1, res.stderr
        assert f"{N_STORIES} added" in res.stderr and "1 rejected" in res.stderr
        dumps.append(cli("events", "--db", db, "--format", "plover", workers=1).stdout)
        again = cli("ingest", str(stories), "--db", db, workers=workers)  # nothing to parse: no worker starts
        assert f"{N_STORIES} unchanged" in again.stderr
    assert dumps[0] == dumps[1] and dumps[0].strip()


def _docs(stories: Path) -> list[Document]:
    from eventwire.ingest import read_documents

    return [d for d in read_documents([str(stories)]) if isinstance(d, Document)]


def test_a_bad_document_fails_alone_also_when_it_kills_its_worker(stories):
    from support.faulty import code_or_fail

    docs = _docs(stories)
    for doc, new_id in zip(docs[1:3], ("raise-1", "die-1"), strict=True):
        doc.id = new_id
    with WorkerPool(2, task=code_or_fail, batch_size=2) as pool:
        got = list(pool.map(docs))
        assert [d.id for d, _ in got] == [d.id for d in docs]
        failed = {d.id: r.message for d, r in got if isinstance(r, CodingFailure)}
        assert failed.keys() == {"raise-1", "die-1"}, failed
        assert "cannot code raise-1" in failed["raise-1"] and "died" in failed["die-1"]
        assert all(isinstance(r, DocumentResult) and r.events for d, r in got if d.id not in failed)
        assert pool.restarts >= 1
        assert 100 < pool.peak_rss_per_worker() < 1500  # MB: the model and the gazetteer, per worker


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the worker processes")
def test_workers_end_when_the_command_is_killed(stories):
    import signal
    import time

    proc = subprocess.Popen([sys.executable, "-m", "eventwire", "extract", str(stories), "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        workers: list[int] = []
        deadline = time.time() + 120
        while time.time() < deadline and len(workers) < 2 and proc.poll() is None:
            time.sleep(0.2)
            workers = [w for server in _children(proc.pid) for w in _children(server)]
        assert len(workers) == 2, "the workers did not start"
        servers = [s for s in _children(proc.pid) if _children(s)]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.time() + 20
        while time.time() < deadline and any(_alive(p) for p in workers + servers):
            time.sleep(0.2)
        assert not [p for p in workers + servers if _alive(p)]
    finally:
        if proc.poll() is None:
            proc.kill()
