from __future__ import annotations

import pytest

from support.shared import shared_path


@pytest.fixture(scope="session")
def nlp():
    from eventwire import nlp as ew_nlp

    return ew_nlp.load()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return shared_path("seed", "article.txt").read_text(encoding="utf-8")
