"""Rich tables for evaluation reports (``eventwire evaluate`` without ``--json``)."""

from __future__ import annotations

from rich.console import RenderableType
from rich.markup import escape
from rich.table import Table

from eventwire.evaluate.articles import ArticlesReport
from eventwire.evaluate.conflict import ConflictReport, ConflictScores
from eventwire.evaluate.ged import GedReport, LocationScores
from eventwire.evaluate.matching import PLOVER_TYPES
from eventwire.evaluate.metrics import PRF, Rate
from eventwire.evaluate.plover_gsr import PloverReport
from eventwire.evaluate.police import LABELS, PoliceReport
from eventwire.evaluate.runner import Report
from eventwire.evaluate.seed import SeedReport
from eventwire.evaluate.snippets import SnippetReport
from eventwire.evaluate.toponyms import ToponymReport
from eventwire.evaluate.trainsets import DocLabelReport, TriggerReport


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _prf_row(name: str, s: PRF) -> list[str]:
    return [name, str(s.tp), str(s.fp), str(s.fn), _f(s.precision), _f(s.recall), _f(s.f1)]


def _rate(r: Rate) -> str:
    return f"{_f(r.value)} ({r.hits}/{r.total})"


def _plover(name: str, rep: PloverReport) -> list[RenderableType]:
    title = (
        f"{name}: {rep.documents} documents, {rep.gold_events} gold / {rep.pred_events} output "
        f"events, {rep.aligned_pairs} aligned; event type macro-F1 {_f(rep.macro_f1)}"
        + (f"; {rep.ignored_events} output events left out (unreviewed)" if rep.ignored_events else "")
    )
    fields = Table(title=title, title_justify="left")
    for col in ("field", "TP", "FP", "FN", "P", "R", "F1", "F1 aligned"):
        fields.add_column(col, justify="left" if col == "field" else "right")
    for f in rep.fields:
        fields.add_row(*_prf_row(f, rep.fields[f]), _f(rep.aligned[f].f1))
    types = Table(title=f"{name}: event types", title_justify="left")
    for col in ("type", "TP", "FP", "FN", "P", "R", "F1"):
        types.add_column(col, justify="left" if col == "type" else "right")
    for t, s in rep.per_type.items():
        if s.tp + s.fp + s.fn:
            types.add_row(*_prf_row(t, s))
    labels = [t for t in (*PLOVER_TYPES, *sorted({*rep.per_type} - set(PLOVER_TYPES)), "NONE")
              if any(t in pair for pair in rep.confusion)]
    conf = Table(title=f"{name}: confusion (rows gold, columns output)", title_justify="left")
    conf.add_column("gold \\ out")
    for t in labels:
        conf.add_column(t[:4], justify="right")
    for g in labels:
        conf.add_row(g, *[str(rep.confusion[(g, p)] or "") for p in labels])
    return [fields, types, conf]


def _loc_rows(table: Table, label: str, data: LocationScores) -> None:
    for d, r in data.within.items():
        table.add_row(f"{label}within {d} km", _rate(r))
    table.add_row(f"{label}located (has a point)", _rate(data.located))
    med = data.to_dict()["median_error_km"]
    table.add_row(f"{label}median error km", "-" if med is None else f"{med:.1f}")


def _ged(name: str, rep: GedReport) -> list[RenderableType]:
    t = Table(title=f"{name}: {rep.documents} documents (one gold event each)", title_justify="left")
    t.add_column("metric")
    t.add_column("value", justify="right")
    t.add_row("event found (ASSAULT)", _rate(rep.event_found))
    _loc_rows(t, "", rep.location)
    _loc_rows(t, "where_prec<=2: ", rep.precise)
    rows = [
        ("country right", rep.country),
        ("date in gold window", rep.date_in_window),
        ("  baseline: publication date", rep.publication_baseline),
        ("date within window +-1 day", rep.date_within_1_day),
        ("  baseline: publication date", rep.publication_baseline_1_day),
        ("dead = low", rep.dead_low),
        ("dead = best", rep.dead_best),
        ("dead = low, where a number is output", rep.dead_stated_low),
        ("[b]where an event is output:[/b]", None),
        ("  within 50 km", rep.found_within_50_km),
        ("  where_prec<=2: within 50 km", rep.found_precise_within_50_km),
        ("  country right", rep.found_country),
        ("  date in gold window", rep.found_date_in_window),
        ("    baseline: publication date", rep.found_publication_baseline),
        ("  date within window +-1 day", rep.found_date_within_1_day),
        ("    baseline: publication date", rep.found_publication_baseline_1_day),
    ]
    for label, rate in rows:
        t.add_row(label, "" if rate is None else _rate(rate))
    return [t]


