"""Ingest stage: input files and streams to core ``Document`` records.

``read_documents`` reads every input with the reader registered for its kind
(``register_reader``; the kind comes from ``sources.sniff``); ``limits`` says what a document
may be; ``language`` finds documents that are not in English."""

from eventwire.ingest import limits
from eventwire.ingest.fetchlog import FetchLogLike, FetchRecord
from eventwire.ingest.language import LanguageCheck, english_only
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

__all__ = [
    "FetchLogLike",
    "FetchRecord",
    "IngestError",
    "LanguageCheck",
    "ReadOptions",
    "Reader",
    "ReaderInfo",
    "Skipped",
    "document_from_record",
    "document_from_text",
    "english_only",
    "limits",
    "parse_date",
    "read_documents",
    "read_jsonl",
    "read_path",
    "read_stream",
    "read_text",
    "register_reader",
    "registered_readers",
]
