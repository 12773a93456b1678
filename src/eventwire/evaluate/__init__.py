"""Evaluation against gold sets: ``eventwire evaluate`` and its Python API.

>>> from eventwire.evaluate import find_datasets, read_predictions, evaluate_dataset
>>> for ds in find_datasets("../shared/data"):                      # doctest: +SKIP
...     print(ds.name, evaluate_dataset(ds, read_predictions("events.jsonl")).to_dict())

Three evaluators, chosen by the gold format: ``plover_gsr`` (per-field P/R/F1 and a type
confusion, see ``eventwire.evaluate.plover_gsr``), ``ged`` (location, date and deaths of one event
per headline, see ``eventwire.evaluate.ged``) and ``seed`` (required/acceptable events of the seed
coding, see ``eventwire.evaluate.seed``).  Nothing from any gold file is stored in the package.
"""

from eventwire.evaluate.datasets import (
    Dataset,
    DatasetError,
    DocInfo,
    find_datasets,
    read_predictions,
)
from eventwire.evaluate.ged import GedReport, choose_event, country_at, evaluate_ged
from eventwire.evaluate.matching import greedy_align, max_matching, set_counts
from eventwire.evaluate.metrics import PRF, Rate, haversine_km, macro_f1
from eventwire.evaluate.plover_gsr import PloverReport, evaluate_plover
from eventwire.evaluate.runner import Report, dataset_documents, evaluate_dataset, predict
from eventwire.evaluate.seed import SeedReport, evaluate_seed, matches

__all__ = [
    "PRF",
    "Dataset",
    "DatasetError",
    "DocInfo",
    "GedReport",
    "PloverReport",
    "Rate",
    "Report",
    "SeedReport",
    "choose_event",
    "country_at",
    "dataset_documents",
    "evaluate_dataset",
    "evaluate_ged",
    "evaluate_plover",
    "evaluate_seed",
    "find_datasets",
    "greedy_align",
    "haversine_km",
    "macro_f1",
    "matches",
    "max_matching",
    "predict",
    "read_predictions",
    "set_counts",
]
