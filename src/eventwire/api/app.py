"""The ASGI app: the store's events over HTTP, and the web page.

``create_app(ApiSettings(db=...))`` builds it over the same ``eventwire.store.Store`` the command
line uses; ``eventwire serve`` runs it with uvicorn.  Reads are open (or need a reader token with
``read_token_required``); the write endpoints need a writer token and are off when no token is
configured.  Database calls run in worker threads, each under ``request_timeout_s``.
"""


import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar
from urllib.parse import urlencode

import orjson
from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.staticfiles import StaticFiles

from eventwire import __version__
from eventwire.api import models as M
from eventwire.api.auth import (
    READER,
    REVIEWER,
    WRITER,
    Authenticator,
    ChainAuthenticator,
    Principal,
    TokenAuthenticator,
    UserAuthenticator,
)
from eventwire.api.coding import CodingWorker
from eventwire.api.errors import (
    ApiError,
    BodyLimitMiddleware,
    RateLimitMiddleware,
    install_error_handlers,
)
from eventwire.api.formats import (
    FORMATS,
    MEDIA_TYPES,
    csv_stream,
    geojson_stream,
    json_page,
    ndjson_lines,
    negotiate,
)

if TYPE_CHECKING:
    from eventwire.store import Store

log = logging.getLogger("eventwire.api")
T = TypeVar("T")

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": M.ErrorBody, "description": text}
    for status, text in (
        (400, "malformed request"), (401, "no or unknown bearer token"), (403, "not allowed"),
        (404, "not found"), (406, "no acceptable format"), (409, "conflicting change"), (413, "request too large"),
        (422, "invalid parameter"), (429, "too many requests"), (503, "busy or timed out"),
    )
}  # fmt: skip


@dataclass(slots=True)
class ApiSettings:
    """What the server serves and its limits."""

    db: str | Path | None = None  # --db: a SQLite path or a database URL; None: the default store
    authenticator: Authenticator | None = None  # tokens; None or empty: write endpoints off
    read_token_required: bool = False  # reads need a token with the reader role
    model: str | None = None  # spaCy pipeline for the write endpoints
    max_body_bytes: int = 5_000_000
    max_documents: int = 100  # per POST
    default_page: int = 100
    max_page: int = 1000  # events per JSON page
    max_export: int = 100_000  # events per streamed (NDJSON, CSV, GeoJSON) response
    request_timeout_s: float = 30.0
    coding_timeout_s: float = 120.0
    coding_waiting: int = 4  # write requests in hand at once; more get 429
    rate_limit: float = 0.0  # API requests a second per client; 0: no limit
    rate_burst: int = 50
    store_users: bool = True  # the store's users (eventwire users add) may sign in too

    @property
    def writes_enabled(self) -> bool:
        auth = self.authenticator
        return auth is not None and (not isinstance(auth, TokenAuthenticator) or len(auth) > 0)


