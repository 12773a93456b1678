"""HTML pages to documents: the article's main text (boilerplate, navigation and comments
removed, by trafilatura), its title, author, outlet, canonical URL and publication date from the
page's metadata.

The extracted text *is* the document's text, so evidence offsets point into text a user can
read; the headline is its first line.  A page with no article in it (a section front, a list of
links, an error page) is an ``IngestError`` saying so, not an empty document.
"""

from __future__ import annotations

import codecs
import functools
import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from eventwire.ingest.limits import MAX_DOCUMENT_CHARS
from eventwire.ingest.readers import IngestError, document_from_text, parse_date
from eventwire.ingest.skipped import Skipped
from eventwire.ingest.urls import document_id, normalize_url
from eventwire.model import Document

log = logging.getLogger(__name__)

MAX_HTML_BYTES = 10_000_000  # a bigger "page" is not an article
MAX_TREE_SIZE = 200_000  # elements; trafilatura gives up on bigger trees
# an article has prose: lines that end like sentences, at least this many words of them
MIN_PROSE_WORDS = 25
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.IGNORECASE)
# labels browsers read as another encoding (WHATWG Encoding Standard)
_LABEL_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                  "ascii": "cp1252", "iso8859-1": "cp1252", "l1": "cp1252"}  # fmt: skip


@dataclass(slots=True, frozen=True)
class PageInfo:
    """What a page says about itself besides its text."""

    title: str | None = None
    author: str | None = None
    source: str | None = None
    canonical_url: str | None = None
    publication_date: date | None = None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _LABEL_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header value."""
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.IGNORECASE)
    return m.group(1) if m else None


def decode_html(raw: bytes, declared: str | None = None) -> str:
    """The characters of an HTML (or XML) page whatever its label says.

    A byte order mark wins; then UTF-8 when the bytes are valid UTF-8 (servers that label UTF-8
    pages ``iso-8859-1`` are common, and text in a legacy encoding is almost never valid UTF-8);
    then the charset the server declared, then the page's own ``<meta charset>``; then
    windows-1252, which decodes any byte."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(enc, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    head = raw[:8192]
    meta = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    for label in (declared, meta.group(1).decode("ascii", "replace") if meta else None):
        codec = _codec(label)
        if codec and codec not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32"):
            try:
                return raw.decode(codec)
            except (UnicodeDecodeError, LookupError):
                continue
    return raw.decode("cp1252", errors="replace")


def _clean(value: object, limit: int = 500) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value[:limit] if value else None


def _prose_words(text: str) -> int:
    """Words in lines that end like sentences (a list of headlines or links has none)."""
    n = 0
    for raw in text.splitlines():
        line = raw.strip()
        words = line.split()
        if len(words) >= 6 and _SENTENCE_END.search(line):
            n += len(words)
    return n


def _with_title(title: str | None, text: str) -> str:
    if title and not text.lstrip().startswith(title):
        return f"{title}\n{text}"
    return text


@functools.cache
def _config() -> Any:
    """trafilatura's settings: a bound on the page's tree, no date guessed from the text here."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MAX_TREE_SIZE", str(MAX_TREE_SIZE))
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
    return config


def _trafilatura() -> Any:
    import warnings

    with warnings.catch_warnings():  # urllib3 warns at import that it lacks SOCKS support (unused)
        warnings.simplefilter("ignore")
        import trafilatura
    return trafilatura


def extract_article(html: str, url: str | None = None) -> tuple[str, PageInfo] | None:
    """The main text and metadata of a page (``None``: no text found at all)."""
    trafilatura = _trafilatura()

    result = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, include_links=False, config=_config(),
        date_extraction_params={"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"},
    )  # fmt: skip
    if result is None or not getattr(result, "text", None):
        return None
    title = _clean(result.title)
    pub = _safe_date(result.date)
    info = PageInfo(
        title=title, author=_clean(result.author), source=_clean(result.sitename) or _clean(result.hostname),
        canonical_url=normalize_url(result.url) if result.url else None, publication_date=pub,
    )  # fmt: skip
    return _with_title(title, result.text.strip()), info


def _safe_date(value: object) -> date | None:
    try:
        return parse_date(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _date_from_page_text(html: str) -> date | None:
    """htmldate's search of the whole page (its text, URL patterns, time elements) when the
    metadata gives no date."""
    try:
        from htmldate import find_date

        found = find_date(html, extensive_search=True, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # noqa: BLE001 - a guess that fails is no date
        return None
    return _safe_date(found)


def document_from_html(
    raw: bytes | str,
    name: str,
    *,
    url: str | None = None,
    fallback_id: str | None = None,
    declared_charset: str | None = None,
    publication_date: date | None = None,
    title: str | None = None,
    source: str | None = None,
    skip_non_articles: bool = False,
) -> Document | IngestError | Skipped:
    """A document from one HTML page.

    ``url``: where the page was fetched from (its id comes from it; else from the page's
    canonical URL; else ``fallback_id``).  ``publication_date``: the date to use when the page's
    metadata has none (a feed item's date); then the page text is searched.  ``name`` names the
    input in errors.  ``skip_non_articles``: a page without an article is ``Skipped`` (pages of a
    crawl) rather than an error (a page the user gave)."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_HTML_BYTES:
            return IngestError(name, f"page larger than {MAX_HTML_BYTES // 1_000_000} MB")
        if not raw.strip():
            return IngestError(name, "empty page")
        html = decode_html(raw, declared_charset)
    else:
        html = raw
    if not html.strip():
        return IngestError(name, "empty page")
    try:
        found = extract_article(html, url)
    except Exception as exc:  # a page trafilatura cannot read is one bad input
        log.debug("extraction failed for %s", name, exc_info=True)
        return IngestError(name, f"cannot extract text from the page ({type(exc).__name__})")
    if found is None or _prose_words(found[0]) < MIN_PROSE_WORDS:
        why = "no article text in the page (not an article?)"
        return Skipped(name, why) if skip_non_articles else IngestError(name, why)
    text, info = found
    if len(text) > MAX_DOCUMENT_CHARS:
        return IngestError(name, f"article text longer than {MAX_DOCUMENT_CHARS} characters")
    page_url = normalize_url(url) if url else None
    own_url = page_url or info.canonical_url
    doc_id = document_id(own_url) if own_url else fallback_id
    if not doc_id:
        return IngestError(name, "page has no URL and no name to use as its id")
    pub = info.publication_date or publication_date or _date_from_page_text(html)
    doc = document_from_text(text, doc_id, pub, source=info.source or source)
    doc.title = info.title or _clean(title) or doc.title
    doc.url = own_url
    doc.canonical_url = info.canonical_url
    doc.author = info.author
    return doc


def html_fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed item's content): block elements become lines."""
    import lxml.html

    if "<" not in fragment:
        return " ".join(fragment.split())
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # noqa: BLE001 - unparsable markup: drop the tags by hand
        return " ".join(re.sub(r"<[^>]*>", " ", fragment).split())
    for bad in root.xpath("//script|//style|//iframe|//noscript"):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.xpath("//p|//div|//li|//h1|//h2|//h3|//h4|//h5|//h6|//blockquote|//tr"):
        block.tail = "\n" + (block.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)
