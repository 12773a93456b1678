"""HTTP for ``eventwire watch``: polite, bounded, conditional GETs (httpx).

- timeouts on connecting, on each read and on the whole response;
- a size limit on the decoded body (a gzip bomb stops at the limit too);
- retries with exponential backoff and jitter on timeouts, connection errors, 429 and 5xx,
  honouring ``Retry-After``; other 4xx are final;
- one request at a time per host, at least ``delay`` seconds apart (or the host's robots.txt
  ``Crawl-delay``, up to ``MAX_CRAWL_DELAY``);
- robots.txt respected (RFC 9309: a missing or 4xx robots.txt allows everything, an unreachable
  or 5xx one disallows the host until it is asked for again ten minutes later), kept a day,
  checked at every redirect;
- ``If-None-Match`` / ``If-Modified-Since`` from a previous response's ``ETag`` /
  ``Last-Modified``; a 304 is ``not_modified``;
- redirects followed by hand (at most ``max_redirects``), only to http(s);
- links that resolve to private, loopback or link-local addresses are refused unless
  ``allow_private`` (a feed on the internet must not make eventwire probe the local network).
"""

from __future__ import annotations

import ipaddress
import logging
import random
import socket
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from eventwire import __version__

log = logging.getLogger(__name__)

MAX_CRAWL_DELAY = 30.0
ROBOTS_TTL = 24 * 3600.0  # seconds a robots.txt is kept (RFC 9309: at most 24 hours)
ROBOTS_RETRY = 600.0  # seconds before an unavailable robots.txt is asked for again
ROBOTS_MAX_BYTES = 500_000
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
USER_AGENT = f"eventwire/{__version__} (news event coding; +https://github.com/eventwire/eventwire)"
ROBOTS_AGENT = "eventwire"


@dataclass(slots=True)
class FetchConfig:
    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # the whole response, body included
    max_bytes: int = 5_000_000  # decoded body
    max_redirects: int = 5
    attempts: int = 3  # tries in all for a transient failure
    backoff: float = 1.0  # seconds before the second try, doubled for each further one
    max_backoff: float = 60.0
    delay: float = 1.0  # seconds between requests to one host
    respect_robots: bool = True


@dataclass(slots=True)
class FetchResult:
    """What became of one GET."""

    url: str
    final_url: str
    status: int | None = None  # the last HTTP status (None: no response)
    body: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str | None = None  # one line
    transient: bool = False  # worth trying again later
    refused: bool = False  # not fetched by choice: robots.txt, a private address, not http(s)
    attempts: int = 0
    redirects: list[str] = field(default_factory=list)
    location: str | None = None  # of a redirect
    retry_after: float | None = None  # seconds, from a 429/503's Retry-After

    @property
    def ok(self) -> bool:
        return self.error is None and not self.not_modified and self.body is not None


class _TooLarge(Exception):
    pass


class _Timeout(Exception):
    pass


