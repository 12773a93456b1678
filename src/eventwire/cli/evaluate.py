"""``eventwire evaluate``: score the pipeline (or a predictions file) against gold sets."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from eventwire.cli.common import error_line, open_output, progress, usage_error

if TYPE_CHECKING:
    from eventwire.evaluate import Dataset


def _load_pipeline(model: str | None):
    from eventwire.nlp import ModelNotFoundError
    from eventwire.pipeline import Pipeline

    try:
        return Pipeline(model)
    except ModelNotFoundError as exc:
        raise usage_error(f"--model: {exc}") from None


def _has_modal(preds: dict[str, list[dict[str, Any]]], ds: Dataset) -> bool:
    """Whether a predictions file holds any negated, hypothetical or historical event of the set."""
    from eventwire.evaluate.matching import is_modal

    return any(is_modal(e) for d in ds.docs for e in preds.get(d.id, []))


def register(app: typer.Typer) -> None:
    @app.command()
    def evaluate(
        dataset: str = typer.Argument(
            ...,
            help="NAME.docs.jsonl, NAME.gold.jsonl, a seed gold.json, a set folder with dev/test "
            "halves, or a directory of them (e.g. tests/data/gold).",
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
    ) -> None:
        """Precision, recall and F1 per field, locations, dates and deaths against gold sets; toponym
        gold (GeoVirus-style XML) is scored on geoparsing: share within 161 km, recall, median error."""
        from eventwire.evaluate import (
            DatasetError,
            dataset_documents,
            evaluate_dataset,
            find_datasets,
            predict,
            read_predictions,
        )
        from eventwire.evaluate.render import render
        from eventwire.evaluate.runner import predict_toponyms

        try:
            if split not in (None, "dev", "test", "train", "all"):
                raise DatasetError(f"--split {split!r} is not one of dev, test, train, all")
            datasets = [ds.limit(limit) for ds in find_datasets(dataset, split)]  # type: ignore[arg-type]
            given = read_predictions(predictions) if predictions else None
        except DatasetError as exc:
            raise usage_error(str(exc)) from None
        pipeline = None
        if given is None:
            pipeline = _load_pipeline(model)
        results: dict[str, dict] = {}
        console = Console(width=max(Console().width, 120), emoji=False)
        for ds in datasets:
            if given is not None:
                preds = given
                if ds.all_events and not _has_modal(given, ds):
                    error_line(
                        ds.name,
                        "the predictions hold no negated event, so 'fail' cannot be found; "
                        "make them with `eventwire extract --all-events`",
                    )
            else:
                docs = list(dataset_documents(ds, error_line))
                with progress(len(docs), f"coding {ds.name}") as bar:
                    task = bar.add_task(ds.name, total=len(docs))
                    if ds.kind == "toponyms":
                        preds = predict_toponyms(pipeline, docs, error_line, lambda t=task, b=bar: b.advance(t))
                    else:
                        preds = predict(pipeline, docs, error_line, lambda t=task, b=bar: b.advance(t),
                                        all_events=ds.all_events)
            report = evaluate_dataset(ds, preds)
            results[ds.name] = {"gold": str(ds.gold_path), **report.to_dict()}
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
            with open_output(None) as fh:
                fh.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        raise typer.Exit(0)
