"""Hostile and careless inputs to the readers: one bad line or file is named, the rest is read;
nothing raises.  Property tests run over every registered reader (formats added later
included): arbitrary bytes in, only documents and errors out."""

from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire.ingest import (
    IngestError,
    Skipped,
    english_only,
    limits,
    read_documents,
    read_jsonl,
    read_stream,
    registered_readers,
)
from eventwire.ingest import readers as readers_module
from eventwire.model import Document

GOOD = {"id": "good-1", "text": "Police arrested two men in Basra on Sunday.", "publication_date": "2021-06-09"}


def _split(items):
    docs = [i for i in items if isinstance(i, Document)]
    errs = [i for i in items if isinstance(i, IngestError)]
    assert len(docs) + len(errs) == len(items)
    return docs, errs


def _jsonl(*lines: str | bytes) -> io.BytesIO:
    return io.BytesIO(b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines))


def test_a_deeply_nested_line_is_named_and_the_rest_read():
    deep = "[" * 100_000 + "]" * 100_000
    nested_doc = json.dumps({**GOOD, "id": "deep-meta", "meta": [[[[["fine"]]]]]})
    docs, errs = _split(list(read_jsonl(_jsonl(json.dumps(GOOD), deep, nested_doc), "b.jsonl")))
    assert [d.id for d in docs] == ["good-1", "deep-meta"]
    assert [e.source for e in errs] == ["b.jsonl:2"] and "nested deeper" in errs[0].message


def test_an_integer_of_thousands_of_digits_does_not_stop_the_document():
    line = '{"id": "big-number", "text": "Rebels seized the airport.", "count": ' + "9" * 20_000 + "}"
    huge_id = '{"id": ' + "7" * 5000 + ', "text": "Rebels seized the airport."}'
    docs, errs = _split(list(read_jsonl(_jsonl(line, huge_id, json.dumps(GOOD)), "n.jsonl")))
    assert [d.id for d in docs] == ["big-number", "good-1"]
    assert [e.source for e in errs] == ["n.jsonl:2"]


def test_nul_and_control_characters_in_ids_are_rejected_and_nul_in_text_replaced():
    lines = [
        json.dumps({**GOOD, "id": "bad\u0000id"}),
        json.dumps({**GOOD, "id": "\u001b[31mred\u001b[0m"}),
        json.dumps({**GOOD, "id": "x" * (limits.MAX_ID_CHARS + 1)}),
        json.dumps({**GOOD, "id": "x" * limits.MAX_ID_CHARS}),
        json.dumps({**GOOD, "id": "nul-text", "text": "Troops \u0000 shelled the town.", "title": "T\u0000"}),
        json.dumps({**GOOD, "id": "lone", "text": "Troops \ud800 shelled the town."}),
        json.dumps({**GOOD, "id": True}),
    ]
    docs, errs = _split(list(read_jsonl(_jsonl(*lines), "c.jsonl")))
    assert [d.id for d in docs] == ["x" * limits.MAX_ID_CHARS, "nul-text", "lone"]
    assert [e.source for e in errs] == ["c.jsonl:1", "c.jsonl:2", "c.jsonl:3", "c.jsonl:7"]
    nul, lone = docs[1], docs[2]
    assert nul.text == "Troops \ufffd shelled the town." and nul.title == "T\ufffd"
    assert lone.text == "Troops \ufffd shelled the town."


def test_publication_dates_outside_the_supported_range_are_rejected():
    lines = [json.dumps({**GOOD, "id": f"d{y}", "publication_date": f"{y:04d}-01-01"}) for y in (1, 1799, 1800, 2199, 9999)]
    docs, errs = _split(list(read_jsonl(_jsonl(*lines), "d.jsonl")))
    assert [d.id for d in docs] == ["d1800", "d2199"]
    assert all("outside 1800-2199" in e.message for e in errs)