def _seed(name: str, rep: SeedReport) -> list[RenderableType]:
    d = rep.to_dict()
    title = (
        f"{name}: required {d['required_found']}/{d['required_total']}, acceptable "
        f"{d['acceptable_found']}/{d['acceptable_total']}, precision {_f(rep.precision)} "
        f"({d['outputs_matching']}/{d['outputs']}), dates exact {d['dates_exact']}/{d['dates_total']}, "
        f"dead exact {d['dead_exact']}/{d['dead_total']}"
    )
    t = Table(title=title, title_justify="left")
    for col in ("gold", "req", "type", "matched by", "candidates", "date exact", "dead exact"):
        t.add_column(col)
    yn = {True: "yes", False: "no", None: ""}
    for e in rep.events:
        t.add_row(e.key, "yes" if e.required else "", e.event, e.matched or "-",
                  str(e.candidates), yn[e.date_exact], yn[e.dead_exact])
    out: list[RenderableType] = [t]
    if rep.unmatched_outputs:
        u = Table(title=f"{name}: output events matching no gold event", title_justify="left")
        u.add_column("output event")
        for item in rep.unmatched_outputs:
            u.add_row(item)
        out.append(u)
    return out


def _per_type(name: str, per_type: dict[str, PRF]) -> Table:
    types = Table(title=f"{name}: event types", title_justify="left")
    for col in ("type", "TP", "FP", "FN", "P", "R", "F1"):
        types.add_column(col, justify="left" if col == "type" else "right")
    for t, s in per_type.items():
        if s.tp + s.fp + s.fn:
            types.add_row(*_prf_row(t, s))
    return types


def _doclabel(name: str, rep: DocLabelReport) -> list[RenderableType]:
    t = Table(title=f"{name}: {rep.documents} stories, one labelled event each", title_justify="left")
    t.add_column("metric")
    t.add_column("value", justify="right")
    t.add_row("main event type = label (accuracy)", _rate(Rate(rep.correct, rep.documents)))
    t.add_row("macro-F1 of the main event type", _f(rep.macro_f1))
    t.add_row("some event of the label's type", _rate(Rate(rep.any_of_label, rep.documents)))
    t.add_row("no event output", _rate(Rate(rep.no_event, rep.documents)))
    t.add_row("mode right (stories with a mode)", _rate(Rate(rep.mode_correct, rep.mode_total)))
    return [t, _per_type(name, rep.per_type)]


def _trigger(name: str, rep: TriggerReport) -> list[RenderableType]:
    t = Table(title=f"{name}: {rep.passages} passages, one annotated event each", title_justify="left")
    t.add_column("metric")
    t.add_column("value", justify="right")
    t.add_row("event output at the trigger (PLOVER-typed gold)", _rate(Rate(rep.trigger_found, rep.mapped)))
    t.add_row("  of those, type right", _rate(Rate(rep.type_right, rep.trigger_found)))
    t.add_row("type right at the trigger (recall)", _rate(Rate(rep.type_right, rep.mapped)))
    t.add_row("macro-F1 of the type at the trigger", _f(rep.macro_f1))
    t.add_row("event output where PLOVER has none", _rate(Rate(rep.unmapped_coded, rep.unmapped)))
    for role, rate in sorted(rep.roles.items()):
        t.add_row(f"argument found: {role}", _rate(rate))
    return [t, _per_type(name, rep.per_type)]


def _toponyms(name: str, rep: ToponymReport) -> list[RenderableType]:
    d = rep.to_dict()
    t = Table(title=f"{name}: toponyms (geoparsing)")
    t.add_column("metric")
    t.add_column("value", justify="right")
    t.add_row("gold toponyms", str(d["gold_toponyms"]))
    t.add_row("recognised (a resolved mention overlaps)", str(d["recognised"]))
    t.add_row("resolved within 161 km, of recognised", _f(d["within_161km"]))
    t.add_row("recall", _f(d["recall"]))
    t.add_row("precision", _f(d["precision"]))
    t.add_row("median error, km", _f(d["median_km"]))
    t.add_row("mean error, km", _f(d["mean_km"]))
    return [t]


def _metric_table(title: str) -> Table:
    t = Table(title=title, title_justify="left")
    t.add_column("metric")
    t.add_column("value", justify="right")
    return t


ACLED_SHORT = {
    "Battles": "Battles",
    "Explosions/Remote violence": "Expl/RV",
    "Violence against civilians": "VAC",
    "Protests": "Protests",
    "Riots": "Riots",
    "Strategic developments": "Strat dev",
}
CONFLICT_ROWS = (
    ("ACLED event type right", "acled_type"),
    ("sub-event type right", "sub_type"),
    ("has an ACLED-typed event", "with_acled_event"),
    ("dead exact (none read as 0)", "dead_exact"),
    ("  where an event is output", "dead_exact_where_event"),
    ("date exact (day stated)", "date_exact"),
    ("  where an event is output", "date_exact_where_event"),
    ("country right", "country"),
    ("place named", "place_named"),
)


