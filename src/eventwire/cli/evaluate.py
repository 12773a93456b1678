"""``eventwire evaluate``: score the pipeline (or a predictions file) against gold sets."""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from eventwire.cli.common import error_line, open_output, progress, usage_error

if TYPE_CHECKING:
    from eventwire.evaluate import Dataset, Predictions
    from eventwire.pipeline import Pipeline


def _load_pipeline(model: str | None) -> Pipeline:
    from eventwire.nlp import ModelNotFoundError
    from eventwire.pipeline import Pipeline

    try:
        return Pipeline(model)
    except ModelNotFoundError as exc:
        raise usage_error(f"--model: {exc}") from None


def _has_modal(preds: Predictions, ds: Dataset) -> bool:
    """Whether a predictions file holds any negated, hypothetical or historical event of the set."""
    from eventwire.evaluate import events_of, is_modal

    events = events_of(preds)
    return any(is_modal(e) for d in ds.docs for e in events.get(d.id, []))


def register(app: typer.Typer) -> None:
    @app.command()
    def evaluate(
        dataset: str | None = typer.Argument(
            None,
            help="NAME.docs.jsonl, NAME.gold.jsonl, a seed gold.json, a set folder with dev/test "
            "halves, or a directory of them (e.g. tests/data/gold); none with --reviewed.",
        ),
        predictions: str | None = typer.Option(
            None, "--predictions", help="PLOVER JSON Lines to score instead of running the pipeline."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object with all metrics."),
        model: str | None = typer.Option(None, "--model", help="An installed spaCy pipeline to use."),
        limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N documents of each set."),
        split: str | None = typer.Option(
            None,
            "--split",
            help="Which half to score: dev (default) or test for labelled-set folders (NAME/dev.*, "
            "NAME/test.*); test (default) or train for the training material (ngec_synthetic, "
            "rams); all for both halves.",
        ),
        reviewed: bool = typer.Option(
            False, "--reviewed", help="Score the coder against the store's reviewed events (see export-gold): its "
            "stored output as it was before any correction, or with --recode this version of the coder.",
        ),
        db: str | None = typer.Option(None, "--db", help="The store for --reviewed (default: $EVENTWIRE_DB or "
                                                         "~/.local/share/eventwire/eventwire.sqlite)."),
        recode: bool = typer.Option(False, "--recode", help="With --reviewed: code the reviewed documents again "
                                                            "instead of scoring the stored output."),
    ) -> None:
        """Precision, recall and F1 per field, locations, dates and deaths against gold sets; toponym
        gold (GeoVirus-style XML) is scored on geoparsing: share within 161 km, recall, median error."""
        from eventwire.evaluate import (
            DatasetError,
            dataset_documents,
            evaluate_dataset,
            find_datasets,
            predict,
            predict_toponyms,
            read_predictions,
            render,
        )

        if reviewed and dataset is not None:
            raise usage_error("give a DATASET or --reviewed, not both")
        if not reviewed and dataset is None:
            raise usage_error("missing DATASET (or --reviewed to score against the store's reviews)")
        if (db is not None or recode) and not reviewed:
            raise usage_error("--db and --recode go with --reviewed")
        if recode and predictions:
            raise usage_error("--recode codes the documents; --predictions scores a file: one or the other")
        tmp = None
        reviews_info: dict[str, Any] | None = None
        scoring = "recoded" if recode else "given" if predictions else "stored"  # with --reviewed
        if reviewed:
            import tempfile
            from pathlib import Path

            tmp = tempfile.TemporaryDirectory(prefix="eventwire-reviewed-")
            reviews_info = _export_reviews(db, Path(tmp.name))
            dataset = str(Path(tmp.name) / "reviews.gold.jsonl")
            if scoring == "stored":
                predictions = str(Path(tmp.name) / "reviews.coder.jsonl")
        try:
            if split not in (None, "dev", "test", "train", "all"):
                raise DatasetError(f"--split {split!r} is not one of dev, test, train, all")
            assert dataset is not None
            datasets = [ds.limit(limit) for ds in find_datasets(dataset, split)]  # type: ignore[arg-type]
            given = read_predictions(predictions) if predictions else None
        except DatasetError as exc:
            raise usage_error(str(exc)) from None

        pipeline = None
        if given is None:
            pipeline = _load_pipeline(model)
        results: dict[str, dict[str, Any]] = {}
        console = Console(width=max(Console().width, 120), emoji=False)
        if reviews_info is not None and not as_json:
            what = {"recoded": "this coder, coding the documents again", "given": "the predictions given",
                    "stored": "the coder's stored output, before any correction"}[scoring]  # fmt: skip
            console.print(_reviews_line(reviews_info, what), markup=False)
        for ds in datasets:
            preds: Predictions
            if given is not None:
                preds = given
                if ds.all_events and not _has_modal(given, ds):
                    error_line(
                        ds.name,
                        "the predictions hold no negated event, so 'fail' cannot be found; "
                        "make them with `eventwire extract --all-events`",
                    )
            else:
                assert pipeline is not None  # loaded above when no predictions are given
                docs = list(dataset_documents(ds, error_line))
                with progress(len(docs), f"coding {ds.name}") as bar:
                    advance = functools.partial(bar.advance, bar.add_task(ds.name, total=len(docs)))
                    if ds.kind == "toponyms":
                        preds = predict_toponyms(pipeline, docs, error_line, advance)
                    else:
                        preds = predict(pipeline, docs, error_line, advance, all_events=ds.all_events)
            report = evaluate_dataset(ds, preds)
            gold_name = "reviews in the store" if reviewed else str(ds.gold_path)
            results[ds.name] = {"gold": gold_name, **report.to_dict()}
            if not as_json:
                for table in render(ds.name, report):
                    console.print(table)
        if as_json:
            out = {
                "predictions": predictions,
                "model": None if pipeline is None else getattr(pipeline, "model_name", model),
                "limit": limit,
                "datasets": results,
            }
            if reviews_info is not None:
                out["reviews"] = reviews_info
                out["predictions"] = predictions if scoring == "given" else scoring
            with open_output(None) as fh:
                fh.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        raise typer.Exit(0)


def _export_reviews(db: str | None, folder: Any) -> dict[str, Any]:
    """Write the store's reviews as a gold set (with the coder's stored output beside it) into
    ``folder``; the review counts."""
    from eventwire.cli.common import open_store
    from eventwire.cli.review import write_gold
    from eventwire.store import Reviews

    store = open_store(db, read_only=True)
    with store:
        written = write_gold(store, folder, "reviews", coder=True)
        counts = Reviews(store).counts()
    if not written["documents"]:
        raise usage_error("--reviewed: no reviewed events in the store (review some with eventwire serve)")
    return {**counts, "documents": written["documents"], "gold_events": written["gold_events"],
            "unreviewed_events": written["unreviewed_events"]}  # fmt: skip


def _reviews_line(info: dict[str, Any], what: str) -> str:
    fields = ", ".join(f"{k} {v}" for k, v in info["corrected_fields"].items()) or "none"
    return (
        f"reviews: {info['reviewed']} events reviewed ({info['confirmed']} confirmed, {info['corrected']} corrected, "
        f"{info['rejected']} rejected; {info['flagged']} flagged for another look) in {info['documents']} documents; "
        f"fields corrected: {fields}.  Scoring {what} against them."
    )
