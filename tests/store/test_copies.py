"""Copies in the store: a syndicated copy or the same page under another URL is stored with
``copy_of`` and no events, decided in the write transaction, found again across runs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from eventwire.model import Document
from eventwire.store import Store
from eventwire.store import schema as S
from support.webpages import KIRKUK, MOSUL, MOSUL_SYNDICATED


def _doc(doc_id: str, article, url: str | None = None, canonical: str | None = None) -> Document:
    return Document(doc_id, f"{article.title}\n{article.body}", article.published, title=article.title, url=url,
                    canonical_url=canonical, source="test")  # fmt: skip


def _event(ew, doc: Document):
    sentence = doc.text.splitlines()[1]
    return [ew.make_event(doc, sentence, "attacked" if "attacked" in sentence else sentence.split()[1], place="Baghdad",
                          dead=3, when=date(2023, 6, 13))]  # fmt: skip


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "copies.sqlite")
    return request.getfixturevalue("fresh_postgres_url")


def test_a_syndicated_copy_is_stored_without_events_and_adds_no_report(store_url, ew):
    original = _doc("lantern-1", MOSUL, url="https://lantern.example/world/mosul")
    copy = _doc("courier-9", MOSUL_SYNDICATED, url="https://courier.example/wire/mosul-police")
    with Store(store_url) as s:
        assert s.add_document(original, _event(ew, original)).copy_of is None
        before = s.counts()
        outcome = s.add_document(copy, _event(ew, copy))
        assert outcome.status == "added" and outcome.copy_of == "lantern-1" and outcome.n_events == 0
        after = s.counts()
        assert after["documents"] == before["documents"] + 1
        assert (after["events"], after["canonical_events"], after["event_reports"]) == (
            before["events"], before["canonical_events"], before["event_reports"])  # fmt: skip
        with s.engine.connect() as c:
            row = c.execute(select(S.documents).where(S.documents.c.id == "courier-9")).mappings().one()
        assert row["copy_of"] == "lantern-1" and row["copy_reason"].startswith("near-identical text")
        assert row["url"] == "https://courier.example/wire/mosul-police"
        # the same copy again changes nothing
        assert s.add_document(copy, _event(ew, copy)).status == "unchanged"
        assert s.counts() == after


def test_the_same_url_under_another_id_is_a_copy_and_copies_point_to_the_original(store_url, ew):
    original = _doc("a", MOSUL, url="https://lantern.example/world/mosul")
    amp = _doc("b", KIRKUK, url="https://lantern.example/amp/x", canonical="http://www.lantern.example/world/mosul/?utm_source=amp")
    wire = _doc("c", MOSUL_SYNDICATED, url="https://b.example/1")
    with Store(store_url) as s:
        outcomes = s.add_results([_result(original, _event(ew, original)), _result(amp, _event(ew, amp))])
        assert [o.copy_of for o in outcomes] == [None, "a"]
        assert s.add_document(wire, []).copy_of == "a"


def test_a_replaced_original_never_becomes_a_copy_of_its_own_copy(sqlite_url, ew):
    original = _doc("a", MOSUL)
    copy = _doc("b", MOSUL_SYNDICATED)
    with Store(sqlite_url) as s:
        s.add_document(original, _event(ew, original))
        assert s.add_document(copy, []).copy_of == "a"
        edited = replace(original, text=original.text + "\nThe death toll rose to four on Wednesday.")
        out = s.add_document(edited, _event(ew, edited))
        assert out.status == "replaced" and out.copy_of is None and out.n_events == 1


def test_short_reports_are_never_copies(sqlite_url, ew):
    a = Document("s1", "Gunmen killed two police officers in Kirkuk on Monday, officials said.", date(2021, 3, 2))
    b = Document("s2", "Gunmen killed two police officers in Kirkuk on Monday, officials said.", date(2021, 3, 3))
    with Store(sqlite_url) as s:
        assert s.add_document(a, []).copy_of is None
        assert s.add_document(b, []).copy_of is None


def test_documents_stored_before_the_migration_are_found_as_originals(tmp_path):
    from alembic import command
    from alembic.config import Config

    from eventwire.store import store as store_module

    db = tmp_path / "old.sqlite"
    url = f"sqlite:///{db}"
    engine = create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(store_module.__file__).parent / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        conn.execute(text("INSERT INTO documents (id, content_hash, text, url, ingested_at, n_events) "
                          "VALUES ('old-1', 'x', :t, 'https://lantern.example/world/mosul', '2023-06-14', 0)"),
                     {"t": f"{MOSUL.title}\n{MOSUL.body}"})  # fmt: skip
    engine.dispose()
    with Store(db) as s:
        copy = _doc("new-1", MOSUL_SYNDICATED, url="https://courier.example/w")
        assert s.add_document(copy, []).copy_of == "old-1"
        same_url = _doc("new-2", KIRKUK, url="https://lantern.example/world/mosul?utm_source=x")
        assert s.add_document(same_url, []).copy_of == "old-1"


def _result(doc, events):
    from types import SimpleNamespace

    return SimpleNamespace(document=doc, events=events, sentences=(), toponyms=())
