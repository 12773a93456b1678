"""Merging reports of the same real-world event into canonical events.

Pure rules over the core model's typed records: a report is a coded ``Event`` with its
document's publication date (``Report``), a merged event a ``CanonicalEvent``; the store applies
them incrementally as documents arrive.

Two reports are the same event when all of these hold (``compare``):

* **type family**: their primary types are in the same family (``eventwire.ontology``);
* **dates**: their date windows (``date_window`` of each record's ``EventDate``) overlap once
  widened by the reported precision: a day-precise text date by one day either side (time
  zones, "overnight"), a date taken from the publication date covers the three days up to it,
  a week/month/year covers that whole period;
* **place**: where both have coordinates, they are within the distance allowed for the
  coarser of the two resolutions (``DISTANCE_KM``: 5 km sub-city, 25 km city, 100 km district,
  250 km province; country-level places must be the same country) and in the same country;
  where either lacks a place, the reports must share an actor or recipient code instead;
* **actors**: the actor codes do not contradict (both sides coded and no code in common), nor do
  the recipient codes.

Fields of the canonical event are reconciled from all its reports (``reconcile``); see that
function for the rules.  The same record comes from a ``Tally`` of the reports, one report at a
time (``Tally.add``, then ``Tally.canonical``), which the store keeps (as JSON, with the
``MatchSummary`` that ``compare`` reads) so that merging never rereads reports.
"""

from eventwire.helpers import haversine_km
from eventwire.merge.rules import (
    DISTANCE_KM,
    MatchResult,
    MatchSummary,
    MergeReason,
    Report,
    Tally,
    compare,
    date_window,
    family,
    match_window,
    reconcile,
)

__all__ = [
    "DISTANCE_KM",
    "MatchResult",
    "MatchSummary",
    "MergeReason",
    "Report",
    "Tally",
    "compare",
    "date_window",
    "family",
    "haversine_km",
    "match_window",
    "reconcile",
]
