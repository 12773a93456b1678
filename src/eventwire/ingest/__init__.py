"""Ingest stage: input files and streams to core ``Document`` records.

``read_documents`` reads every input with the reader registered for its kind
(``register_reader``; the kind comes from ``sources.sniff``); ``limits`` says what a document
may be; ``language`` finds documents that are not in English."""

from eventwire.ingest import limits
from eventwire.ingest.dedup import (
    NEAR_DUPLICATE,
    CopyMatch,
    DedupIndex,
    Fingerprint,
    fingerprint,
    similarity,
    url_lookup_key,
)
from eventwire.ingest.fetchlog import FetchLogLike, FetchRecord
from eventwire.ingest.language import LanguageCheck, english_only
from eventwire.ingest.limits import clean_text, date_problem, id_problem
from eventwire.ingest.readers import (
    IngestError,
    Reader,
    ReaderInfo,
    ReadOptions,
    document_from_record,
    document_from_text,
    parse_date,
    read_documents,
    read_jsonl,
    read_path,
    read_stream,
    read_text,
    register_reader,
    registered_readers,
)
from eventwire.ingest.skipped import Skipped
from eventwire.ingest.tabular import ColumnMappingError, parse_columns
from eventwire.ingest.urls import url_key

__all__ = [
    "NEAR_DUPLICATE",
    "ColumnMappingError",
    "CopyMatch",
    "DedupIndex",
    "FetchLogLike",
    "FetchRecord",
    "Fingerprint",
    "IngestError",
    "LanguageCheck",
    "ReadOptions",
    "Reader",
    "ReaderInfo",
    "Skipped",
    "clean_text",
    "date_problem",
    "document_from_record",
    "document_from_text",
    "english_only",
    "fingerprint",
    "id_problem",
    "limits",
    "parse_columns",
    "parse_date",
    "read_documents",
    "read_jsonl",
    "read_path",
    "read_stream",
    "read_text",
    "register_reader",
    "registered_readers",
    "similarity",
    "url_key",
    "url_lookup_key",
]
