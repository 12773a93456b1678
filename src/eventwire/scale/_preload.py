"""Imported once in the worker pool's fork server, so that every worker starts with it done:
spaCy and the stages imported, and dateparser's time-zone expressions compiled (built lazily
on the first date it parses, about 0.3 s of CPU per process otherwise)."""

from __future__ import annotations

import eventwire.pipeline  # spaCy and every stage
import eventwire.scale.workers  # noqa: F401

try:
    from dateparser.timezone_parser import pop_tz_offset_from_string

    pop_tz_offset_from_string("1 January 2020 UTC")
except Exception:  # noqa: BLE001 - only a warm-up
    pass