def _conflict(name: str, rep: ConflictReport) -> list[RenderableType]:
    groups: list[tuple[str, ConflictScores]] = [("all", rep.overall), *sorted(rep.by_style.items())]
    t = Table(title=f"{name}: {rep.documents} reports, one event each", title_justify="left")
    t.add_column("metric")
    for label, scores in groups:
        t.add_column(f"{label} ({scores.documents})", justify="right")
    for label, attr in CONFLICT_ROWS:
        t.add_row(label, *[_rate(getattr(scores, attr)) for _, scores in groups])
    labels = rep.labels()
    conf = Table(title=f"{name}: ACLED event types (rows gold, columns output)", title_justify="left")
    conf.add_column("gold \\ out")
    for lab in labels:
        conf.add_column(ACLED_SHORT.get(lab, lab[:9]), justify="right")
    for g in labels:
        if any(rep.confusion[(g, p)] for p in labels):
            conf.add_row(g, *[str(rep.confusion[(g, p)] or "") for p in labels])
    return [t, conf]


def _snippets(name: str, rep: SnippetReport) -> list[RenderableType]:
    t = _metric_table(f"{name}: {rep.documents} snippets, one class each")
    t.add_row("accuracy", _rate(Rate(rep.correct, rep.documents)))
    t.add_row("weighted F1 (gold classes)", _f(rep.weighted_f1))
    t.add_row("macro F1 (gold classes)", _f(rep.macro_f1))
    t.add_row("ACLED event type right", _rate(rep.acled_type))
    t.add_row("no event output", _rate(Rate(rep.no_event, rep.documents)))
    c = Table(title=f"{name}: classes (gold support; most frequent wrong outputs)", title_justify="left")
    for col in ("class", "gold", "TP", "FP", "FN", "P", "R", "F1", "output instead"):
        c.add_column(col, justify="left" if col in ("class", "output instead") else "right")
    for cls, s in sorted(rep.per_class.items()):
        wrong = sorted(
            ((n, p) for (g, p), n in rep.confusion.items() if g == cls and p != cls),
            key=lambda x: (-x[0], x[1]),
        )
        instead = ", ".join(f"{p} {n}" for n, p in wrong[:3])
        c.add_row(cls, str(s.support), str(s.tp), str(s.fp), str(s.fn), _f(s.precision),
                  _f(s.recall), _f(s.f1), instead)
    return [t, c]


def _police(name: str, rep: PoliceReport) -> list[RenderableType]:
    t = _metric_table(f"{name}: {rep.documents} sentences, police actions")
    t.add_row("macro-F1 (kill, arrest, force, fail)", _f(rep.macro_f1))
    t.add_row("micro-F1", _f(rep.micro.f1))
    t.add_row("exact label set", _rate(Rate(rep.exact, rep.documents)))
    t.add_row("no label where the gold has none", _rate(rep.none_right))
    labels = Table(title=f"{name}: labels", title_justify="left")
    for col in ("label", "TP", "FP", "FN", "P", "R", "F1"):
        labels.add_column(col, justify="left" if col == "label" else "right")
    for lab in LABELS:
        labels.add_row(*_prf_row(lab, rep.per_label[lab]))
    return [t, labels]


def _articles(name: str, rep: ArticlesReport) -> list[RenderableType]:
    d = rep.to_dict()
    t = _metric_table(f"{name}: {rep.documents} articles")
    for label, key in (
        ("required events found (recall)", "required_recall"),
        ("acceptable events found", "acceptable_found"),
        ("output events matching gold (precision)", "precision"),
        ("dates exact (required)", "dates_exact"),
        ("dead exact (required)", "dead_exact"),
        ("ACLED type exact (required)", "acled_exact"),
    ):
        r = d[key]
        t.add_row(label, _rate(Rate(r["hits"], r["total"])))
    a = Table(title=f"{name}: per article", title_justify="left")
    for col in ("article", "required", "acceptable", "precision", "required not found"):
        a.add_column(col)
    for art in d["articles"]:
        a.add_row(
            art["doc_id"],
            f"{art['required_found']}/{art['required_total']}",
            f"{art['acceptable_found']}/{art['acceptable_total']}",
            f"{_f(art['precision'])} ({art['outputs_matching']}/{art['outputs']})",
            " ".join(art["required_missed"]),
        )
    return [t, a]


def render(name: str, report: Report) -> list[RenderableType]:
    """Rich tables for one dataset's report."""
    if isinstance(report, ToponymReport):
        return _toponyms(name, report)
    name = escape(name)  # "conflict_reports[dev]" is a name, not Rich markup
    if isinstance(report, ConflictReport):
        return _conflict(name, report)
    if isinstance(report, SnippetReport):
        return _snippets(name, report)
    if isinstance(report, PoliceReport):
        return _police(name, report)
    if isinstance(report, ArticlesReport):
        return _articles(name, report)
    if isinstance(report, DocLabelReport):
        return _doclabel(name, report)
    if isinstance(report, TriggerReport):
        return _trigger(name, report)
    if isinstance(report, PloverReport):
        return _plover(name, report)
    if isinstance(report, GedReport):
        return _ged(name, report)
    return _seed(name, report)
