"""eventwire: structured, verifiable event data from raw news reports."""

__version__ = "0.1.0"
