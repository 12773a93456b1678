from __future__ import annotations

import io
import json
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from eventwire.ingest import IngestError, read_documents, read_jsonl
from eventwire.model import Document


def _docs(items):
    return [i for i in items if isinstance(i, Document)]


def _errors(items):
    return [i for i in items if isinstance(i, IngestError)]


def test_txt_file_uses_stem_and_given_date(tmp_path):
    p = tmp_path / "report-1.txt"
    p.write_text("Headline here\nKIRKUK, Iraq - Gunmen attacked a checkpoint on Monday.\n", encoding="utf-8")
    items = list(read_documents([str(p)], date(2021, 5, 4)))
    (doc,) = _docs(items)
    assert doc.id == "report-1"
    assert doc.publication_date == date(2021, 5, 4)
    assert doc.title == "Headline here"
    assert doc.text.startswith("Headline here")


def test_jsonl_good_and_bad_lines_are_separated(tmp_path):
    p = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Troops shelled the town.", "publication_date": "2020-01-02"}),
        "{not json",
        json.dumps({"id": "b", "text": ""}),
        json.dumps({"text": "no id"}),
        json.dumps({"id": "c", "text": "Police arrested 12 protesters.", "publication_date": "02/01/2020"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "d", "text": "Rebels seized the airport.", "publication_date": None}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_documents([str(p)]))
    assert [d.id for d in _docs(items)] == ["a", "d"]
    errs = _errors(items)
    assert [e.source for e in errs] == [f"{p}:2", f"{p}:3", f"{p}:4", f"{p}:5", f"{p}:6"]
    assert "invalid JSON" in errs[0].message
    assert "empty 'text'" in errs[1].message
    assert "missing 'id'" in errs[2].message
    assert "not a YYYY-MM-DD date" in errs[3].message


def test_binary_empty_invalid_utf8_and_missing(tmp_path):
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"   \n")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 au lait")
    unknown = tmp_path / "doc.pdf"
    unknown.write_bytes(b"%PDF-1.4")
    good = tmp_path / "good.txt"
    good.write_text("Police arrested two men in Basra on Sunday.", encoding="utf-8")
    paths = [str(binary), str(empty), str(bad), str(tmp_path / "nope.txt"), str(unknown), str(good)]
    items = list(read_documents(paths))
    errs = {e.source: e.message for e in _errors(items)}
    assert "binary" in errs[str(binary)]
    assert errs[str(empty)] == "empty input"
    assert "invalid UTF-8" in errs[str(bad)]
    assert errs[str(tmp_path / "nope.txt")] == "no such file"
    assert "unsupported file type" in errs[str(unknown)]
    assert [d.id for d in _docs(items)] == ["good"]


def test_invalid_utf8_line_in_jsonl():
    raw = b'{"id": "a", "text": "ok text"}\n{"id": "b", "text": "caf\xe9"}\n'
    items = list(read_jsonl(io.BytesIO(raw), "s.jsonl"))
    assert [d.id for d in _docs(items)] == ["a"]
    assert _errors(items)[0].source == "s.jsonl:2"


@given(st.binary(max_size=400))
def test_jsonl_reader_never_raises(data):
    for item in read_jsonl(io.BytesIO(data), "fuzz.jsonl"):
        assert isinstance(item, Document | IngestError)
        if isinstance(item, IngestError):
            assert item.source.startswith("fuzz.jsonl")
            assert "\n" not in item.message


@given(st.dictionaries(st.sampled_from(["id", "text", "publication_date", "title", "url"]),
                       st.one_of(st.none(), st.text(max_size=30), st.integers(), st.booleans())))
def test_record_shapes_never_raise(record):
    raw = (json.dumps(record) + "\n").encode()
    for item in read_jsonl(io.BytesIO(raw), "r.jsonl"):
        assert isinstance(item, Document | IngestError)
