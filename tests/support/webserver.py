"""A real HTTP server on 127.0.0.1 for the web ingest tests, serving routes the test sets.

Each route answers with a status, headers and a body, optionally after a delay, gzip-encoded,
conditionally (ETag / Last-Modified, 304) or in chunks; the server counts requests per path and
remembers request headers.  Nothing leaves 127.0.0.1."""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    gzip: bool = False  # Content-Encoding: gzip
    etag: str | None = None  # answer 304 to a matching If-None-Match
    last_modified: str | None = None  # answer 304 to a matching If-Modified-Since
    chunked: bool = False  # no Content-Length, the body in chunks
    fail_times: int = 0  # answer 500 this many times first
    location: str | None = None  # for redirects


class WebServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                server._answer(self)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                import sys

                if not isinstance(sys.exc_info()[1], ConnectionError):  # clients that hang up are normal here
                    super().handle_error(request, client_address)

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def reset(self) -> None:
        with self._lock:
            self.routes.clear()
            self.hits.clear()
            self.requests.clear()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _answer(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path
        with self._lock:
            self.hits[path] += 1
            self.requests.append((path, dict(h.headers.items())))
            route = self.routes.get(path)
            failing = route is not None and route.fail_times > 0
            if failing:
                route.fail_times -= 1
        if route is None:
            return self._send(h, 404, "text/html", b"<html><body><h1>Not found</h1></body></html>", {})
        if route.delay:
            time.sleep(route.delay)
        if failing:
            return self._send(h, 500, "text/plain", b"server error", {})
        headers = dict(route.headers)
        if route.location:
            headers["Location"] = route.location
        if route.etag:
            headers["ETag"] = route.etag
            if h.headers.get("If-None-Match") == route.etag:
                return self._send(h, 304, None, b"", headers)
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
            if h.headers.get("If-Modified-Since") == route.last_modified:
                return self._send(h, 304, None, b"", headers)
        body = route.body
        if route.gzip:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        self._send(h, route.status, route.content_type, body, headers, chunked=route.chunked)
        return None

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, ctype: str | None, body: bytes, headers: dict[str, str],
              chunked: bool = False) -> None:  # fmt: skip
        try:
            h.send_response(status)
            if ctype:
                h.send_header("Content-Type", ctype)
            for k, v in headers.items():
                h.send_header(k, v)
            if chunked:
                h.send_header("Transfer-Encoding", "chunked")
                h.end_headers()
                for i in range(0, len(body), 65536):
                    part = body[i : i + 65536]
                    h.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                h.wfile.write(b"0\r\n\r\n")
            else:
                h.send_header("Content-Length", str(len(body)))
                h.end_headers()
                if status != 304:
                    h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (size limit, timeout)