def test_documents_longer_than_one_parse_are_rejected_by_the_reader(tmp_path):
    long_text = "Troops shelled the town. " * (limits.MAX_DOCUMENT_CHARS // 25 + 1000)
    assert limits.MAX_DOCUMENT_CHARS < len(long_text) < 2_000_000
    p = tmp_path / "long.jsonl"
    p.write_text(json.dumps({"id": "long", "text": long_text}) + "\n" + json.dumps(GOOD) + "\n")
    t = tmp_path / "long.txt"
    t.write_text(long_text)
    docs, errs = _split(list(read_documents([str(p), str(t)])))
    assert [d.id for d in docs] == ["good-1"]
    assert [e.source for e in errs] == [f"{p}:1", str(t)] and all("longer than" in e.message for e in errs)


def test_the_reader_and_spacy_agree_on_the_longest_document():
    from eventwire import nlp

    assert limits.MAX_DOCUMENT_CHARS == nlp.MAX_TEXT_CHARS


def test_a_stray_nul_costs_its_line_and_a_binary_file_is_one_error(tmp_path):
    stray = tmp_path / "stray.jsonl"
    stray.write_bytes(json.dumps(GOOD).encode() + b"\n\x00\n" + json.dumps({**GOOD, "id": "good-2"}).encode() + b"\n")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(bytes(range(256)) * 40)
    docs, errs = _split(list(read_documents([str(stray), str(binary)])))
    assert [d.id for d in docs] == ["good-1", "good-2"]
    assert [e.source for e in errs] == [f"{stray}:2", str(binary)] and "binary" in errs[1].message


def test_a_line_too_long_to_hold_is_skipped_and_the_next_read(monkeypatch):
    monkeypatch.setattr(readers_module, "MAX_LINE_BYTES", 1000)
    long_line = json.dumps({"id": "huge", "text": "word " * 2000})
    docs, errs = _split(list(read_jsonl(_jsonl(long_line, json.dumps(GOOD)), "l.jsonl")))
    assert [d.id for d in docs] == ["good-1"]
    assert [e.source for e in errs] == ["l.jsonl:1"] and "longer than 1000 bytes" in errs[0].message


def test_duplicate_ids_in_one_run_are_named_not_silently_replaced(tmp_path):
    a = tmp_path / "a.jsonl"
    b = tmp_path / "b.jsonl"
    a.write_text(json.dumps(GOOD) + "\n" + json.dumps({**GOOD, "text": "Another story."}) + "\n")
    b.write_text(json.dumps({**GOOD, "text": "A third."}) + "\n")
    docs, errs = _split(list(read_documents([str(a), str(b)])))
    assert [d.text for d in docs] == [GOOD["text"]]
    assert [e.source for e in errs] == [str(a), str(b)]
    assert all("duplicate id" in e.message and str(a) in e.message for e in errs)


def test_csv_rows_that_cannot_be_read_cost_only_themselves(tmp_path):
    p = tmp_path / "batch.csv"
    p.write_bytes(
        b"id,text,publication_date\n"
        b"c1,Protesters rallied in Basra on Friday.,2019-10-26\n"
        b"c2,Caf\xe9 owners protested in Basra.,2019-10-26\n"
        b"c3,\"" + b"x" * (limits.MAX_DOCUMENT_CHARS * 2 + 10) + b"\",2019-10-26\n"
        b"c4,Rebels seized the airport.,0001-01-01\n"
        b"c5,Troops shelled the town.,2019-10-27\n"
        b"c6,Troops\x00 shelled the port.,2019-10-27\n"
    )
    docs, errs = _split(list(read_documents([str(p)])))
    assert [d.id for d in docs] == ["c1", "c5", "c6"] and docs[2].text == "Troops\ufffd shelled the port."
    assert [e.source for e in errs] == [f"{p}:3", f"{p}:4", f"{p}:5"]
    assert "invalid UTF-8" in errs[0].message and "field larger" in errs[1].message


def test_non_english_documents_are_reported_not_coded():
    docs = [
        Document("en", "Gunmen killed two police officers in Kirkuk on Monday, officials said."),
        Document("fr", "Des hommes armés ont tué deux policiers lundi à Kirkouk, selon des responsables."),
        Document("ar", "قتل مسلحون شرطيين اثنين في كركوك يوم الاثنين"),
        Document("short", "Kirkuk"),
    ]
    out, errs = _split(list(english_only(docs)))
    assert [d.id for d in out] == ["en", "short"]
    assert [e.source for e in errs] == ["fr", "ar"]
    assert "French" in errs[0].message and "Arabic" in errs[1].message


def test_english_function_words_settle_english_and_other_languages_still_go_to_the_model():
    from eventwire.ingest.language import detect

    # written for this test: a wire story in English, and the same in French and Dutch with a
    # few English words quoted
    english = ("The army said that its forces were attacked from the hills, and that they would "
               "stay in the town until the roads were safe. Residents said they had been warned.")
    french = ("L'armée a déclaré que ses forces avaient été attaquées depuis les collines et qu'elles "
              "resteraient dans la ville; un habitant a crié « get out of the way » aux soldats.")
    dutch = ("Het leger zei dat zijn troepen vanaf de heuvels waren aangevallen en dat ze in de stad "
             "zouden blijven tot de wegen veilig waren; een bewoner riep 'the army is here'.")
    assert detect(english).probability == 1.0  # settled by its words: the model was not asked
    assert detect(english).english
    assert (detect(french).language, detect(french).english) == ("fr", False)
    assert (detect(dutch).language, detect(dutch).english) == ("nl", False)


# -- properties, over every registered reader ------------------------------------------------
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("info", registered_readers(), ids=lambda i: i.kind)
@SETTINGS
@given(data=st.binary(max_size=2000))
def test_every_reader_turns_arbitrary_bytes_into_documents_and_errors(info, data):
    name = f"fuzz.{info.kind}"
    for item in read_stream(info.kind, io.BytesIO(data), name):
        assert isinstance(item, Document | IngestError | Skipped)
        assert "could not be read" not in str(item), item  # the guard caught a reader raising
        if isinstance(item, IngestError):
            assert item.source.startswith(name) and "\n" not in item.message
        else:
            assert limits.id_problem(item.id) is None and "\x00" not in item.text


@pytest.mark.parametrize("suffix", ["", ".txt", ".jsonl", ".csv", ".tsv", ".html", ".xml", ".warc", ".gz", ".pdf"])
@SETTINGS
@given(data=st.one_of(st.binary(max_size=600), st.binary(max_size=600).map(gzip.compress)))
def test_every_input_path_is_read_without_raising(tmp_path_factory, suffix, data):
    p = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    p.write_bytes(data)
    for item in read_documents([str(p), str(p.parent / "missing.jsonl")]):
        assert isinstance(item, Document | IngestError | Skipped)
        assert "could not be read" not in str(item), item


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
_valid_docs = st.builds(
    lambda i, text, pub: {"id": f"valid-{i}", "text": text, "publication_date": pub},
    st.integers(0, 10**6),
    st.text(min_size=1, max_size=200).filter(lambda s: s.strip()),
    st.one_of(st.none(), st.dates(date(1800, 1, 1), date(2199, 12, 31)).map(date.isoformat)),
)
_junk_lines = st.one_of(
    _json_values.map(json.dumps),
    st.dictionaries(st.sampled_from(["id", "text", "publication_date", "title", "url", "source"]), _json_values).map(json.dumps),
    st.binary(max_size=80).map(lambda b: b.replace(b"\n", b" ")),
    st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
)


@SETTINGS
@given(lines=st.lists(st.one_of(_valid_docs, _junk_lines), max_size=25))
def test_jsonl_every_valid_document_is_read_whatever_surrounds_it(lines):
    raw, want, seen = [], [], set()
    for line in lines:
        if isinstance(line, dict):
            if line["id"] in seen:
                continue
            seen.add(line["id"])
            want.append(line["id"])
            raw.append(json.dumps(line).encode())
        else:
            raw.append(line if isinstance(line, bytes) else line.encode())
    items = list(read_jsonl(io.BytesIO(b"\n".join(raw) + b"\n"), "p.jsonl"))
    got = [i.id for i in items if isinstance(i, Document) and i.id.startswith("valid-")]
    assert got == want


_printable = st.characters(blacklist_categories=("Cc", "Cs"))
_valid_rows = st.builds(
    lambda i, text, pub: {"id": f"valid-{i}", "text": text, "publication_date": pub},
    st.integers(0, 10**6),
    st.text(_printable, min_size=1, max_size=200).filter(lambda s: s.strip()),
    st.one_of(st.none(), st.dates(date(1800, 1, 1), date(2199, 12, 31)).map(date.isoformat)),
)


@SETTINGS
@given(rows=st.lists(st.one_of(_valid_rows, st.lists(st.text(max_size=30), max_size=5)), max_size=20))
def test_csv_every_valid_row_is_read_whatever_surrounds_it(rows):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "text", "publication_date"])
    want, seen = [], set()
    for row in rows:
        if isinstance(row, dict):
            if row["id"] in seen:
                continue
            seen.add(row["id"])
            want.append(row["id"])
            w.writerow([row["id"], row["text"], row["publication_date"] or ""])
        else:
            w.writerow(row)
    items = list(read_stream("csv", io.BytesIO(buf.getvalue().encode("utf-8", "surrogatepass")), "p.csv"))
    got = [i.id for i in items if isinstance(i, Document) and i.id.startswith("valid-")]
    assert got == want


