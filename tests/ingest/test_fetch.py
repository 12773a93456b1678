"""HTTP fetching against a real server on 127.0.0.1: redirects, timeouts, errors and retries,
gzip, size limits, conditional requests, robots.txt, politeness, private addresses."""

from __future__ import annotations

import gzip

from eventwire.ingest.fetch import FetchConfig, Fetcher
from support.webserver import Route


class _Sleeps:
    def __init__(self):
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def _fetcher(**kw) -> tuple[Fetcher, _Sleeps]:
    sleeps = _Sleeps()
    cfg = FetchConfig(delay=0.0, backoff=0.01, read_timeout=0.5, connect_timeout=0.5, total_timeout=5, **kw)
    return Fetcher(cfg, sleep=sleeps), sleeps


def test_redirects_are_followed_and_bounded(site):
    site.routes["/old"] = Route(status=301, location="/mid")
    site.routes["/mid"] = Route(status=302, location=site.url("/new"))
    site.routes["/new"] = Route(b"<html>here</html>")
    site.routes["/loop"] = Route(status=301, location="/loop")
    site.routes["/ftp"] = Route(status=301, location="ftp://127.0.0.1/x")
    f, _ = _fetcher()
    res = f.get(site.url("/old"))
    assert res.ok and res.body == b"<html>here</html>" and res.final_url == site.url("/new")
    assert res.redirects == [site.url("/mid"), site.url("/new")]
    assert "redirects" in f.get(site.url("/loop")).error
    assert "not an http(s) URL" in f.get(site.url("/ftp")).error


def test_timeouts_are_retried_then_reported_as_transient(site):
    site.routes["/slow"] = Route(b"late", delay=1.5)
    f, sleeps = _fetcher(attempts=2)
    res = f.get(site.url("/slow"))
    assert res.error == "timed out" and res.transient and res.attempts == 2
    assert site.hits["/slow"] == 2 and len(sleeps.calls) == 1


def test_404_is_final_and_500_is_retried(site):
    f, _ = _fetcher()
    res = f.get(site.url("/missing"))
    assert res.error == "HTTP 404" and not res.transient and site.hits["/missing"] == 1
    site.routes["/flaky"] = Route(b"<html>ok</html>", fail_times=2)
    res = f.get(site.url("/flaky"))
    assert res.ok and res.attempts == 3 and site.hits["/flaky"] == 3
    site.routes["/busy"] = Route(status=503, headers={"Retry-After": "0"})
    res = f.get(site.url("/busy"))
    assert res.error == "HTTP 503" and res.transient and res.attempts == 3


def test_gzip_and_size_limits(site):
    page = b"<html><body>" + b"<p>words and words</p>" * 200 + b"</body></html>"
    site.routes["/gz"] = Route(page, gzip=True)
    site.routes["/huge"] = Route(b"x" * 300_000)
    site.routes["/huge-chunked"] = Route(b"x" * 300_000, chunked=True)
    site.routes["/bomb"] = Route(b"\0" * 5_000_000, gzip=True)
    f, _ = _fetcher(max_bytes=100_000)
    res = f.get(site.url("/gz"))
    assert res.ok and res.body == page
    for path in ("/huge", "/huge-chunked", "/bomb"):
        res = f.get(site.url(path))
        assert res.error == "response larger than 100,000 bytes" and not res.transient and res.body is None, path
    assert len(gzip.compress(b"\0" * 5_000_000)) < 100_000  # the bomb is small on the wire


def test_conditional_requests(site):
    site.routes["/feed.xml"] = Route(b"<rss/>", etag='"v1"', last_modified="Tue, 13 Jun 2023 08:00:00 GMT")
    f, _ = _fetcher()
    first = f.get(site.url("/feed.xml"))
    assert first.ok and first.etag == '"v1"' and first.last_modified.startswith("Tue")
    again = f.get(site.url("/feed.xml"), etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body is None and again.error is None
    headers = site.requests[-1][1]
    assert headers.get("If-None-Match") == '"v1"' and "eventwire/" in headers.get("User-Agent", "")


def test_robots_txt(site):
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n", content_type="text/plain")
    site.routes["/private/a"] = Route(b"secret")
    site.routes["/public/a"] = Route(b"ok")
    site.routes["/public/b"] = Route(b"ok")
    site.routes["/to-private"] = Route(status=302, location="/private/a")
    f, sleeps = _fetcher()
    assert f.get(site.url("/private/a")).error == "disallowed by robots.txt"
    assert f.get(site.url("/to-private")).error == "disallowed by robots.txt"  # checked at every hop
    assert site.hits["/private/a"] == 0
    assert f.get(site.url("/public/a")).ok and f.get(site.url("/public/b")).ok
    assert any(s > 1.5 for s in sleeps.calls)  # Crawl-delay: 2 between requests to the host
    assert site.hits["/robots.txt"] == 1  # read once per run


def test_robots_txt_missing_allows_and_unreachable_disallows(site):
    site.routes["/a"] = Route(b"ok")
    f, _ = _fetcher()
    assert f.get(site.url("/a")).ok  # /robots.txt is a 404
    site.routes["/robots.txt"] = Route(status=500, content_type="text/plain")
    f2, _ = _fetcher(attempts=1)
    res = f2.get(site.url("/a"))
    assert res.error.startswith("robots.txt unavailable") and res.transient


def test_politeness_between_requests_to_one_host(site):
    site.routes["/a"] = Route(b"ok")
    sleeps = _Sleeps()
    f = Fetcher(FetchConfig(delay=0.5, respect_robots=False), sleep=sleeps)
    f.get(site.url("/a"))
    f.get(site.url("/a"))
    assert sleeps.calls and 0.3 < max(sleeps.calls) <= 0.5


def test_private_addresses_are_refused_unless_allowed(site):
    site.routes["/a"] = Route(b"ok")
    f, _ = _fetcher()
    assert "private or local" in f.get(site.url("/a"), allow_private=False).error
    assert site.hits["/a"] == 0
    assert f.get(site.url("/a"), allow_private=True).ok


def test_connection_refused_is_transient():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens once closed
    f, _ = _fetcher(attempts=2, respect_robots=False)
    res = f.get(f"http://127.0.0.1:{port}/x")
    assert res.error.startswith("connection failed") and res.transient and res.attempts == 2


def test_robots_txt_is_asked_for_again_after_a_while(site):
    now = [1000.0]
    site.routes["/robots.txt"] = Route(status=503, content_type="text/plain")
    site.routes["/a"] = Route(b"ok")
    f = Fetcher(FetchConfig(delay=0, attempts=1), sleep=lambda s: None, clock=lambda: now[0])
    assert f.get(site.url("/a")).error.startswith("robots.txt unavailable")
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /a\n", content_type="text/plain")
    assert f.get(site.url("/a")).error.startswith("robots.txt unavailable")  # kept for ten minutes
    now[0] += 601
    assert f.get(site.url("/a")).error == "disallowed by robots.txt"
    site.routes["/robots.txt"] = Route(b"User-agent: *\nAllow: /\n", content_type="text/plain")
    now[0] += 3600
    assert f.get(site.url("/a")).error == "disallowed by robots.txt"  # a good robots.txt is kept a day
    now[0] += 24 * 3600
    assert f.get(site.url("/a")).ok
