"""WARC and WARC.gz archives (Common Crawl's news crawl, a site's own crawl) to documents.

Each ``response`` record with an HTML payload and a 2xx status, and each ``resource`` record of
HTML, is one page (``html.document_from_html``), its id from the record's target URI.  Requests,
metadata, redirects, images and the like are passed over, pages without an article are
``Skipped`` (a crawl holds section fronts and link lists); a record that cannot be read is an
``IngestError`` naming the file, the record number and its URI, and the next record is read.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from datetime import date
from typing import IO, Any

from eventwire.ingest.html import MAX_HTML_BYTES, charset_of, document_from_html
from eventwire.ingest.readers import IngestError
from eventwire.ingest.skipped import Skipped
from eventwire.model import Document

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml+xhtml")


def _is_html(content_type: str | None, head: bytes) -> bool:
    if content_type:
        ctype = content_type.split(";", 1)[0].strip().lower()
        if ctype in HTML_TYPES:
            return True
        if ctype and ctype not in ("application/octet-stream", "text/plain", "unk", "unknown"):
            return False
    probe = head[:1024].lstrip().lower()
    return probe.startswith((b"<!doctype html", b"<html")) or b"<html" in probe[:512]


def read_warc(
    stream: IO[bytes], name: str, publication_date: date | None = None
) -> Iterator[Document | IngestError | Skipped]:
    """Documents from the HTML records of a WARC (or gzipped WARC) byte stream."""
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    pages = 0
    records = iter(ArchiveIterator(stream, arc2warc=True))
    while True:
        where = f"{name}#{n + 1}"
        noise = io.StringIO()
        try:
            # warcio writes warnings about broken records to stderr itself: keep them for the log
            with contextlib.redirect_stderr(noise):
                record = next(records)
        except StopIteration:
            break
        except Exception as exc:  # noqa: BLE001 - warcio on a broken archive raises many kinds
            msg = " ".join(str(exc).split())[:200] or type(exc).__name__
            if n == 0:
                yield IngestError(name, f"not a readable WARC archive ({msg})")
            else:
                yield IngestError(where, f"broken record, the rest of the archive is not read ({msg})")
            return
        finally:
            if noise.getvalue():
                log.debug("%s: %s", where, " ".join(noise.getvalue().split()))
        n += 1
        try:
            item = _record_document(record, where, publication_date)
            cut = _cut_short(record)
        except Exception as exc:  # one bad record must not stop the archive
            log.debug("record %s failed", where, exc_info=True)
            item, cut = IngestError(where, f"unreadable record ({type(exc).__name__}: {str(exc)[:200]})"), False
        if cut:
            yield IngestError(where, "record cut short: the archive ends inside it (truncated file?)")
            return
        if item is None:
            continue
        pages += 1
        yield item
    if n == 0:
        yield IngestError(name, "empty WARC archive")
    else:
        log.info("%s: %d records, %d HTML pages", name, n, pages)


def _cut_short(record: Any) -> bool:
    """Whether the archive ended before the record's declared length (read what is left of it)."""
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    return getattr(raw, "limit", 0) > 0


def _record_document(
    record: Any, where: str, publication_date: date | None
) -> Document | IngestError | Skipped | None:
    """The document of one record; ``None`` for records that are not HTML pages."""
    rtype = record.rec_type
    if rtype not in ("response", "resource"):
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI")
    content_type = None
    if rtype == "response":
        if record.http_headers is None:
            return None  # a non-HTTP response (dns:, ftp)
        status = record.http_headers.get_statuscode()
        if not status or not str(status).startswith("2"):
            return None  # redirects, errors, 304s carry no page
        content_type = record.http_headers.get_header("Content-Type")
    else:
        content_type = record.rec_headers.get_header("Content-Type")
    stream = record.content_stream()
    raw = stream.read(MAX_HTML_BYTES + 1)
    label = f"{where} ({uri})" if uri else where
    if not _is_html(content_type, raw):
        return None
    if len(raw) > MAX_HTML_BYTES:
        return IngestError(label, f"page larger than {MAX_HTML_BYTES // 1_000_000} MB")
    return document_from_html(
        raw, label, url=uri, declared_charset=charset_of(content_type), publication_date=publication_date,
        fallback_id=where.replace("#", "-"), skip_non_articles=True,
    )  # fmt: skip
