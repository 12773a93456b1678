"""The web page served at ``/`` by ``eventwire serve``: a map, a timeline, filters, a table and
the evidence behind each event, all from files in ``static/`` (the libraries it uses are
vendored from the npm registry by ``scripts/vendor_web.sh``; nothing is loaded from elsewhere)."""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).parent / "static"


def static_dir() -> Path:
    """The folder served under ``/static``."""
    return STATIC


def index_html() -> bytes:
    """The page itself."""
    return (STATIC / "index.html").read_bytes()


__all__ = ["STATIC", "index_html", "static_dir"]
