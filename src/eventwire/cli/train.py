"""``eventwire train``: rebuild the confidence model from labelled events, reproducibly."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from eventwire.cli.common import error_line, open_output, progress, usage_error

if TYPE_CHECKING:
    from eventwire.evaluate import Dataset
    from eventwire.model import Document

DEFAULT_TRAIN = Path("../shared/train")
DEFAULT_GOLD = Path("tests/data/gold")


def register(app: typer.Typer) -> None:
    @app.command()
    def train(
        train_dir: Path = typer.Option(DEFAULT_TRAIN, "--train", help="Training material (RAMS passages)."),
        gold_dir: Path = typer.Option(DEFAULT_GOLD, "--gold", help="Labelled sets with dev/test halves."),
        out: Path | None = typer.Option(
            None, "--out", help="Where to write the weights (default: the installed package's data)."
        ),
        check: bool = typer.Option(True, "--check/--no-check", help="Report calibration on the held-out halves."),
        seed: int = typer.Option(0, "--seed", help="Random seed (cross-validation folds)."),
    ) -> None:
        """Train the confidence model on labelled events (RAMS training side, dev halves of the
        labelled sets) and report its calibration on held-out ones (RAMS test side, test halves)."""
        from eventwire.coding import confidence
        from eventwire.evaluate import (
            Reliability,
            dataset_documents,
            fit,
            labelled_sets,
            reliability,
            write_weights,
        )
        from eventwire.pipeline import Pipeline

        if not train_dir.is_dir() and not gold_dir.is_dir():
            raise usage_error(f"--train {train_dir} and --gold {gold_dir}: neither is a folder")
        target = out or Path(confidence.__file__).parent / confidence.WEIGHTS
        console = Console(stderr=True)
        pipe = Pipeline()

        def docs(ds: Dataset) -> list[Document]:
            return list(dataset_documents(ds, error_line))

        def bar_for(label: str, n: int) -> Callable[[], None]:
            bar = progress(n, label)
            bar.start()
            task = bar.add_task(label, total=n)

            def tick() -> None:
                bar.advance(task)
                if bar.tasks[task].completed >= n:
                    bar.stop()

            return tick

        confidence._weights.cache_clear()
        # features do not depend on the weights; train from the rule-based scores
        examples = []
        counts: dict[str, int] = {}
        for lab in labelled_sets(pipe, train_dir, gold_dir, "dev", docs, bar_for):
            examples += lab.examples
            counts[lab.name] = len(lab.examples)
        if len(examples) < 50 or len({y for _, y in examples}) < 2:
            raise usage_error(f"only {len(examples)} labelled events found under {train_dir} and {gold_dir}")
        weights, c = fit(examples, seed=seed)
        meta = {
            "model": "logistic regression over eventwire.coding.confidence.features",
            "trained": date.today().isoformat(),
            "seed": seed,
            "C": c,
            "training_events": counts,
            "licence": "CC BY-SA 4.0 (weights learned partly from RAMS passages, CC BY-SA 4.0)",
        }
        write_weights(target, weights, meta)
        confidence._weights.cache_clear()
        result: dict[str, object] = {"weights": str(target), "features": len(weights), **meta}
        if check:
            held: list[tuple[float, int]] = []
            per_set: dict[str, Reliability] = {}
            for lab in labelled_sets(pipe, train_dir, gold_dir, "test", docs, bar_for):
                scored = [(confidence.score(f, 0.5), y) for f, y in lab.examples]
                held += scored
                per_set[lab.name] = reliability(scored)
            result["held_out"] = {"all": reliability(held), **per_set}
            table = Table(title="calibration on held-out events (confidence bin: mean confidence vs share right)")
            for col in ("bin", "events", "mean confidence", "share right"):
                table.add_column(col, justify="right")
            for row in result["held_out"]["all"]["bins"]:  # type: ignore[index]
                table.add_row(row["bin"], str(row["events"]), f"{row['mean_confidence']:.3f}", f"{row['share_right']:.3f}")
            console.print(table)
            console.print(f"expected calibration error: {result['held_out']['all']['ece']}")  # type: ignore[index]
        with open_output(None) as fh:
            fh.write(json.dumps(result, indent=1) + "\n")
