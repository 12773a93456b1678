"""Ingest benchmark: synthetic wire reports -> pipeline -> store (SQLite and PostgreSQL).

    .venv/bin/python benchmarks/ingest.py [--n 10000] [--pg-url postgresql://...] [--no-pg]

Generates N varied wire-style reports from templates written here (places, actors, dates,
casualties; several outlets retell the same incidents, so merging has real work) and codes them
with the pipeline (the ``extract`` baseline, timed).  Then ingests the same documents, as
``eventwire ingest`` does (``pipeline.ingest_into``: status check, parse, store on the writer
thread), into a fresh SQLite store and, when a server is available (``--pg-url``, or a throwaway
one started with initdb/pg_ctl), a PostgreSQL store.  Reports documents/s, the store's own time
and merge cost per document, and the ratio ingest / extract (target <= 1.20); also the ratio
(extract + store time) / extract, what ingest would cost if writing never overlapped parsing.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from eventwire.model import Document

PLACES = [("Kirkuk", "Kirkuk"), ("Mosul", "Nineveh"), ("Taji", "Baghdad"), ("Baqubah", "Diyala"),
          ("Ramadi", "Anbar"), ("Basra", "Basra"), ("Kabul", "Kabul"), ("Kandahar", "Kandahar"),
          ("Aleppo", "Aleppo"), ("Idlib", "Idlib"), ("Mogadishu", "Banaadir"), ("Maiduguri", "Borno"),
          ("Gao", "Gao"), ("Sanaa", "Sanaa"), ("Benghazi", "Cyrenaica")]  # fmt: skip
ATTACKERS = ["Gunmen", "Suspected militants", "Islamic State fighters", "Unidentified assailants",
             "Rebels", "Insurgents", "A suicide bomber", "Security forces"]  # fmt: skip
VICTIMS = ["soldiers", "police officers", "civilians", "villagers", "worshippers", "truck drivers",
           "pro-government militiamen", "students"]  # fmt: skip
TEMPLATES = [
    "{attacker} killed {dead} {victims} in an attack near {place} on {day}, officials said.",
    "At least {dead} {victims} were killed and {injured} wounded when {attacker_l} stormed a checkpoint in {place} on {day}.",
    "A roadside bomb struck a convoy outside {place} on {day}, killing {dead} {victims}, a local official told reporters.",
    "{attacker} fired rockets at a military base near {place} on {day}. {dead} {victims} died and {injured} were injured.",
    "Police arrested {arrested} suspects in {place} on {day} after protesters clashed with security forces.",
    "Hundreds of people protested in {place} on {day} against power cuts and unemployment.",
    "The governor of {province} province said on {day} that {dead} {victims} had been killed in fighting near {place}.",
]  # fmt: skip
FILLER = ["No group immediately claimed responsibility.",
          "The area has seen repeated violence in recent months.",
          "Residents said the situation remained tense.",
          "The interior ministry said an investigation was under way.",
          "Hospital sources confirmed the toll."]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def synthetic_documents(n: int, seed: int = 7) -> list[Document]:
    """N wire reports; about one in three retells an earlier incident in other words."""
    rng = random.Random(seed)
    incidents: list[dict] = []
    docs = []
    start = date(2021, 1, 1)
    for i in range(n):
        if incidents and rng.random() < 0.35:
            inc = dict(rng.choice(incidents[-200:]))
            inc["dead"] += rng.choice([0, 0, 1, 2])
        else:
            place, province = rng.choice(PLACES)
            inc = {"place": place, "province": province, "attacker": rng.choice(ATTACKERS),
                   "victims": rng.choice(VICTIMS), "dead": rng.randint(1, 30), "injured": rng.randint(0, 40),
                   "arrested": rng.randint(2, 50), "when": start + timedelta(days=rng.randint(0, 364)),
                   "template": rng.randrange(len(TEMPLATES))}  # fmt: skip
            incidents.append(inc)
        pub = inc["when"] + timedelta(days=rng.choice([0, 1, 1, 2]))
        tpl = TEMPLATES[(inc["template"] + rng.choice([0, 0, 1, 2])) % len(TEMPLATES)]
        lead = tpl.format(attacker=inc["attacker"], attacker_l=inc["attacker"].lower(), victims=inc["victims"],
                          dead=inc["dead"], injured=inc["injured"], arrested=inc["arrested"],
                          place=inc["place"], province=inc["province"],
                          day=WEEKDAYS[inc["when"].weekday()] if pub != inc["when"] else "Tuesday")  # fmt: skip
        body = " ".join(rng.sample(FILLER, 2))
        docs.append(Document(f"syn-{i:06d}", f"{inc['place'].upper()} - {lead} {body}", pub, source="synthetic"))
    return docs


def start_postgres() -> tuple[str, callable] | None:
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not initdb or not pg_ctl:
        return None
    root = Path(tempfile.mkdtemp(prefix="eventwire-bench-pg-"))
    pre = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if os.geteuid() == 0:
        shutil.chown(root, user="postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = root / "data"
    subprocess.run([*pre, initdb, "-D", str(data), "-A", "trust", "-U", "eventwire", "-E", "UTF8"],
                   check=True, capture_output=True)  # fmt: skip
    subprocess.run([*pre, pg_ctl, "-D", str(data), "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1",
                    "-l", str(root / "log"), "-w", "start"], check=True, capture_output=True)  # fmt: skip
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port={port} user=eventwire dbname=postgres", autocommit=True) as c:
        c.execute("CREATE DATABASE bench")

    def stop() -> None:
        subprocess.run([*pre, pg_ctl, "-D", str(data), "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)

    return f"postgresql://eventwire@127.0.0.1:{port}/bench", stop


BATCH = 32


def ingest_run(url: str, docs: list[Document], pipe) -> dict:
    """Ingest ``docs`` into the store at ``url`` the way ``eventwire ingest`` does."""
    from eventwire.pipeline import ingest_into
    from eventwire.store import Store

    with Store(url) as store:
        t0 = time.perf_counter()
        kinds: dict[str, int] = {}
        for step in ingest_into(store, docs, lambda: pipe, BATCH):
            kinds[step.kind] = kinds.get(step.kind, 0) + 1
        elapsed = time.perf_counter() - t0
        if set(kinds) != {"stored"}:
            raise SystemExit(f"ingest did not store every document: {kinds}")
        st = store.stats
        return {"s": elapsed, "store_s": st.write_s + st.merge_s, "merge_s": st.merge_s, "counts": store.counts()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000, help="documents (default 10000)")
    ap.add_argument("--pg-url", help="an existing PostgreSQL database to use (it gets the schema)")
    ap.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = ap.parse_args(argv)

    from eventwire.pipeline import Pipeline

    docs = synthetic_documents(args.n)
    pipe = Pipeline()
    list(pipe.pipe(synthetic_documents(64, seed=1)))  # warm up (lazy loads, caches) before timing
    t0 = time.perf_counter()
    n_events = sum(len(r.events) for r in pipe.pipe(docs))  # results not kept, as in extract
    extract_s = time.perf_counter() - t0
    print(f"documents: {args.n}, events: {n_events}")
    print(f"extract alone (baseline): {extract_s:.1f} s, {args.n / extract_s:.1f} docs/s")

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("sqlite", ingest_run(str(Path(tmp) / "bench.sqlite"), docs, pipe)))
    if not args.no_pg:
        stop = None
        url = args.pg_url
        if url is None:
            started = start_postgres()
            if started is None:
                print("postgresql: skipped (no initdb/pg_ctl and no --pg-url)")
            else:
                url, stop = started
        try:
            if url:
                rows.append(("postgresql", ingest_run(url, docs, pipe)))
        finally:
            if stop:
                stop()
    for name, r in rows:
        c = r["counts"]
        print(f"{name}: ingest {r['s']:.1f} s, {args.n / r['s']:.1f} docs/s; store {r['store_s']:.1f} s "
              f"({args.n / r['store_s']:.0f} docs/s store alone); merge {1000 * r['merge_s'] / args.n:.2f} ms/doc; "
              f"{c['canonical_events']} canonical events from {c['event_reports']} reports; "
              f"ratio ingest/extract = {r['s'] / extract_s:.3f} (target <= 1.20); "
              f"without overlap (extract + store)/extract = {(extract_s + r['store_s']) / extract_s:.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
