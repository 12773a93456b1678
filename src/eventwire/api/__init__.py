"""The HTTP API: ``create_app(ApiSettings(...))`` gives the ASGI app that ``eventwire serve``
runs (FastAPI on uvicorn): events, documents and summaries from the store, coding of posted
documents behind bearer tokens, and the web page (``eventwire.web``)."""

from eventwire.api.app import ApiSettings, create_app
from eventwire.api.auth import (
    READER,
    REVIEWER,
    ROLES,
    WRITER,
    Authenticator,
    ChainAuthenticator,
    Principal,
    TokenAuthenticator,
    UserAuthenticator,
)

__all__ = [
    "READER",
    "REVIEWER",
    "ROLES",
    "WRITER",
    "ApiSettings",
    "Authenticator",
    "ChainAuthenticator",
    "Principal",
    "TokenAuthenticator",
    "UserAuthenticator",
    "create_app",
]
