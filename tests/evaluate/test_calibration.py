"""The confidence model: fitting, calibration tables, and the installed weights."""

from __future__ import annotations

import random

from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.coding import confidence
from eventwire.evaluate.calibration import fit, reliability


def _toy(n: int, seed: int) -> list[tuple[dict[str, float], int]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        hand = rng.random() < 0.5
        right = int(rng.random() < (0.85 if hand else 0.35))
        out.append(({"bias": 1.0, f"origin={'hand' if hand else 'default'}": 1.0}, right))
    return out


def test_fit_learns_which_evidence_is_reliable_and_is_reproducible():
    weights, c = fit(_toy(400, 1), seed=0)
    assert weights["origin=hand"] > weights["origin=default"]
    assert fit(_toy(400, 1), seed=0) == (weights, c)


def test_reliability_bins_compare_confidence_with_the_share_right():
    table = reliability([(0.9, 1), (0.9, 1), (0.85, 0), (0.1, 0), (0.15, 1)], bins=5)
    assert table["events"] == 5
    top = next(b for b in table["bins"] if b["bin"] == "0.8-1.0")
    assert top["events"] == 3 and top["share_right"] == round(2 / 3, 3)
    assert 0 <= table["ece"] <= 1


def test_installed_weights_score_probabilities():
    info = confidence.model_info()
    assert info is not None and info["training_events"]
    feats = {"bias": 1.0, "origin=hand": 1.0, "type=ASSAULT": 1.0}
    p = confidence.score(feats, prior=0.5)
    assert 0.0 < p < 1.0


def test_train_refuses_missing_folders(tmp_path):
    result = CliRunner().invoke(app, ["train", "--train", str(tmp_path / "no"), "--gold", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "neither is a folder" in result.stderr
