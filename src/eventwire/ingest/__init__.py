"""Ingest stage: input files and streams to core ``Document`` records."""

from eventwire.ingest.readers import (
    IngestError,
    document_from_record,
    document_from_text,
    parse_date,
    read_documents,
    read_jsonl,
    read_path,
)
from eventwire.ingest.skipped import Skipped

__all__ = [
    "IngestError",
    "document_from_record",
    "document_from_text",
    "parse_date",
    "read_documents",
    "read_jsonl",
    "read_path",
    "Skipped",
]
