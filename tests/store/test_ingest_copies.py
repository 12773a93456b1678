"""``ingest_into`` with copies and skipped inputs: a copy is never parsed, a skipped page is
counted, and the original's events are the only reports."""

from __future__ import annotations

from eventwire.ingest import IngestError, Skipped
from eventwire.model import Document
from eventwire.pipeline import Pipeline, ingest_into
from eventwire.store import Store
from support.webpages import KIRKUK, MOSUL, MOSUL_SYNDICATED


def _doc(doc_id, a, url=None):
    return Document(doc_id, f"{a.title}\n{a.body}", a.published, title=a.title, url=url)


class _Recording:
    """The real pipeline, noting which documents it parsed."""

    def __init__(self):
        self.pipe_ = Pipeline()
        self.parsed: list[str] = []

    def pipe(self, docs, batch_size=16):
        docs = list(docs)
        self.parsed += [d.id for d in docs]
        return self.pipe_.pipe(docs, batch_size)

    def process(self, doc):
        self.parsed.append(doc.id)
        return self.pipe_.process(doc)


def test_copies_are_stored_not_parsed_across_batches_and_runs(tmp_path):
    rec = _Recording()
    items = [_doc("m", MOSUL, "https://lantern.example/m"), Skipped("crawl.warc#3", "not an article"),
             _doc("m-wire", MOSUL_SYNDICATED, "https://courier.example/m"), IngestError("x.html", "empty page"),
             _doc("k", KIRKUK, "https://lantern.example/k")]  # fmt: skip
    with Store(tmp_path / "s.sqlite") as store:
        steps = list(ingest_into(store, items, lambda: rec, batch_size=8))
        kinds = {s.source: (s.kind, s.outcome.copy_of if s.outcome else None) for s in steps}
        assert kinds == {"m": ("stored", None), "crawl.warc#3": ("skipped", None), "m-wire": ("stored", "m"),
                         "x.html": ("rejected", None), "k": ("stored", None)}  # fmt: skip
        assert rec.parsed == ["m", "k"]
        n_events = store.counts()["events"]
        # a later run: another copy, under a URL with tracking parameters, is not parsed either
        again = _doc("m-amp", KIRKUK, "https://lantern.example/m?utm_source=rss")
        (step,) = ingest_into(store, [again], lambda: rec)
        assert step.outcome.copy_of == "m" and rec.parsed == ["m", "k"]
        assert store.counts()["events"] == n_events
