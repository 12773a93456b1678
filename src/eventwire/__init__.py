"""eventwire: structured, verifiable event data from raw news reports.

    >>> import eventwire
    >>> events = eventwire.extract(text, publication_date="2020-03-17")   # doctest: +SKIP
    >>> pipe = eventwire.Pipeline()                                       # doctest: +SKIP
    >>> for result in pipe.pipe(documents): ...                           # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from eventwire.model import Actor, Document, Event, EventLocation, Size
    from eventwire.pipeline import DocumentResult, Pipeline, extract

_LAZY = {
    "extract": "eventwire.pipeline",
    "Pipeline": "eventwire.pipeline",
    "DocumentResult": "eventwire.pipeline",
    "Document": "eventwire.model",
    "Event": "eventwire.model",
    "Actor": "eventwire.model",
    "EventLocation": "eventwire.model",
    "Size": "eventwire.model",
}

__all__ = ["Actor", "Document", "DocumentResult", "Event", "EventLocation", "Pipeline", "Size", "__version__", "extract"]


def __getattr__(name: str) -> Any:
    """Import the heavy parts (spaCy) only when they are used."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'eventwire' has no attribute {name!r}")
