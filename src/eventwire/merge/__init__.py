"""Merging reports of the same real-world event into canonical events.

Pure rules over PLOVER event records (dicts as ``Event.to_plover()`` gives them, plus the
report's ``publication_date``); the store applies them incrementally as documents arrive.

Two reports are the same event when all of these hold (``compare``):

* **type family**: their primary types are in the same family (``eventwire.ontology``);
* **dates**: their date windows overlap once widened by the reported precision
  (``date_window``): a day-precise text date by one day either side (time zones, "overnight"),
  a date taken from the publication date covers the three days up to it, a week/month/year
  covers that whole period;
* **place**: where both have coordinates, they are within the distance allowed for the
  coarser of the two resolutions (``DISTANCE_KM``: 5 km sub-city, 25 km city, 100 km district,
  250 km province; country-level places must be the same country) and in the same country;
  where either lacks a place, the reports must share an actor or recipient code instead;
* **actors**: the actor codes do not contradict (both sides coded and no code in common), nor do
  the recipient codes.

Fields of the canonical event are reconciled from all its reports (``reconcile``); see that
function for the rules.  The same record comes from a tally of the reports, one report at a time
(``add_report``, then ``finish``), which the store keeps so that merging never rereads reports.
"""

from eventwire.helpers import haversine_km
from eventwire.merge.rules import (
    DISTANCE_KM,
    MatchResult,
    add_report,
    compare,
    date_window,
    family,
    finish,
    match_summary,
    match_window,
    reconcile,
    tally_reports,
)

__all__ = [
    "DISTANCE_KM",
    "MatchResult",
    "add_report",
    "compare",
    "date_window",
    "family",
    "finish",
    "haversine_km",
    "match_summary",
    "match_window",
    "reconcile",
    "tally_reports",
]