def test_csv_control_characters_behind_a_header_cost_only_their_rows():
    junk = "\x01\x02\x03\x04\x05\x06\x07\x08" * 40
    data = f'id,text\n"j1","{junk}"\nr1,Police arrested two traders in Mombasa on Friday.\n'.encode()
    got = list(read_stream("csv", io.BytesIO(data), "ctl.csv"))
    assert [i.id for i in got if isinstance(i, Document)] == ["j1", "r1"]


def test_csv_binary_without_a_header_is_one_error_naming_the_file():
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(1, 32)) * 20 + b"\xff\xfe" * 100
    (err,) = list(read_stream("csv", io.BytesIO(data), "photo.csv"))
    assert isinstance(err, IngestError) and err.source == "photo.csv" and "binary file" in err.message


def test_a_nul_first_line_before_json_lines_costs_only_itself(tmp_path):
    first = tmp_path / "first.jsonl"
    first.write_bytes(b"\x00\n" + json.dumps(GOOD).encode() + b"\n")
    docs, errs = _split(list(read_documents([str(first)])))
    assert [d.id for d in docs] == ["good-1"]
    assert [e.source for e in errs] == [f"{first}:1"]


def test_a_markup_first_line_in_json_lines_costs_only_itself(tmp_path):
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(b"<!doctype html\n" + json.dumps(GOOD).encode() + b"\n")
    docs, errs = _split(list(read_documents([str(batch)])))
    assert [d.id for d in docs] == ["good-1"]
    assert [e.source for e in errs] == [f"{batch}:1"]