def is_private_host(host: str | None) -> bool:
    """Whether ``host`` is, or resolves to, a private, loopback, link-local or reserved address
    (unresolvable names are not private: the request fails on its own)."""
    if not host:
        return False
    host = host.strip("[]")
    try:
        addrs = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return False
        addrs = []
        for info in infos:
            try:
                addrs.append(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]))
            except ValueError:
                continue
    return any(a.is_private or a.is_loopback or a.is_link_local or a.is_reserved or a.is_unspecified for a in addrs)


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class Fetcher:
    """GETs with the behaviour described in the module docstring.  Not thread-safe: one poll at
    a time (politeness is per host, in this process)."""

    def __init__(
        self,
        config: FetchConfig | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config or FetchConfig()
        self._sleep, self._clock = sleep, clock
        c = self.config
        self._client = httpx.Client(
            timeout=httpx.Timeout(c.read_timeout, connect=c.connect_timeout),
            follow_redirects=False, headers={"User-Agent": c.user_agent}, trust_env=False,
        )  # fmt: skip
        self._last: dict[str, float] = {}  # host -> when its last request ended
        # host -> (rules, or why the host is not fetched; when to ask for robots.txt again)
        self._robots: dict[str, tuple[urllib.robotparser.RobotFileParser | str, float]] = {}
        self.requests = 0

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- politeness ---------------------------------------------------------------------------
    def _wait_turn(self, host: str) -> None:
        gap = self.config.delay
        rules = self._robots.get(host, (None, 0.0))[0]
        if isinstance(rules, urllib.robotparser.RobotFileParser):
            try:
                crawl_delay = rules.crawl_delay(ROBOTS_AGENT)
            except (TypeError, ValueError):
                crawl_delay = None
            if crawl_delay:
                gap = max(gap, min(float(crawl_delay), MAX_CRAWL_DELAY))
        last = self._last.get(host)
        if last is not None:
            wait = last + gap - self._clock()
            if wait > 0:
                self._sleep(wait)

    def robots_verdict(self, url: str) -> str | None:
        """``None`` when robots.txt lets eventwire fetch ``url``, else why not."""
        if not self.config.respect_robots:
            return None
        host = _host(url)
        cached = self._robots.get(host)
        if cached is None or cached[1] <= self._clock():
            loaded = self._load_robots(host)
            ttl = ROBOTS_RETRY if isinstance(loaded, str) else ROBOTS_TTL
            self._robots[host] = cached = (loaded, self._clock() + ttl)
        rules = cached[0]
        if isinstance(rules, str):
            return rules
        try:
            allowed = rules.can_fetch(ROBOTS_AGENT, url)
        except Exception:  # noqa: BLE001 - a robots.txt the parser chokes on allows nothing
            return "robots.txt unreadable"
        return None if allowed else "disallowed by robots.txt"

    def _load_robots(self, host: str) -> urllib.robotparser.RobotFileParser | str:
        url = f"{host}/robots.txt"
        res = self._get_once(url, {}, ROBOTS_MAX_BYTES)
        for _ in range(5):  # RFC 9309: follow at least five redirects
            if res.status not in REDIRECT_STATUSES or not res.location:
                break
            url = urljoin(url, res.location)
            if urlsplit(url).scheme not in ("http", "https"):
                break
            res = self._get_once(url, {}, ROBOTS_MAX_BYTES)
        rules = urllib.robotparser.RobotFileParser()
        if res.status is not None and 200 <= res.status < 300 and res.body is not None:
            text = res.body.decode("utf-8", errors="replace")
            rules.parse(text.splitlines())
            return rules
        if res.status is not None and 400 <= res.status < 500:
            rules.parse([])  # no robots.txt: everything allowed
            return rules
        why = f"HTTP {res.status}" if res.status else (res.error or "no answer")
        log.info("robots.txt of %s unavailable (%s): the host is not fetched for now", host, why)
        return f"robots.txt unavailable ({why})"

    # -- requests -----------------------------------------------------------------------------
    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
        allow_private: bool = True,
        accept: str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
    ) -> FetchResult:
        """GET ``url`` following redirects, with retries; never raises."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        limit = max_bytes or self.config.max_bytes
        current = url
        hops: list[str] = []
        res = FetchResult(url, url)
        for _ in range(self.config.max_redirects + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                return FetchResult(url, current, error=f"not an http(s) URL: {current[:200]}", redirects=hops,
                                   refused=True)  # fmt: skip
            if not allow_private and is_private_host(parts.hostname):
                return FetchResult(url, current, error="refused: the address is private or local", redirects=hops,
                                   refused=True)  # fmt: skip
            why = self.robots_verdict(current)
            if why is not None:
                unavailable = why.startswith("robots.txt unavailable")
                return FetchResult(url, current, error=why, transient=unavailable, refused=not unavailable,
                                   redirects=hops)  # fmt: skip
            res = self._get_with_retries(current, headers, limit)
            res.url, res.redirects = url, hops
            if res.status in REDIRECT_STATUSES and res.error is None:
                location = res.location
                if not location:
                    res.error = f"HTTP {res.status} without a Location"
                    return res
                current = urljoin(current, location)
                hops.append(current)
                continue
            return res
        res.error = f"more than {self.config.max_redirects} redirects"
        return res

    def _get_with_retries(self, url: str, headers: dict[str, str], limit: int) -> FetchResult:
        c = self.config
        res = FetchResult(url, url)
        for attempt in range(1, c.attempts + 1):
            res = self._get_once(url, headers, limit)
            res.attempts = attempt
            if not res.transient or attempt == c.attempts:
                return res
            pause = min(c.max_backoff, c.backoff * 2 ** (attempt - 1)) * (1 + random.random() / 4)
            if res.retry_after is not None:
                pause = min(c.max_backoff, max(pause, res.retry_after))
            log.debug("retrying %s in %.1fs (%s)", url, pause, res.error)
            self._sleep(pause)
        return res

    def _get_once(self, url: str, headers: dict[str, str], limit: int) -> FetchResult:
        host = _host(url)
        self._wait_turn(host)
        started = self._clock()
        res = FetchResult(url, url)
        self.requests += 1
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                res.status = r.status_code
                res.final_url = str(r.url)
                if r.status_code in REDIRECT_STATUSES:
                    res.location = r.headers.get("Location")
                    return res
                if r.status_code == 304:
                    res.not_modified = True
                    res.etag = r.headers.get("ETag")
                    res.last_modified = r.headers.get("Last-Modified")
                    return res
                if r.status_code >= 400:
                    res.error = f"HTTP {r.status_code}"
                    res.transient = r.status_code in RETRY_STATUSES
                    res.retry_after = _retry_after(r.headers.get("Retry-After"))
                    return res
                declared = r.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > limit and "content-encoding" not in r.headers:
                    raise _TooLarge()
                chunks, size = [], 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise _TooLarge()
                    if self._clock() - started > self.config.total_timeout:
                        raise _Timeout()
                    chunks.append(chunk)
                res.body = b"".join(chunks)
                res.content_type = r.headers.get("Content-Type")
                res.etag = r.headers.get("ETag")
                res.last_modified = r.headers.get("Last-Modified")
        except _TooLarge:
            res.error, res.body = f"response larger than {limit:,} bytes", None
        except (_Timeout, httpx.TimeoutException):
            res.error, res.transient, res.body = "timed out", True, None
        except httpx.TransportError as exc:
            res.error, res.transient = f"connection failed ({type(exc).__name__})", True
        except (httpx.HTTPError, httpx.InvalidURL, ValueError, UnicodeError) as exc:
            res.error = f"bad request or response ({type(exc).__name__}: {str(exc)[:120]})"
        finally:
            self._last[host] = self._clock()
        return res


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from datetime import UTC, datetime

    return max(0.0, (when - datetime.now(UTC)).total_seconds())
