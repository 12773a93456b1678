"""API load benchmark: ``GET /api/events`` on a store of 100,000 events, from loopback.

    .venv/bin/python benchmarks/api_load.py [--n 100000] [--requests 3000] [--seconds 30]
                                            [--clients 4] [--db PATH]

Writes N synthetic events straight into the store's tables (bounded: 5,000 rows a statement;
documents, events, actors, event_reports and canonical_events, as ingest would leave them) in a
temporary SQLite store (or uses ``--db``, filling it only when empty), starts a real
``eventwire serve`` on 127.0.0.1, and sends filtered page requests from ``--clients`` threads
with keep-alive connections, each request followed by the same page as JSON, until
``--requests`` are done or ``--seconds`` have passed.  Beside it, in the same run, the plain SQL
query of the same page (the statements the store runs for that page, captured and replayed
through the sqlite3 module with the same number of threads, rows fetched, nothing decoded).

Prints requests/s and p50/p95 latency of each, and the ratio API / SQL throughput.
Targets (issue 13): p95 of a filtered page under 100 ms; at least half the SQL throughput.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import event, insert

from eventwire.store import EventFilter, Store
from eventwire.store import schema as S

# (alpha-3, country, centre lat, centre lon, spread in degrees, share of events)
COUNTRIES = [("IRQ", "Iraq", 33.3, 44.4, 3.0, 0.25), ("SYR", "Syria", 35.0, 38.5, 2.0, 0.15),
             ("AFG", "Afghanistan", 34.5, 67.0, 3.0, 0.12), ("YEM", "Yemen", 15.4, 45.0, 2.0, 0.10),
             ("SOM", "Somalia", 4.0, 45.5, 3.0, 0.08), ("NGA", "Nigeria", 10.0, 8.0, 4.0, 0.08),
             ("MLI", "Mali", 15.0, -2.0, 4.0, 0.06), ("LBY", "Libya", 29.0, 17.0, 4.0, 0.05),
             ("UKR", "Ukraine", 48.5, 34.0, 3.0, 0.06), ("COL", "Colombia", 4.5, -74.0, 3.0, 0.05)]  # fmt: skip
TYPES = [("ASSAULT", 0.35), ("COERCE", 0.12), ("PROTEST", 0.1), ("ACCUSE", 0.1), ("THREATEN", 0.06),
         ("MOBILIZE", 0.05), ("CONSULT", 0.08), ("AID", 0.04), ("REQUEST", 0.04), ("SUPPORT", 0.03),
         ("COOPERATE", 0.02), ("SANCTION", 0.01)]  # fmt: skip
SECTORS = ["MIL", "COP", "GOV", "REB", "UAF", "CVL", "PRM"]
DOCS_PER_EVENT = 0.25
BATCH = 5000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fill_store(store: Store, n: int, seed: int = 13) -> None:
    """N events (with their documents, actors, report rows and one canonical event each) written
    straight into the tables, BATCH rows a statement."""
    rng = random.Random(seed)
    start = date(2016, 1, 1)
    now = datetime.now(UTC)
    countries = [c for c in COUNTRIES]
    cweights = [c[5] for c in COUNTRIES]
    types = [t for t, _ in TYPES]
    tweights = [w for _, w in TYPES]
    n_docs = max(1, int(n * DOCS_PER_EVENT))
    with store.engine.begin() as conn:
        for lo in range(0, n_docs, BATCH):
            conn.execute(insert(S.documents), [
                {"id": f"bench-{i:07d}", "content_hash": f"{i:064x}", "publication_date": start + timedelta(days=i % 3000),
                 "text": f"Report {i}. Gunmen attacked a checkpoint near the town; two soldiers were killed.",
                 "title": f"Report {i}", "url": None, "source": "bench", "ingested_at": now, "n_events": 4}
                for i in range(lo, min(n_docs, lo + BATCH))
            ])  # fmt: skip
        for lo in range(0, n, BATCH):
            events, actors, reports, canon = [], [], [], []
            for i in range(lo, min(n, lo + BATCH)):
                cc, cname, lat0, lon0, spread, _ = rng.choices(countries, cweights)[0]
                etype = rng.choices(types, tweights)[0]
                day = start + timedelta(days=rng.randrange(3000)) if rng.random() > 0.01 else None
                lat, lon = lat0 + rng.uniform(-spread, spread), lon0 + rng.uniform(-spread, spread)
                dead = rng.choice([None, None, 0, 1, 2, 3, 5, 12]) if etype == "ASSAULT" else None
                conf = round(rng.uniform(0.3, 0.95), 3)
                eid, doc = f"ew-{i:016x}", f"bench-{i % n_docs:07d}"
                a = {"entity_text": "Gunmen", "code": None, "sector": rng.choice(SECTORS)}
                r = {"entity_text": "soldiers", "code": cc, "sector": "MIL"}
                loc = {"extracted_place": f"Town {i % 997}", "resolved_place": f"Town {i % 997}", "geonameid": i % 997,
                       "lat": lat, "lon": lon, "district": None, "province": f"Province {i % 17}", "country": cname,
                       "country_code": cc, "feature_class": "P", "feature_code": "PPL", "resolution": 4}
                row = {
                    "id": eid, "doc_id": doc, "seq": i // n_docs, "primary_type": etype, "date": day, "enddate": None,
                    "date_precision": "day" if day else None, "date_source": "text" if day else None,
                    "event": [etype], "mode": [], "context": [], "actor": [a], "recipient": [r], "event_loc": loc,
                    "lat": lat, "lon": lon, "country_code": cc, "province": loc["province"], "geonameid": i % 997,
                    "resolution": 4, "dead": dead, "injured": None, "arrested": None, "event_text": ["attacked"],
                    "sentence_seq": 1, "evidence_start": 10, "evidence_end": 80, "trigger_offsets": [[19, 27]],
                    "cameo": "190", "acled_event_type": "Battles", "acled_sub_event_type": "Armed clash",
                    "quad_code": 4, "confidence": conf, "reciprocal": False, "modal": False,
                    "evidence": {"event": [[19, 27]], "actor": [[10, 16]], "place": [[40, 44]]},
                }  # fmt: skip
                events.append(row)
                actors.append({"event_id": eid, "role": "actor", "position": 0, "entity_text": "Gunmen", "code": None,
                               "sector": a["sector"], "identifier_text": None})  # fmt: skip
                actors.append({"event_id": eid, "role": "recipient", "position": 0, "entity_text": "soldiers",
                               "code": cc, "sector": "MIL", "identifier_text": None})  # fmt: skip
                cid = "ewc-" + eid[3:]
                rec = {k: v for k, v in row.items() if k in ("id", "doc_id", "event", "mode", "context", "actor",
                                                          "recipient", "event_loc", "event_text", "cameo",
                                                          "acled_event_type", "acled_sub_event_type", "quad_code",
                                                          "confidence", "reciprocal", "date_precision", "date_source")}  # fmt: skip
                rec.update({"id": cid, "date": day.isoformat() if day else None, "enddate": None,
                            "size": {"dead": dead, "injured": None, "arrested": None},
                            "text_info": {"sequence": 1, "start": 10, "end": 80}, "n_reports": 1, "reports": [eid]})  # fmt: skip
                canon.append({
                    "id": cid, "family": etype, "primary_type": etype, "date": day, "enddate": None,
                    "match_start": day or date(1, 1, 1), "match_end": day or date(1, 1, 1), "lat": lat, "lon": lon,
                    "country_code": cc, "province": loc["province"], "resolution": 4, "dead": dead, "injured": None,
                    "arrested": None, "n_reports": 1, "confidence": conf, "record": rec, "match": None, "tally": None,
                    "updated_at": now, "long_window": False,
                })  # fmt: skip
                reports.append({"event_id": eid, "canonical_id": cid, "doc_id": doc, "evidence_start": 10,
                                "evidence_end": 80, "reason": {"rule": "first report"}, "added_at": now})  # fmt: skip
            conn.execute(insert(S.events), events)
            conn.execute(insert(S.actors), actors)
            conn.execute(insert(S.canonical_events), canon)
            conn.execute(insert(S.event_reports), reports)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")


def captured_sql(store: Store, filters: EventFilter, canonical: bool, limit: int) -> list[tuple[str, tuple]]:
    """The statements (SQL text and parameters) the store runs for one page."""
    seen: list[tuple[str, tuple]] = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):  # not the BEGIN the store's engine issues
            seen.append((statement, tuple(parameters)))

    event.listen(store.engine, "before_cursor_execute", grab)
    try:
        store.page_events(filters, canonical=canonical, limit=limit)
    finally:
        event.remove(store.engine, "before_cursor_execute", grab)
    return seen


def hammer(worker, clients: int, requests: int, seconds: float) -> dict[str, float]:
    """Run ``worker()`` (one timed call) from ``clients`` threads until ``requests`` calls are
    done or ``seconds`` have passed; requests/s and latency percentiles (ms)."""
    lock = threading.Lock()
    latencies: list[float] = []
    remaining = [requests]
    deadline = time.perf_counter() + seconds

    def run() -> None:
        call = worker()
        while True:
            with lock:
                if remaining[0] <= 0 or time.perf_counter() > deadline:
                    return
                remaining[0] -= 1
            t0 = time.perf_counter()
            call()
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)

    threads = [threading.Thread(target=run) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat = sorted(latencies)
    return {
        "n": len(lat), "rps": len(lat) / wall,
        "p50": 1000 * statistics.median(lat), "p95": 1000 * lat[int(0.95 * (len(lat) - 1))],
    }  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=3000, help="requests per measurement (bound)")
    ap.add_argument("--seconds", type=float, default=30.0, help="seconds per measurement (bound)")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--db", help="an SQLite store to use (filled when empty); default: a temporary one")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="ew-api-load-")
    path = Path(args.db) if args.db else Path(tmp) / "store.sqlite"
    store = Store(path)
    if store.counts()["events"] == 0:
        t0 = time.perf_counter()
        fill_store(store, args.n)
        print(f"store: {args.n:,} events written in {time.perf_counter() - t0:.1f} s ({path})")
    print(f"store: {store.counts()['events']:,} events, {store.counts()['documents']:,} documents")

    pages = [
        ("country=IRQ&type=ASSAULT", {"country": "IRQ", "type": "ASSAULT"}, EventFilter(country="IRQ", event_type="ASSAULT"), False),
        ("country=SYR&min_confidence=0.8", {"country": "SYR", "min_confidence": "0.8"}, EventFilter(country="SYR", min_confidence=0.8), False),
        ("bbox+since, canonical", {"bbox": "40,30,48,37", "since": "2020-01-01", "canonical": "true"},
         EventFilter(bbox=(40.0, 30.0, 48.0, 37.0), since=date(2020, 1, 1)), True),
    ]  # fmt: skip
    limit = 100
    port = _free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    server = subprocess.Popen(
        [sys.executable, "-c", "from eventwire.cli import main; main()", "serve", "--db", str(path), "--port", str(port),
         "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    try:
        deadline = time.time() + 60
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline or server.poll() is not None:
                print("server did not start", file=sys.stderr)
                return 1
            time.sleep(0.2)
        ok = True
        for label, params, filters, canonical in pages:
            query = "/api/events?" + urlencode({**params, "limit": limit})

            def api_worker(query: str = query):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

                def call() -> None:
                    conn.request("GET", query, headers={"Accept": "application/json"})
                    resp = conn.getresponse()
                    body = resp.read()
                    if resp.status != 200:
                        raise RuntimeError(f"{query}: HTTP {resp.status} {body[:200]!r}")

                return call

            first = json.loads(_get(port, query))
            statements = captured_sql(store, filters, canonical, limit)

            def sql_worker(statements=statements):
                db = sqlite3.connect(str(path), check_same_thread=False)

                def call() -> None:
                    for sql, p in statements:
                        db.execute(sql, p).fetchall()

                return call

            api = hammer(api_worker, args.clients, args.requests, args.seconds)
            sql = hammer(sql_worker, args.clients, args.requests, args.seconds)
            ratio = api["rps"] / sql["rps"]
            print(f"\n{label}: page of {len(first['events'])} events ({len(statements)} SQL statement(s))")
            print(f"  API  GET {query}: {api['rps']:8.1f} req/s  p50 {api['p50']:6.1f} ms  p95 {api['p95']:6.1f} ms  ({api['n']} requests)")
            print(f"  SQL  same page via sqlite3:   {sql['rps']:8.1f} q/s    p50 {sql['p50']:6.1f} ms  p95 {sql['p95']:6.1f} ms  ({sql['n']} queries)")
            print(f"  ratio API/SQL throughput {ratio:.2f} (target >= 0.5); p95 {'under' if api['p95'] < 100 else 'OVER'} 100 ms")
            ok = ok and ratio >= 0.5 and api["p95"] < 100
        return 0 if ok else 1
    finally:
        server.terminate()
        server.wait(10)
        store.close()


def _get(port: int, query: str) -> bytes:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", query)
    return c.getresponse().read()


if __name__ == "__main__":
    sys.exit(main())
