"""CSV and TSV files of articles with a mapping of columns."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.ingest import IngestError
from eventwire.ingest.tabular import ColumnMappingError, parse_columns, read_csv
from eventwire.model import Document
from support.webpages import KIRKUK, MOSUL


def _csv(rows: list[list[str]], delimiter: str = ",") -> io.BytesIO:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    return io.BytesIO(buf.getvalue().encode("utf-8"))


def test_columns_found_by_their_headers():
    data = _csv([["Headline", "Body", "Published", "Link", "Byline"],
                 [MOSUL.title, MOSUL.body, "2023-06-13T08:00:00Z", "https://lantern.example/m?utm_source=x", MOSUL.author],
                 [KIRKUK.title, KIRKUK.body, "20230612", "", ""]])  # fmt: skip
    docs = list(read_csv(data, "export.csv"))
    assert all(isinstance(d, Document) for d in docs)
    m, k = docs
    assert m.title == MOSUL.title and m.publication_date == date(2023, 6, 13) and m.author == MOSUL.author
    assert m.url == "https://lantern.example/m" and m.id.startswith("web-")
    assert "\n" in m.text  # multi-line cells survive
    assert k.id == "export-2" and k.publication_date == date(2023, 6, 12)


def test_a_mapping_names_the_columns_and_bad_rows_are_errors():
    data = _csv([["story_id", "story", "day"], ["s1", MOSUL.body, "2023-06-13"], ["s2", "", "2023-06-13"],
                 ["s3", KIRKUK.body, "13/06/2023"], ["s4", KIRKUK.body, "Tue, 13 Jun 2023 08:00:00 GMT"]])  # fmt: skip
    items = list(read_csv(data, "x.csv", parse_columns("id=story_id, text=story,publication_date=day")))
    assert [getattr(i, "id", None) for i in items] == ["s1", None, None, "s4"]
    errors = [i for i in items if isinstance(i, IngestError)]
    assert [e.source for e in errors] == ["x.csv:6", "x.csv:7"]  # physical lines: the first body has 4
    assert "not a YYYY-MM-DD date" in errors[1].message


def test_tsv_and_missing_text_column():
    docs = list(read_csv(_csv([["id", "text"], ["t1", MOSUL.body]], "\t"), "x.tsv", delimiter="\t"))
    assert docs[0].id == "t1"
    (err,) = read_csv(_csv([["a", "b"], ["1", "2"]]), "y.csv")
    assert isinstance(err, IngestError) and "no text column" in err.message
    (err,) = read_csv(_csv([["text"], ["x"]]), "z.csv", {"text": "story"})
    assert "no column 'story'" in err.message


def test_column_mapping_syntax():
    assert parse_columns("text=body") == {"text": "body"}
    for bad in ("text", "colour=x", "text="):
        with pytest.raises(ColumnMappingError):
            parse_columns(bad)


def test_invalid_utf8_and_binary():
    (err,) = read_csv(io.BytesIO(b"id,text\n1,caf\xe9\n"), "bad.csv")
    assert isinstance(err, IngestError) and "UTF-8" in err.message
    (err,) = read_csv(io.BytesIO(b"id,text\x00\n"), "bin.csv")
    assert "binary" in err.message


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=1500))
def test_arbitrary_bytes_never_raise(data):
    for item in read_csv(io.BytesIO(data), "fuzz.csv"):
        assert isinstance(item, Document | IngestError)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(max_size=40), min_size=1, max_size=5), max_size=8))
def test_arbitrary_tables_never_raise(rows):
    data = _csv([["id", "text", "date"], *rows])
    for item in read_csv(data, "t.csv"):
        assert isinstance(item, Document | IngestError)