def create_app(settings: ApiSettings | None = None, store: "Store | None" = None) -> FastAPI:
    """The app over ``store`` (an open ``Store``), or over the store ``settings.db`` names."""
    from eventwire.store import Cursor, EventFilter, Store

    cfg = settings or ApiSettings()
    own_store = store is None
    st = Store(cfg.db) if store is None else store
    coder = CodingWorker(cfg.model, cfg.coding_waiting, cfg.coding_timeout_s)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        coder.close()
        if own_store:
            st.close()

    app = FastAPI(
        lifespan=lifespan,
        title="eventwire",
        version=__version__,
        summary="Structured, verifiable event data (PLOVER, CAMEO, ACLED) from news reports.",
        description=(
            "Events coded from news reports, with PLOVER field names (CONTRACT.md): filter, page, "
            "export, and see the words of each source text behind every field. Errors are one line "
            "of JSON: `{\"error\": ..., \"status\": ...}`."
        ),
        docs_url=None,  # the interactive docs load their scripts from a CDN
        redoc_url=None,
    )
    app.state.store = st
    app.state.settings = cfg
    install_error_handlers(app)
    # who may call: the configured tokens, then the store's users (reviewers and readers)
    auth: Authenticator | None = cfg.authenticator
    if cfg.store_users:
        from eventwire.store import Users

        users = UserAuthenticator(Users(st))
        auth = users if auth is None else ChainAuthenticator(auth, users)

    async def db(fn: Callable[[], T]) -> T:
        """Run a store call in a worker thread within the request time limit."""
        try:
            return await asyncio.wait_for(run_in_threadpool(fn), cfg.request_timeout_s)
        except TimeoutError:
            raise ApiError(503, f"the store did not answer within {cfg.request_timeout_s:g} s",
                           {"Retry-After": "5"}) from None  # fmt: skip

    def principal_of(request: Request) -> Principal | None:
        header = request.headers.get("authorization")
        if header is None:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "Authorization must be 'Bearer <token>'", {"WWW-Authenticate": "Bearer"})
        principal = auth.authenticate(token.strip()) if auth is not None else None
        if principal is None:
            raise ApiError(401, "unknown token", {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        return principal

    def require(role: str) -> Callable[[Request], Awaitable[Principal | None]]:
        async def check(request: Request) -> Principal | None:  # async: no thread hop
            if role == WRITER and not cfg.writes_enabled:
                raise ApiError(403, "write endpoints are disabled: start eventwire serve with --token-file "
                                    "or $EVENTWIRE_API_TOKEN")  # fmt: skip
            if role == READER and not cfg.read_token_required:
                return None
            principal = principal_of(request)
            if principal is None:
                raise ApiError(401, f"this endpoint needs a bearer token with the {role} role",
                               {"WWW-Authenticate": "Bearer"})  # fmt: skip
            if not principal.has(role):
                raise ApiError(403, f"token {principal.name!r} lacks the {role} role")
            return principal

        return check

    reader = Depends(require(READER))
    writer = Depends(require(WRITER))
    reviewer = Depends(require(REVIEWER))

    # -- filters shared by /api/events and /api/summary -----------------------------------------
    @dataclass(slots=True)
    class Listing:
        filters: EventFilter
        canonical: bool

    async def listing(  # async: FastAPI runs it inline, not in a worker thread
        country: Annotated[str | None, Query(description="country of the event's place: ISO codes or names, comma-separated", max_length=500)] = None,
        type: Annotated[str | None, Query(description="PLOVER event types, comma-separated (ASSAULT,PROTEST)", max_length=500)] = None,
        actor: Annotated[str | None, Query(description="actor or recipient code (IRQ, USA) or part of a name", max_length=200)] = None,
        since: Annotated[date | None, Query(description="events on or after YYYY-MM-DD")] = None,
        until: Annotated[date | None, Query(description="events on or before YYYY-MM-DD")] = None,
        bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat", max_length=200)] = None,
        min_confidence: Annotated[float | None, Query(ge=0, le=1, description="events at least this confident")] = None,
        admin1: Annotated[str | None, Query(description="province (first-order admin unit)", max_length=200)] = None,
        canonical: Annotated[bool, Query(description="merged events (one per real-world event) instead of reports")] = False,
        all_events: Annotated[bool, Query(description="reports only: include negated, hypothetical, historical and future events")] = False,
        review: Annotated[str | None, Query(description="reports only: review statuses, comma-separated (unreviewed, confirmed, corrected, rejected); default: all but rejected", max_length=100)] = None,
        flagged: Annotated[bool, Query(description="reports only: those a reviewer should look at again")] = False,
    ) -> Listing:  # fmt: skip
        if since and until and until < since:
            raise ApiError(422, f"query parameter 'until' ({until}) is before 'since' ({since})")
        if canonical and (review or flagged):
            raise ApiError(422, "query parameters 'review' and 'flagged' filter reports (reviews are made on reports), not canonical events")
        return Listing(
            EventFilter(
                since=since, until=until, countries=_countries(country), event_types=_types(type),
                actor=actor.strip() or None if actor else None, bbox=_bbox(bbox), min_confidence=min_confidence,
                admin1=admin1, include_modal=all_events, review=_statuses(review), flagged=flagged,
            ),
            canonical,
        )  # fmt: skip

    # -- endpoints ------------------------------------------------------------------------------
    @app.get("/healthz", response_model=M.Health, tags=["service"])
    async def healthz() -> Response:
        """The server is up and its store answers."""
        await db(st.ping)
        return _json({"status": "ok", "version": __version__, "writes": cfg.writes_enabled})

    @app.get(
        "/api/events", response_model=M.EventPage, tags=["events"], responses={
            **ERRORS, 200: {"description": "a page of events (JSON), or up to `limit` events streamed as NDJSON, "
                            "CSV (ACLED columns) or GeoJSON; the next page is in the `Link` header (rel=next)",
                            "content": {MEDIA_TYPES[f]: {} for f in FORMATS if f != "json"}},
        },
    )  # fmt: skip
    async def list_events(
        request: Request,
        which: Annotated[Listing, Depends(listing)],
        limit: Annotated[int | None, Query(ge=1, description=f"events per page: JSON at most {cfg.max_page} (default {cfg.default_page}); streamed formats at most {cfg.max_export}")] = None,
        after: Annotated[str | None, Query(description="the cursor of the page to start after (`next` of the previous page)", max_length=500)] = None,
        format: Annotated[str | None, Query(description="json, ndjson, csv or geojson (default: from the Accept header)", pattern="^(json|ndjson|csv|geojson)$")] = None,
        _: Principal | None = reader,
    ) -> Response:  # fmt: skip
        """Events matching the filters, newest first, with keyset pagination (`after`)."""
        fmt = negotiate(format, request.headers.get("accept"))
        cap = cfg.max_page if fmt == "json" else cfg.max_export
        n = limit if limit is not None else (cfg.default_page if fmt == "json" else cfg.max_export)
        if n > cap:
            raise ApiError(422, f"query parameter 'limit': at most {cap} events per {fmt} response (got {n})")
        cursor = None
        if after:
            try:
                cursor = Cursor.decode(after)
            except ValueError as exc:
                raise ApiError(400, f"query parameter 'after': {exc}") from None
        f, canonical = which.filters, which.canonical
        if fmt == "json":
            page = await db(lambda: st.page_events(f, canonical=canonical, after=cursor, limit=n, as_json=True))
            token = page.next.encode() if page.next else None
            return Response(json_page(page.events, token), media_type=MEDIA_TYPES["json"], headers=_link(request, token))
        end = await db(lambda: st.listing_end(f, canonical=canonical, after=cursor, limit=n))
        token = end.encode() if end else None
        records = st.iter_json_pages(f, canonical=canonical, after=cursor, limit=n)
        body = {"ndjson": ndjson_lines, "csv": csv_stream, "geojson": geojson_stream}[fmt](records)
        headers = _link(request, token)
        if fmt == "csv":
            headers["Content-Disposition"] = 'attachment; filename="events.csv"'
        return StreamingResponse(body, media_type=MEDIA_TYPES[fmt], headers=headers)

    @app.get("/api/events/{event_id}", response_model=M.EventDetail, tags=["events"], responses=ERRORS)
    async def get_event(event_id: str, _: Principal | None = reader) -> Response:
        """A report (`ew-...`) or merged event (`ewc-...`) with every report of it: each with its
        document, its evidence sentence, the offsets of each field's evidence, and why it was merged."""
        info = await db(lambda: st.event_detail(event_id))
        if info is None:
            raise ApiError(404, f"no event {event_id!r} in the store")
        return _json(info)

    @app.get("/api/documents/{doc_id}", response_model=M.DocumentDetail, tags=["documents"], responses=ERRORS)
    async def get_document(doc_id: str, _: Principal | None = reader) -> Response:
        """A stored document: text, sentences, place mentions, and its events with the offsets of the
        words behind type, actors, place, date and casualties."""
        doc = await db(lambda: st.get_document(doc_id))
        if doc is None:
            raise ApiError(404, f"no document {doc_id!r} in the store")
        return _json(doc)

    @app.get("/api/summary", response_model=M.Summary, tags=["events"], responses=ERRORS)
    async def summary(which: Annotated[Listing, Depends(listing)], _: Principal | None = reader) -> Response:
        """Counts of the events matching the filters: in all, by type, by country, by day."""

        def work() -> dict[str, object]:
            return {**st.event_counts(which.filters, canonical=which.canonical), "store": st.counts()}

        return _json(await db(work))

    @app.post(
        "/api/extract", response_model=M.ExtractResult, tags=["coding"], responses=ERRORS,
        openapi_extra=_body_schema("documents to code (nothing is stored)"),
    )  # fmt: skip
    async def extract(
        request: Request,
        all_events: Annotated[bool, Query(description="include negated, hypothetical and historical events")] = False,
        _: Principal | None = writer,
    ) -> Response:
        """Code posted documents and return their events without storing anything."""
        docs, rejected = _documents(await request.body(), cfg.max_documents, need_id=False)

        def work() -> list[dict[str, Any]]:
            pipe = coder.pipeline()
            out = []
            for result in pipe.pipe(docs):
                events = result.events if all_events else result.asserted_events
                out.append({"id": result.document.id, "events": [e.to_plover() for e in events]})
            return out

        return _json({"documents": await coder.run(work) if docs else [], "rejected": rejected})

    @app.post(
        "/api/documents", response_model=M.StoreResult, tags=["coding"], responses=ERRORS,
        openapi_extra=_body_schema("documents to code and store (each needs an id)"),
    )  # fmt: skip
    async def add_documents(request: Request, principal: Principal | None = writer) -> Response:
        """Code posted documents and store them: same id and content again changes nothing, a
        changed document replaces its earlier version; reports of the same event are merged."""
        docs, rejected = _documents(await request.body(), cfg.max_documents, need_id=True)

        def work() -> list[dict[str, Any]]:
            pipe = coder.pipeline()
            results = list(pipe.pipe(docs))
            out = []
            for doc, outcome in zip(docs, st.add_results(results), strict=True):
                if isinstance(outcome, Exception):
                    log.error("storing %s failed: %s", doc.id, outcome)
                    rejected.append({"index": -1, "id": doc.id, "error": f"could not be stored ({type(outcome).__name__})"})
                    continue
                out.append({"id": outcome.doc_id, "status": outcome.status, "events": outcome.n_events,
                            "merged": outcome.merged})  # fmt: skip
            return out

        stored = await coder.run(work) if docs else []
        log.info("documents stored by %s: %s", principal.name if principal else "-",
                 ", ".join(f"{d['id']} ({d['status']})" for d in stored) or "none")  # fmt: skip
        if not stored and rejected:
            return Response(orjson.dumps({"documents": [], "rejected": rejected}), status_code=422,
                            media_type="application/json")  # fmt: skip
        return _json({"documents": stored, "rejected": rejected})

    # -- reviews --------------------------------------------------------------------------------
    from eventwire.api.review import add_review_routes

    add_review_routes(app, st, db, listing=listing, reader=reader, reviewer=reviewer, principal_of=principal_of,
                      max_page=cfg.max_page)  # fmt: skip

    # -- the web page ---------------------------------------------------------------------------
    from eventwire.web import index_html, static_dir

    page = index_html()

    @app.get("/", include_in_schema=False)
    async def index() -> Response:
        return Response(page, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    app.mount("/static", StaticFiles(directory=static_dir()), name="static")

    def openapi() -> dict[str, Any]:
        """FastAPI's OpenAPI 3.1 document, plus the posted document's schema and the bearer scheme."""
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            doc = get_openapi(title=app.title, version=app.version, summary=app.summary,
                              description=app.description, routes=app.routes)  # fmt: skip
            schemas = doc.setdefault("components", {}).setdefault("schemas", {})
            schemas["DocumentIn"] = M.DocumentIn.model_json_schema(ref_template="#/components/schemas/{model}")
            review_in = M.ReviewIn.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, sub in review_in.pop("$defs", {}).items():
                schemas.setdefault(name, sub)
            schemas["ReviewIn"] = review_in
            doc["components"]["securitySchemes"] = {
                "bearer": {"type": "http", "scheme": "bearer", "description": "a token from --token-file, $EVENTWIRE_API_TOKEN or eventwire users add"}
            }
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    # outermost first: the body limit and the rate limit act before anything is parsed
    app.add_middleware(RateLimitMiddleware, rate=cfg.rate_limit, burst=cfg.rate_burst)
    app.add_middleware(BodyLimitMiddleware, max_bytes=cfg.max_body_bytes)
    return app


# The page loads nothing from anywhere but this server.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _json(value: Any) -> Response:
    return Response(orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS), media_type="application/json")


def _link(request: Request, token: str | None) -> dict[str, str]:
    if token is None:
        return {}
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "after"] + [("after", token)]
    return {"Link": f'<{request.url.path}?{urlencode(params)}>; rel="next"'}


def _countries(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    import pycountry

    out = []
    for item in (x.strip() for x in value.split(",")):
        if not item:
            continue
        try:
            out.append(pycountry.countries.lookup(item).alpha_3)
        except LookupError:
            raise ApiError(422, f"query parameter 'country': {item!r} is not a country name or ISO code") from None
    return tuple(out)


def _types(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    from eventwire.ontology import EVENT_TYPES

    out = []
    for item in (x.strip().upper() for x in value.split(",")):
        if not item:
            continue
        if item not in EVENT_TYPES:
            raise ApiError(422, f"query parameter 'type': {item!r} is not a PLOVER event type ({', '.join(EVENT_TYPES)})")
        out.append(item)
    return tuple(out)


def _statuses(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    from eventwire.store import REVIEW_STATUSES

    out = []
    for item in (x.strip().lower() for x in value.split(",")):
        if not item:
            continue
        if item not in REVIEW_STATUSES:
            raise ApiError(422, f"query parameter 'review': {item[:30]!r} is not a review status ({', '.join(REVIEW_STATUSES)})")
        out.append(item)
    return tuple(out)


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        parts = tuple(float(x) for x in value.split(","))
    except ValueError:
        parts = ()
    ok = (
        len(parts) == 4 and all(p == p for p in parts)  # noqa: PLR0124 - no NaN (NaN != NaN)
        and -180 <= parts[0] <= parts[2] <= 180 and -90 <= parts[1] <= parts[3] <= 90
    )  # fmt: skip
    if not ok:
        raise ApiError(422, f"query parameter 'bbox': {value[:80]!r} is not minlon,minlat,maxlon,maxlat in degrees")
    return parts  # type: ignore[return-value]


def _documents(body: bytes, most: int, need_id: bool) -> tuple[list[Any], list[dict[str, Any]]]:
    """The documents of a POST body (a document, a list of them, or {"documents": [...]}) and the
    ones rejected, each named by its index and id with the reason."""
    from eventwire.ingest import IngestError, document_from_record

    if not body.strip():
        raise ApiError(400, "request body is empty: send a JSON document, a list of them or {\"documents\": [...]}")
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, f"request body is not valid JSON ({exc})") from None
    if isinstance(value, dict) and "documents" in value:
        value = value["documents"]
    records = value if isinstance(value, list) else [value]
    if not records:
        raise ApiError(422, "no documents in the request")
    if len(records) > most:
        raise ApiError(413, f"{len(records)} documents in one request; at most {most}")
    docs, rejected, seen = [], [], set()
    for i, given in enumerate(records):
        rec = given
        if isinstance(rec, dict) and not need_id and not rec.get("id"):
            rec = {**rec, "id": f"doc-{i + 1}"}
        doc = document_from_record(rec, f"documents[{i}]")
        rid = rec.get("id") if isinstance(rec, dict) else None
        if isinstance(doc, IngestError):
            rejected.append({"index": i, "id": str(rid) if rid is not None else None, "error": doc.message})
        elif doc.id in seen:
            rejected.append({"index": i, "id": doc.id, "error": "the same id twice in one request"})
        else:
            seen.add(doc.id)
            docs.append(doc)
    return docs, rejected


def _body_schema(description: str) -> dict[str, Any]:
    ref = {"$ref": "#/components/schemas/DocumentIn"}
    return {
        "requestBody": {
            "required": True,
            "description": description + "; one document, a list, or {\"documents\": [...]}",
            "content": {"application/json": {"schema": {"anyOf": [
                ref, {"type": "array", "items": ref},
                {"type": "object", "properties": {"documents": {"type": "array", "items": ref}}, "required": ["documents"]},
            ]}}},
        },
        "security": [{"bearer": []}],
    }  # fmt: skip
