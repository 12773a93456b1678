"""A worker task for tests of ``eventwire.scale``: the real ``code_batch``, except for documents
whose id asks it to fail ("raise-...") or to kill its worker process ("die-...", as a crash in
compiled code or the OOM killer would)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from eventwire.model import Document
from eventwire.pipeline import code_batch


def code_or_fail(pipe: Any, documents: Sequence[Document]) -> list[Any]:
    for doc in documents:
        if doc.id.startswith("die-"):
            os._exit(9)
    if any(doc.id.startswith("raise-") for doc in documents):
        return code_batch(_Failing(pipe), documents)
    return code_batch(pipe, documents)


class _Failing:
    """The pipeline, raising on the documents marked "raise-"."""

    def __init__(self, pipe: Any) -> None:
        self._pipe = pipe

    def pipe(self, documents: Sequence[Document], batch_size: int = 16) -> Any:
        raise ValueError("a batch with a bad document")

    def process(self, doc: Document) -> Any:
        if doc.id.startswith("raise-"):
            raise ValueError(f"cannot code {doc.id}")
        return self._pipe.process(doc)
