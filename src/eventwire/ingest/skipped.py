"""``Skipped``: an input that is fine but holds nothing to code (a page of a crawl that is not an
article, a feed item without text).  Readers yield it beside ``Document`` and ``IngestError``;
it is counted, not reported as an error."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class Skipped:
    """An input passed over, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"
