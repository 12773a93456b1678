"""Fuzz run: N generated JSON Lines (valid reports mixed with hostile and careless lines) through
``eventwire extract`` and ``eventwire ingest`` (SQLite and PostgreSQL), as real commands.

    .venv/bin/python benchmarks/fuzz_ingest.py [--n 10000] [--seed 12] [--no-pg] [--keep DIR]

Each line is generated as valid or invalid by construction (the script is its own oracle, it
does not ask eventwire's readers).  Checks, for every run: no traceback on stderr, every stderr
line is one ``eventwire: ...`` line, exit code 1 (some inputs rejected); for ``extract``, every
rejected line is an invalid one and every invalid line is named; for ``ingest``, the store holds
exactly the valid documents, every one complete (as many event rows as it says), and a second
ingest of the same file stores nothing new.  Prints the counts, the times and PASS or FAIL.
The PostgreSQL server is a throwaway one (initdb/pg_ctl), as in ``benchmarks/ingest.py``.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ingest import start_postgres, synthetic_documents  # noqa: E402  (benchmarks/ingest.py)

EVENTWIRE = [sys.executable, "-c", "from eventwire.cli import main; main()"]

# written for this script: reports in other languages (the coding is English only)
FOREIGN = [
    "Des hommes armés ont tué deux policiers lundi près de la frontière, selon les autorités locales.",
    "Hombres armados mataron a dos policías el lunes cerca de la frontera, dijeron las autoridades.",
    "Bewaffnete haben am Montag nahe der Grenze zwei Polizisten getötet, teilten die Behörden mit.",
    "Вооруженные люди убили двух полицейских в понедельник недалеко от границы.",
    "قتل مسلحون شرطيين اثنين يوم الاثنين قرب الحدود بحسب السلطات المحلية",
]


def generate(n: int, seed: int) -> tuple[list[bytes], set[int], dict[str, int]]:  # noqa: C901 - one case per kind of line
    """``n`` lines; the numbers (1-based) of the invalid ones; the valid documents' ids -> line."""
    rng = random.Random(seed)
    stories = [d.text for d in synthetic_documents(n, seed=seed)]
    lines: list[bytes] = []
    invalid: set[int] = set()
    valid: dict[str, int] = {}
    foreign: dict[str, int] = {}

    def add(line: bytes | str, ok: bool, doc_id: str | None = None) -> None:
        lines.append(line if isinstance(line, bytes) else line.encode("utf-8", "surrogatepass"))
        if ok:
            assert doc_id is not None and doc_id not in valid
            valid[doc_id] = len(lines)
        else:
            invalid.add(len(lines))

    def good(doc_id: str, **extra: object) -> dict[str, object]:
        rec: dict[str, object] = {"id": doc_id, "text": rng.choice(stories),
                                  "publication_date": f"2021-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
        rec.update(extra)
        return rec

    i = 0
    long_lines = 0
    while len(lines) < n:
        i += 1
        doc_id = f"doc-{i}"
        r = rng.random()
        if r < 0.45:  # plain valid report (some with Windows line ends)
            add(json.dumps(good(doc_id)) + ("\r" if rng.random() < 0.1 else ""), True, doc_id)
        elif r < 0.55:  # valid, with awkward but acceptable content
            kind = rng.randrange(8)
            extra: dict[str, object] = {}
            if kind == 0:
                extra["text"] = "[bold]Gunmen[/] killed [red]two[/red] soldiers [/] in Kirkuk on Monday."
            elif kind == 1:
                extra["text"] = "Gunmen\u0000 killed two soldiers in Kirkuk on Monday."
            elif kind == 2:
                extra["text"] = "Gunmen killed two soldiers \ud800 in Kirkuk \x1b[31mon Monday."
            elif kind == 3:
                extra["meta"] = {"a": [[[[{"b": [1, 2, {"c": None}]}]]]], "n": int("9" * 300)}
            elif kind == 4:
                extra["title"], extra["url"], extra["source"] = 12, ["x"], {"y": 1}
            elif kind == 5:
                extra["publication_date"] = rng.choice([None, "", "2019-05-04T10:00:00Z"])
            elif kind == 6:
                doc_id = f"id with spaces and ünïcode {i} [/] %_"
            else:
                doc_id = "x" * 500 + str(i)[-12:].rjust(12, "0")
            rec = good(doc_id, **extra)
            # a lone surrogate can only travel as a JSON escape (raw, it is not UTF-8 at all)
            line = json.dumps(rec, ensure_ascii=kind == 2 or rng.random() < 0.5)
            add(line, True, doc_id)
        else:  # invalid
            kind = rng.randrange(16)
            if kind == 0:
                depth = rng.choice([600, 5000, 100_000])
                add("[" * depth + "]" * depth, False)
            elif kind == 1:
                add('{"id": "' + doc_id + '", "text": "Gunmen killed two soldiers.", "n": ' + "7" * 5000 + "}", True, doc_id)
            elif kind == 2:
                add(json.dumps(good(f"bad\u0000{i}")), False)
            elif kind == 3:
                add(json.dumps(good(f"\u001b[2J\u001b[31m{i}")), False)
            elif kind == 4:
                add(json.dumps(good("y" * 600 + str(i))), False)
            elif kind == 5:
                add(json.dumps(good(doc_id, publication_date=rng.choice(["0001-01-01", "9999-12-31", "2020-13-45", 12345, "yesterday"]))), False)
            elif kind == 6:
                add(json.dumps(good(doc_id, text=rng.choice([None, 42, ["a"], "", "   "]))), False)
            elif kind == 7:
                add(json.dumps({"text": "no id here"}), False)
            elif kind == 8:
                add(bytes(rng.randrange(256) for _ in range(rng.randint(1, 200))).replace(b"\n", b"").replace(b"\r", b"") or b"\xff", False)
            elif kind == 9:
                add(json.dumps(good(doc_id))[: rng.randint(1, 30)], False)
            elif kind == 10:
                add(rng.choice(['"just a string"', "42", "null", "[1, 2, 3]", "true"]), False)
            elif kind == 11:
                add(b'{"id": "' + doc_id.encode() + b'", "text": "caf\xe9 au lait"}', False)
            elif kind == 12:
                add(json.dumps(good(doc_id, text=rng.choice(FOREIGN))), False)
                foreign[doc_id] = len(lines)  # named by its id (the language check runs on documents)
            elif kind == 13 and valid:
                dup = rng.choice(list(valid))
                add(json.dumps(good(dup)), False)  # a second document with an id already read
            elif kind == 14:
                add(json.dumps(good(doc_id, id=rng.choice([True, 1.5, {"a": 1}, ["b"]]))), False)
            elif long_lines < 3:
                long_lines += 1
                add(json.dumps(good(doc_id, text="Troops shelled the town. " * 41_000)), False)  # > 1 M characters
            else:
                add(json.dumps(good(doc_id, id=rng.choice(["", "   ", None]))), False)
    FOREIGN_IDS.clear()
    FOREIGN_IDS.update(foreign)
    return lines, invalid, valid


FOREIGN_IDS: dict[str, int] = {}  # documents in another language: id -> line


def _check_stderr(name: str, stderr: str, problems: list[str]) -> list[str]:
    lines = [x for x in stderr.splitlines() if x.strip()]
    if "Traceback" in stderr:
        problems.append(f"{name}: traceback on stderr")
    odd = [x for x in lines if not x.startswith("eventwire: ")]
    if odd:
        problems.append(f"{name}: {len(odd)} stderr lines not of the form 'eventwire: ...', e.g. {odd[0][:200]!r}")
    return lines


def _rejected_lines(lines: list[str], src: str) -> list[int]:
    out = []
    prefix = f"eventwire: {src}:"
    for x in lines:
        if x.startswith(prefix):
            num = x[len(prefix):].split(":", 1)[0]
            if num.isdigit():
                out.append(int(num))
    return out


def run_extract(src: Path, out: Path, invalid: set[int], valid: dict[str, int], problems: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run([*EVENTWIRE, "extract", str(src), "-o", str(out)], capture_output=True, text=True)
    took = time.perf_counter() - t0
    lines = _check_stderr("extract", proc.stderr, problems)
    if proc.returncode != 1:
        problems.append(f"extract: exit code {proc.returncode}, expected 1")
    rejected = _rejected_lines(lines, str(src))
    rejected += [FOREIGN_IDS[x.split(": ", 2)[1]] for x in lines
                 if x.count(": ") >= 2 and x.split(": ", 2)[1] in FOREIGN_IDS and "not English" in x]
    wrongly = sorted(set(rejected) - invalid)
    if wrongly:
        problems.append(f"extract: {len(wrongly)} valid lines rejected, e.g. line {wrongly[0]}")
    dup_ids = [x for x in lines if "duplicate id" in x]
    unnamed = invalid - set(rejected)
    if len(unnamed) > len(dup_ids):  # duplicates are named by file, not by line
        problems.append(f"extract: {len(unnamed) - len(dup_ids)} invalid lines not named")
    coded = {json.loads(x)["doc_id"] for x in out.read_text(encoding="utf-8").splitlines() if x.strip()}
    if coded - set(valid):
        problems.append(f"extract: events for documents that are not valid: {sorted(coded - set(valid))[:3]}")
    print(f"extract: exit {proc.returncode}, {len(lines)} stderr lines, {len(rejected)} lines named, "
          f"events from {len(coded)} documents, {took:.1f} s", flush=True)
    return took


def run_ingest(name: str, src: Path, db: str, valid: dict[str, int], problems: list[str]) -> float:
    from sqlalchemy import text

    from eventwire.store import Store

    t0 = time.perf_counter()
    proc = subprocess.run([*EVENTWIRE, "ingest", str(src), "--db", db], capture_output=True, text=True)
    took = time.perf_counter() - t0
    lines = _check_stderr(f"ingest {name}", proc.stderr, problems)
    if proc.returncode != 1:
        problems.append(f"ingest {name}: exit code {proc.returncode}, expected 1")
    with Store(db, read_only=True) as s, s.engine.connect() as c:
        stored = set(c.execute(text("SELECT id FROM documents")).scalars())
        incomplete = c.execute(text(
            "SELECT d.id FROM documents d LEFT JOIN events e ON e.doc_id = d.id "
            "GROUP BY d.id, d.n_events HAVING COUNT(e.id) != d.n_events"
        )).all()  # fmt: skip
    if stored != set(valid):
        missing, extra = set(valid) - stored, stored - set(valid)
        problems.append(f"ingest {name}: {len(missing)} valid documents not stored (e.g. {sorted(missing)[:2]}), "
                        f"{len(extra)} others stored (e.g. {sorted(extra)[:2]})")  # fmt: skip
    if incomplete:
        problems.append(f"ingest {name}: {len(incomplete)} documents without all their events")
    again = subprocess.run([*EVENTWIRE, "ingest", str(src), "--db", db], capture_output=True, text=True)
    _check_stderr(f"ingest {name} (again)", again.stderr, problems)
    summary = [x for x in again.stderr.splitlines() if " unchanged" in x]
    if not summary or f" {len(valid)} unchanged" not in summary[-1] or " 0 replaced" not in summary[-1]:
        problems.append(f"ingest {name} (again): not every document unchanged: {summary[-1:]}")
    print(f"ingest {name}: exit {proc.returncode}, {len(lines)} stderr lines, {len(stored)} documents stored "
          f"of {len(valid)} valid, {took:.1f} s; again: exit {again.returncode}", flush=True)
    return took


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--keep", type=Path, help="keep the input, outputs and SQLite store in this folder")
    args = ap.parse_args(argv)
    lines, invalid, valid = generate(args.n, args.seed)
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        src = folder / "fuzz.jsonl"
        src.write_bytes(b"\n".join(lines) + b"\n")
        print(f"{len(lines)} lines: {len(valid)} valid documents, {len(invalid)} invalid lines "
              f"({src.stat().st_size / 1e6:.1f} MB)", flush=True)
        run_extract(src, folder / "events.jsonl", invalid, valid, problems)
        run_ingest("sqlite", src, str(folder / "fuzz.sqlite"), valid, problems)
        if not args.no_pg:
            started = start_postgres()
            if started is None:
                print("postgresql: skipped (no initdb/pg_ctl)")
            else:
                url, stop = started
                try:
                    run_ingest("postgresql", src, url, valid, problems)
                finally:
                    stop()
    for p in problems:
        print("PROBLEM:", p)
    print("PASS" if not problems else f"FAIL ({len(problems)} problems)")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
