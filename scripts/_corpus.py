"""Parsed training text for the build scripts, cached under ``.eventwire/parses``.

Only the TRAINING side of the fixed split is read (``eventwire.evaluate.trainsets``): the
synthetic stories' train templates, the RAMS train outlets, and ECB+ (not used for scoring).  The
cache key is the model name, the nlp stage's source and the texts, so it is never stale.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from collections.abc import Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".eventwire" / "parses"


def parse_cached(nlp: Language, texts: list[str], model_key: str) -> list[Doc]:
    """Parses of ``texts`` (one ``nlp.pipe`` run, then cached on disk)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256((model_key + "\0" + "\0".join(texts)).encode()).hexdigest()[:20]
    path = CACHE / f"{key}.spacy"
    if path.is_file():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    parsed = list(nlp.pipe(texts, batch_size=32))
    DocBin(store_user_data=True, docs=parsed).to_disk(path)
    return parsed


def model_key(nlp: Language) -> str:
    from eventwire import nlp as nlp_stage

    return nlp.meta.get("name", "") + nlp.meta.get("version", "") + hashlib.sha256(
        inspect.getsource(nlp_stage).encode()
    ).hexdigest()


def ecb_texts(train: Path) -> list[str]:
    """The ECB+ documents as plain text (tokens joined with spaces, one line per sentence)."""
    out = []
    for f in sorted((train / "ecbplus").glob("*/*.xml")):
        sents: dict[int, list[str]] = {}
        for m in re.finditer(r'<token t_id="\d+" sentence="(\d+)"[^>]*>([^<]*)</token>', f.read_text("utf-8")):
            sents.setdefault(int(m.group(1)), []).append(_unescape(m.group(2)))
        out.append("\n".join(" ".join(toks) for _, toks in sorted(sents.items())))
    return out


def _unescape(s: str) -> str:
    return s.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def training_docs(nlp: Language, train: Path) -> Iterator[tuple[str, Doc]]:
    """(source, parsed doc) for every training-side text."""
    from eventwire.evaluate import trainsets

    key = model_key(nlp)
    synthetic = [x.document.text for x in trainsets.read_synthetic(train / "ngec_synthetic", "train")]
    rams = [x.document.text for x in trainsets.read_rams(train / "rams", "train")]
    for name, texts in (("synthetic", synthetic), ("rams", rams), ("ecbplus", ecb_texts(train))):
        for doc in parse_cached(nlp, texts, key):
            yield name, doc
