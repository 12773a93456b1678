"""URLs of web documents: normalised (tracking parameters and fragments removed), keyed, and
turned into stable document ids.

``normalize_url`` is what a document's ``url`` and ``canonical_url`` hold (CONTRACT.md).
``url_key`` is coarser still (no scheme, no ``www.``, no trailing slash) and is what "the same
URL" means for deduplication: ``http://www.x.example/a/`` and ``https://x.example/a?utm_source=rss``
are one page.  ``document_id`` derives a document's id from its key, so the same page read from
a WARC file, a feed and a live fetch is one document.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import courlan

MAX_URL_CHARS = 4096

# tracking parameters news sites add that courlan's list does not cover (courlan removes
# utm_*, fbclid, gclid, ref, source, campaign, medium...)
_MORE_TRACKERS = re.compile(
    r"^(?:cmp|cmpid|smid|ito|ocid|taid|guccounter|guce_[a-z_]+|icid|intcmp|ftag|sr_share|share"
    r"|ns_[a-z_]+|at_[a-z_]+|__twitter_impression|_ga|_gl|fb_[a-z_]+|mbid|s_cid|cid|rss|amp|outputtype)$",
    re.IGNORECASE,
)


def normalize_url(url: str | None, base: str | None = None) -> str | None:
    """``url`` (resolved against ``base`` when relative) with its host lower-cased, default port,
    fragment and tracking parameters removed and the remaining parameters sorted; ``None`` for
    anything that is not an absolute http(s) URL."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if len(url) > MAX_URL_CHARS or any(ch in url for ch in "\x00\r\n\t "):
        url = url.replace(" ", "%20")
        if len(url) > MAX_URL_CHARS or any(ch in url for ch in "\x00\r\n\t"):
            return None
    if base and "://" not in url[:12]:
        from urllib.parse import urljoin

        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    try:
        cleaned = courlan.normalize_url(url, strict=False)
    except (ValueError, AttributeError, UnicodeError):
        return None
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _MORE_TRACKERS.match(k)]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), ""))


def url_key(url: str | None) -> str | None:
    """What "the same page" compares: the normalised URL without scheme, ``www.`` and trailing
    slash (``x.example/a``); ``None`` when ``url`` is not a web URL."""
    norm = normalize_url(url)
    if norm is None:
        return None
    parts = urlsplit(norm)
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/")
    return host + path + (f"?{parts.query}" if parts.query else "")


def is_site_root(url: str | None) -> bool:
    """A home page (no path, no query): never evidence that two documents are one article
    (some sites give every page the home page as its canonical URL)."""
    key = url_key(url)
    return key is not None and "/" not in key and "?" not in key


def document_id(url: str) -> str:
    """The id of the web document at ``url``: ``web-`` and 20 hex digits of a hash of its key."""
    key = url_key(url) or url
    return "web-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
