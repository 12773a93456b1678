"""Evaluation against gold sets: ``eventwire evaluate`` and its Python API.

>>> from eventwire.evaluate import find_datasets, read_predictions, evaluate_dataset
>>> for ds in find_datasets("../shared/data"):                      # doctest: +SKIP
...     print(ds.name, evaluate_dataset(ds, read_predictions("events.jsonl")).to_dict())

Predictions are typed records (``eventwire.model.Event``, or a stored or merged event, or a
``Toponym`` for geoparsing gold): ``read_predictions`` parses a PLOVER JSON Lines file into them
and ``predict`` returns the pipeline's own.  Gold records are the TypedDicts of ``gold``, one per
gold format; every value in them is typed ``object`` and checked where it is read.

Evaluators, chosen by the gold format (``datasets``): ``plover_gsr`` (per-field P/R/F1 and a type
confusion, see ``eventwire.evaluate.plover_gsr``), ``ged`` (location, date and deaths of one event
per headline, see ``eventwire.evaluate.ged``), ``seed`` (required/acceptable events of the seed
coding, see ``eventwire.evaluate.seed``), ``articles`` (the same over several articles,
``eventwire.evaluate.articles``), ``conflict_reports`` (ACLED type, sub-type, deaths, date and place
of one event per report, ``eventwire.evaluate.conflict``), ``event_snippets`` (fine-grained
classes, ``eventwire.evaluate.snippets``), ``police_sentences`` (police actions,
``eventwire.evaluate.police``), and the training material's ``doclabel`` and ``trigger``
(``eventwire.evaluate.trainsets``).  Nothing from any gold file is stored in the package.
"""

from eventwire.evaluate.articles import ArticlesReport, evaluate_articles
from eventwire.evaluate.calibration import (
    Reliability,
    fit,
    labelled_sets,
    reliability,
    write_weights,
)
from eventwire.evaluate.conflict import ConflictReport, evaluate_conflict
from eventwire.evaluate.datasets import (
    Dataset,
    DatasetError,
    DocInfo,
    GoldItem,
    Prediction,
    find_datasets,
    is_split_dir,
    prediction_from_plover,
    read_predictions,
)
from eventwire.evaluate.ged import GedReport, choose_event, country_at, evaluate_ged
from eventwire.evaluate.gold import (
    ConflictGold,
    GedGold,
    GoldEvent,
    GoldRecord,
    PloverGold,
    PoliceGold,
    SeedGold,
    SnippetGold,
)
from eventwire.evaluate.labelrules import Rule, load_rules, parse_rules
from eventwire.evaluate.matching import (
    greedy_align,
    is_modal,
    max_matching,
    pick_acled_event,
    place_named,
    set_counts,
)
from eventwire.evaluate.metrics import PRF, Rate, haversine_km, macro_f1
from eventwire.evaluate.plover_gsr import PloverReport, evaluate_plover
from eventwire.evaluate.police import PoliceReport, evaluate_police, predicted_labels
from eventwire.evaluate.render import render
from eventwire.evaluate.runner import (
    CodingResult,
    Predictions,
    Processor,
    Report,
    dataset_documents,
    evaluate_dataset,
    events_of,
    output_events,
    predict,
    predict_toponyms,
    toponyms_of,
)
from eventwire.evaluate.seed import SeedReport, evaluate_seed, matches
from eventwire.evaluate.snippets import SnippetReport, evaluate_snippets, predicted_class
from eventwire.evaluate.toponyms import ToponymDoc, ToponymReport, evaluate_toponyms
from eventwire.evaluate.trainsets import (
    DocLabelReport,
    LabelledDoc,
    TriggerDoc,
    TriggerReport,
    evaluate_doclabel,
    evaluate_trigger,
)

__all__ = [
    "PRF",
    "ArticlesReport",
    "CodingResult",
    "ConflictGold",
    "ConflictReport",
    "Dataset",
    "DatasetError",
    "DocInfo",
    "DocLabelReport",
    "GedGold",
    "GedReport",
    "GoldEvent",
    "GoldItem",
    "GoldRecord",
    "LabelledDoc",
    "PloverGold",
    "PloverReport",
    "PoliceGold",
    "PoliceReport",
    "Prediction",
    "Predictions",
    "Processor",
    "Rate",
    "Reliability",
    "Report",
    "Rule",
    "SeedGold",
    "SeedReport",
    "SnippetGold",
    "SnippetReport",
    "ToponymDoc",
    "ToponymReport",
    "TriggerDoc",
    "TriggerReport",
    "choose_event",
    "country_at",
    "dataset_documents",
    "evaluate_articles",
    "evaluate_conflict",
    "evaluate_dataset",
    "evaluate_doclabel",
    "evaluate_ged",
    "evaluate_plover",
    "evaluate_police",
    "evaluate_seed",
    "evaluate_snippets",
    "evaluate_toponyms",
    "evaluate_trigger",
    "events_of",
    "find_datasets",
    "fit",
    "greedy_align",
    "haversine_km",
    "is_modal",
    "is_split_dir",
    "labelled_sets",
    "load_rules",
    "macro_f1",
    "matches",
    "max_matching",
    "output_events",
    "parse_rules",
    "pick_acled_event",
    "place_named",
    "predict",
    "predict_toponyms",
    "predicted_class",
    "predicted_labels",
    "prediction_from_plover",
    "read_predictions",
    "reliability",
    "render",
    "set_counts",
    "toponyms_of",
    "write_weights",
]
