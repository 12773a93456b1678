from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EVENTWIRE_SHARED", ROOT.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A path under the shared folder; skips the test when the folder is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"shared data not present: {p}")
    return p


@pytest.fixture(scope="session")
def nlp():
    from eventwire import nlp as ew_nlp

    return ew_nlp.load()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return shared_path("seed", "article.txt").read_text(encoding="utf-8")
