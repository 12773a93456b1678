"""Output stage: typed event records (``eventwire.model.Record``: a coded ``Event``, a stored
report, a merged event) to PLOVER JSON Lines, ACLED-like CSV, CAMEO TSV and GeoJSON; Parquet in
``eventwire.output.parquet`` (imported on demand: pyarrow is slow to load)."""

from eventwire.output.csv import ACLED_COLUMNS, acled_row, write_csv
from eventwire.output.files import OutputError, open_output
from eventwire.output.geojson import feature, write_geojson
from eventwire.output.plover import write_plover
from eventwire.output.tsv import PHOENIX_COLUMNS, phoenix_row, write_tsv

__all__ = [
    "ACLED_COLUMNS",
    "PHOENIX_COLUMNS",
    "OutputError",
    "acled_row",
    "feature",
    "open_output",
    "phoenix_row",
    "write_csv",
    "write_geojson",
    "write_plover",
    "write_tsv",
]
