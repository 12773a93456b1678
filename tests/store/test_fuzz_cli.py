"""The fuzz run of ``benchmarks/fuzz_ingest.py``, small: generated JSON Lines (valid documents
among hostile lines) through ``eventwire extract`` and ``eventwire ingest``: no traceback, one
line per rejected input, every valid document coded and stored, nothing else stored."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from eventwire.store import Store
from support.cli import run

pytestmark = pytest.mark.slow

PLACES = ["Kirkuk", "Mosul", "Basra", "Aleppo", "Kabul", "Gao"]
_valid = st.builds(
    lambda i, place, n, pub, markup: {
        "id": f"valid-{i}",
        "text": f"Gunmen killed {n} police officers in {place} on Monday{' [/]' if markup else ''}, officials said.",
        "publication_date": pub,
    },
    st.integers(0, 10**9), st.sampled_from(PLACES), st.integers(2, 40),
    st.one_of(st.none(), st.dates(date(1800, 1, 1), date(2199, 12, 31)).map(date.isoformat)), st.booleans(),
)  # fmt: skip
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
    max_leaves=10,
)
_invalid = st.one_of(
    st.integers(600, 3000).map(lambda n: "[" * n + "]" * n),
    st.sampled_from(["{not json", '"a string"', "[1, 2]", "null", '{"text": "no id"}']),
    st.sampled_from(["bad\u0000id", "\u001b[31mred", "x" * 600]).map(lambda i: json.dumps({"id": i, "text": "Troops shelled the town."})),
    st.sampled_from(["0001-01-01", "9999-12-31", "2020-13-01", 7]).map(
        lambda d: json.dumps({"id": "dated", "text": "Troops shelled the town.", "publication_date": d})),
    st.binary(min_size=1, max_size=40).map(lambda b: b.replace(b"\n", b"").replace(b"\r", b"") or b"\xff"),
    st.dictionaries(st.sampled_from(["id", "text", "publication_date"]), _json).map(json.dumps)
    .filter(lambda s: '"id": "valid-' not in s),
)  # fmt: skip


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(_valid, _invalid), min_size=1, max_size=12))
def test_fuzzed_batches_through_extract_and_ingest(tmp_path_factory, lines):
    folder = tmp_path_factory.mktemp("fuzz")
    raw, valid = [], []
    for line in lines:
        if isinstance(line, dict):
            if line["id"] in valid:
                continue
            valid.append(line["id"])
            raw.append(json.dumps(line).encode())
        else:
            raw.append(line if isinstance(line, bytes) else line.encode("utf-8", "surrogatepass"))
    src = folder / "fuzz.jsonl"
    src.write_bytes(b"\n".join(raw) + b"\n")
    # (a junk line may itself be a valid document, e.g. {"id": 5, "text": "x"}: allowed, counted below)
    res = run("extract", str(src), "--any-language", "--all-events")
    assert res.exit_code in (0, 1), res.stderr
    assert all(x.startswith("eventwire: ") for x in res.stderr.splitlines() if x.strip()), res.stderr
    coded = {json.loads(x)["doc_id"] for x in res.stdout.splitlines() if x.strip()}
    assert set(valid) <= coded  # every template states a killing: every valid document has an event
    db = str(folder / "fuzz.sqlite")
    res = run("ingest", str(src), "--db", db, "--any-language")
    assert res.exit_code in (0, 1), res.stderr
    assert all(x.startswith("eventwire: ") for x in res.stderr.splitlines() if x.strip()), res.stderr
    with Store(db, read_only=True) as s, s.engine.connect() as c:
        stored = set(c.execute(text("SELECT id FROM documents")).scalars())
    assert set(valid) <= stored and all(x in valid or not x.startswith("valid-") for x in stored)
