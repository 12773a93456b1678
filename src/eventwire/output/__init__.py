"""Output stage: event records to PLOVER JSON Lines, ACLED-like CSV and the other export formats."""

from eventwire.output.csv import ACLED_COLUMNS, acled_row, write_csv
from eventwire.output.plover import event_dict, write_plover

__all__ = ["ACLED_COLUMNS", "acled_row", "event_dict", "write_csv", "write_plover"]
