"""The review endpoints: who is signed in, confirm / reject / correct an event (``PATCH
/api/events/{id}``, reviewer role), an event's history, the review queue (lowest confidence
first), the reviews made, and place names looked up in the offline gazetteer for corrections."""

import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import orjson
from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import Response

from eventwire.api import models as M
from eventwire.api.auth import Principal
from eventwire.api.errors import ApiError

log = logging.getLogger("eventwire.api")

REVIEW_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": M.ErrorBody, "description": text}
    for status, text in (
        (400, "malformed request"), (401, "no or unknown bearer token"), (403, "the token lacks the reviewer role"),
        (404, "no such event"), (413, "request too large"), (422, "a change that cannot be applied"),
    )
}  # fmt: skip


def _json(value: Any) -> Response:
    return Response(orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS), media_type="application/json")


def add_review_routes(
    app: FastAPI, st: Any, db: Callable[[Callable[[], Any]], Awaitable[Any]], *, listing: Any, reader: Any,
    reviewer: Any, principal_of: Callable[[Request], Principal | None], max_page: int,
) -> None:  # fmt: skip
    """Add the review endpoints to ``app`` (``create_app``'s store, store runner and role checks)."""
    from eventwire.store import QueueCursor, ReviewError, ReviewResult, Reviews, change_from_json

    reviews = Reviews(st)

    @app.get("/api/me", response_model=M.Me, tags=["review"], responses=REVIEW_ERRORS)
    async def me(request: Request) -> Response:
        """Who the bearer token belongs to, and its roles (the page's sign-in checks a token so)."""
        principal = principal_of(request)
        if principal is None:
            raise ApiError(401, "send a bearer token (Authorization: Bearer TOKEN)", {"WWW-Authenticate": "Bearer"})
        return _json({"name": principal.name, "roles": sorted(principal.roles)})

    @app.patch(
        "/api/events/{event_id}", response_model=M.ReviewResult, tags=["review"], responses=REVIEW_ERRORS,
        openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReviewIn"}}}},
                       "security": [{"bearer": []}]},
    )  # fmt: skip
    async def review_event(event_id: str, request: Request, principal: Principal | None = reviewer) -> Response:
        """Confirm, reject or correct a report (`ew-...`): `{"status": "confirmed"}`, `{"status":
        "rejected"}`, and/or corrected fields (`{"place": "Baghdad", "dead": 3}`; a place by name is
        looked up in the gazetteer, nearest the event's country first).  Corrections make the status
        `corrected`; `revert` withdraws them; `same_event` / `different_event` link reports for
        merging.  Every change is kept in the event's history with who and when."""
        assert principal is not None
        try:
            body = orjson.loads(await request.body())
        except orjson.JSONDecodeError as exc:
            raise ApiError(400, f"request body is not valid JSON ({exc})") from None

        def work() -> ReviewResult:
            current = st.get_event(event_id)
            if current is None:
                if event_id.startswith("ewc-"):
                    raise ApiError(422, f"{event_id} is a merged event: review its reports (ew-...)")
                raise ApiError(404, f"no event {event_id!r} in the store")
            loc = current.event.event_loc
            hint = loc.country_code if loc is not None else None
            try:
                change = change_from_json(body, lambda name, given: _resolve_place(name, given, hint))
                return reviews.apply(event_id, principal.name, change)
            except LookupError as exc:
                raise ApiError(404, str(exc).strip("'\"")) from None
            except ReviewError as exc:
                raise ApiError(422, str(exc)) from None

        out = await db(work)
        log.info("review of %s by %s: %s", event_id, principal.name, out["review"]["status"] if out["review"] else "-")
        return _json(out)

    @app.get("/api/events/{event_id}/history", response_model=M.History, tags=["review"], responses=REVIEW_ERRORS)
    async def event_history(event_id: str, _: Principal | None = reader) -> Response:
        """The event's review (status, who, when, flag, corrections) and every change made to it,
        oldest first, beside the coder's own values.  An event coded again is also found under
        the id it had when it was reviewed."""
        info = await db(lambda: reviews.history(event_id))
        if info is None:
            raise ApiError(404, f"no event {event_id!r} in the store")
        return _json(info)

    @app.get("/api/review/queue", response_model=M.QueuePage, tags=["review"], responses=REVIEW_ERRORS)
    async def review_queue(
        which: Annotated[Any, Depends(listing)],
        limit: Annotated[int, Query(ge=1, le=max_page, description="events per page")] = 50,
        after: Annotated[str | None, Query(description="the cursor of the page to start after", max_length=200)] = None,
        _: Principal | None = reader,
    ) -> Response:  # fmt: skip
        """Reports to review, lowest confidence first: unreviewed ones by default (`review=` and
        `flagged=true` choose others), under the same filters as `/api/events`."""
        if which.canonical:
            raise ApiError(422, "the review queue holds reports: leave out canonical=true")
        cursor = None
        if after:
            try:
                cursor = QueueCursor.decode(after)
            except ValueError as exc:
                raise ApiError(400, f"query parameter 'after': {exc}") from None

        def work() -> dict[str, Any]:
            events, nxt = reviews.queue(which.filters, after=cursor, limit=limit)
            return {"events": events, "next": nxt.encode() if nxt else None}

        return _json(await db(work))

    @app.get("/api/reviews", response_model=M.ReviewList, tags=["review"], responses=REVIEW_ERRORS)
    async def list_reviews(
        status: Annotated[str | None, Query(description="confirmed, corrected, rejected (comma-separated)", max_length=100)] = None,
        flagged: Annotated[bool, Query(description="only reviews to look at again")] = False,
        lost: Annotated[bool, Query(description="only reviews whose event was not found again after re-coding")] = False,
        by: Annotated[str | None, Query(description="only reviews by this reviewer", max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=max_page)] = 100,
        after: Annotated[int | None, Query(ge=0, description="the `next` of the previous page")] = None,
        _: Principal | None = reader,
    ) -> Response:  # fmt: skip
        """Reviews made, newest first, with their corrections and the coder's values; and counts."""
        statuses = tuple(x.strip() for x in (status or "").split(",") if x.strip())
        bad = [x for x in statuses if x not in ("confirmed", "corrected", "rejected")]
        if bad:
            raise ApiError(422, f"query parameter 'status': {bad[0][:30]!r} is not confirmed, corrected or rejected")

        def work() -> dict[str, Any]:
            items, nxt = reviews.list(status=statuses, flagged=flagged, lost=lost, by=by, after=after, limit=limit)
            return {"reviews": items, "next": nxt, "counts": reviews.counts()}

        return _json(await db(work))

    @app.get("/api/places", response_model=M.PlaceList, tags=["review"], responses=REVIEW_ERRORS)
    async def places(
        q: Annotated[str, Query(min_length=1, max_length=200, description="a place name; 'Name, Country' narrows it")],
        country: Annotated[str | None, Query(description="ISO alpha-3 code to prefer", pattern="^[A-Za-z]{3}$")] = None,
        limit: Annotated[int, Query(ge=1, le=25)] = 8,
        _: Principal | None = reader,
    ) -> Response:  # fmt: skip
        """Places of the offline gazetteer called `q`, most likely first, as `event_loc` objects
        (what a correction of `place` takes)."""
        from eventwire.geo import event_location, find_places

        found = await db(lambda: find_places(q, country.upper() if country else None, limit))
        return _json({"places": [event_location(p) for p in found]})


def _resolve_place(name: str, given: Any, hint: str | None) -> dict[str, Any]:
    """A place a reviewer named (and maybe picked by GeoNames id or country) as ``event_loc``."""
    from eventwire.geo import event_location, find_places
    from eventwire.store import ReviewError

    given = given or {}
    country = given.get("country_code") or hint
    found = find_places(name, country, 25)
    gid = given.get("geonameid")
    if gid is not None:
        found = [p for p in found if p.geonameid == gid]
    if not found:
        raise ReviewError(f"'place': no place called {name[:60]!r} in the gazetteer"
                          + (f" with GeoNames id {gid}" if gid is not None else "")
                          + "; give it as an object with resolved_place, lat, lon and country_code")  # fmt: skip
    return dict(event_location(found[0], name))
