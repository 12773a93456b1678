"""How the Ray engine reads a shard on a worker (``ray_data.documents_of_shard``): the readers of
the local run, for JSONL, WARC and Parquet, and errors that name the shard.  Needs no Ray."""

from __future__ import annotations

import io
import pickle
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from eventwire.ingest import read_documents
from eventwire.model import Document
from eventwire.scale.ray_data import documents_of_shard
from support.webpages import KIRKUK, MOSUL, article_html, warc_bytes


def _docs(rows):
    return [pickle.loads(r["doc"]) for r in rows if r["doc"]]


def _same(a: Document, b: Document) -> bool:
    return (a.id, a.text, a.publication_date, a.title, a.url, a.dateline) == (b.id, b.text, b.publication_date,
                                                                              b.title, b.url, b.dateline)


def test_jsonl_shard_gives_the_local_readers_documents_and_names_bad_lines(tmp_path):
    data = (b'{"id": "a", "text": "Police arrested three men in Basra on Monday.", "publication_date": "2024-05-06"}\n'
            b'not json\n'
            b'{"id": "b", "text": "Protesters marched in Kirkuk.", "publication_date": "2024-05-07"}\n')  # fmt: skip
    local = tmp_path / "part-0.jsonl"
    local.write_bytes(data)
    rows = documents_of_shard("s3://news/part-0.jsonl", data)
    expected = [d for d in read_documents([str(local)]) if isinstance(d, Document)]
    assert [d.id for d in _docs(rows)] == ["a", "b"]
    assert all(_same(a, b) for a, b in zip(_docs(rows), expected, strict=True))
    (bad,) = [r for r in rows if r["error"]]
    assert bad["source"] == "s3://news/part-0.jsonl:2" and "invalid JSON" in bad["error"]


def test_warc_shard_gives_its_pages(tmp_path):
    data = warc_bytes([("response", "https://lantern.example/m", article_html(MOSUL).encode(), "text/html"),
                       ("response", "https://lantern.example/k", article_html(KIRKUK).encode(), "text/html")])  # fmt: skip
    local = tmp_path / "crawl.warc.gz"
    local.write_bytes(data)
    expected = [d for d in read_documents([str(local)]) if isinstance(d, Document)]
    got = _docs(documents_of_shard("/data/crawl.warc.gz", data))
    assert len(got) == 2 and all(_same(a, b) for a, b in zip(got, expected, strict=True))


def test_parquet_shard_in_the_contract_input_shape():
    table = pa.table({"id": ["p1", "p2", "p3"],
                      "text": ["Gunmen attacked a checkpoint near Mosul.", "", "Troops withdrew from the town."],
                      "publication_date": [date(2024, 1, 2), None, None], "title": ["A", None, None]})  # fmt: skip
    buf = io.BytesIO()
    pq.write_table(table, buf)
    rows = documents_of_shard("part-3.parquet", buf.getvalue(), publication_date=date(2024, 2, 1))
    docs = _docs(rows)
    assert [d.id for d in docs] == ["p1", "p3"]
    assert docs[0].publication_date == date(2024, 1, 2) and docs[1].publication_date == date(2024, 2, 1)
    assert docs[0].title == "A"
    (bad,) = [r for r in rows if r["error"]]
    assert bad["source"] == "part-3.parquet#2" and "empty 'text'" in bad["error"]


def test_unreadable_parquet_is_one_error():
    rows = documents_of_shard("broken.parquet", b"PAR1 not really")
    assert len(rows) == 1 and rows[0]["source"] == "broken.parquet" and "unreadable Parquet" in rows[0]["error"]
    assert Path("broken.parquet").exists() is False
