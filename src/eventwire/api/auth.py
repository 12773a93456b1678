"""Who is calling: bearer tokens to principals with roles.

A request's ``Authorization: Bearer TOKEN`` is handed to the app's ``Authenticator``, which
answers with a ``Principal`` (a name and roles) or None.  Endpoints name the role they need
(``require(ROLE)`` in ``api.app``): no token or an unknown one is 401, a known token without the
role is 403.

Tokens are never kept in clear: only their SHA-256 digests, compared in constant time.
``TokenAuthenticator`` reads tokens from a file or the environment; ``UserAuthenticator`` knows
the store's users (``eventwire users add``: reader and reviewer roles, hashed tokens), and
``ChainAuthenticator`` asks one after the other.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from eventwire.store import Users

READER = "reader"  # read endpoints, when reads need a token
WRITER = "writer"  # POST /api/extract and POST /api/documents
REVIEWER = "reviewer"  # PATCH /api/events/{id}: confirm, reject, correct
ROLES = frozenset({READER, WRITER, REVIEWER})
DEFAULT_ROLES = frozenset({READER, WRITER})  # a token file's line that names no roles
# what a store user's role lets it do (a reviewer reads too)
USER_ROLES = {"reader": frozenset({READER}), "reviewer": frozenset({READER, REVIEWER})}
TOKEN_ENV = "EVENTWIRE_API_TOKEN"
MIN_TOKEN_CHARS = 16


@dataclass(frozen=True, slots=True)
class Principal:
    name: str
    roles: frozenset[str] = field(default_factory=frozenset)

    def has(self, role: str) -> bool:
        return role in self.roles


class Authenticator(Protocol):
    def authenticate(self, token: str) -> Principal | None: ...


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenAuthenticator:
    """Principals by the SHA-256 digest of their token."""

    def __init__(self, principals: dict[str, Principal]) -> None:
        self._by_digest = dict(principals)

    def __len__(self) -> int:
        return len(self._by_digest)

    def authenticate(self, token: str) -> Principal | None:
        digest = token_digest(token)
        found = None
        for known, principal in self._by_digest.items():  # every digest compared: constant time
            if hmac.compare_digest(known, digest):
                found = principal
        return found

    @classmethod
    def from_lines(cls, lines: Iterable[str], source: str) -> TokenAuthenticator:
        """Tokens from lines ``TOKEN`` or ``NAME:TOKEN`` or ``NAME:ROLE,ROLE:TOKEN`` (default
        roles: reader and writer); blank lines and ``#`` comments are skipped.  ValueError names
        the source and line of a token that is too short or a role that does not exist."""
        principals: dict[str, Principal] = {}
        for lineno, raw in enumerate(lines, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(":", 2)
            name, roles, token = f"{source}:{lineno}", DEFAULT_ROLES, parts[-1]
            if len(parts) >= 2:
                name = parts[0].strip() or name
            if len(parts) == 3:
                roles = frozenset(r.strip() for r in parts[1].split(",") if r.strip())
                unknown = roles - ROLES
                if unknown:
                    raise ValueError(f"{source}:{lineno}: unknown role {sorted(unknown)[0]!r} (roles: {', '.join(sorted(ROLES))})")
            token = token.strip()
            if len(token) < MIN_TOKEN_CHARS:
                raise ValueError(f"{source}:{lineno}: token shorter than {MIN_TOKEN_CHARS} characters")
            principals[token_digest(token)] = Principal(name, frozenset(roles))
        return cls(principals)

    @classmethod
    def from_config(cls, token_file: str | Path | None = None, env: dict[str, str] | None = None) -> TokenAuthenticator:
        """Tokens from ``token_file`` and from ``$EVENTWIRE_API_TOKEN`` (one token, reader and
        writer)."""
        env = dict(os.environ) if env is None else env
        auth = cls({})
        if token_file is not None:
            path = Path(token_file)
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise ValueError(f"{path}: cannot read ({exc.strerror})") from None
            auth = cls.from_lines(lines, str(path))
            if not len(auth):
                raise ValueError(f"{path}: no token in the file")
        if env.get(TOKEN_ENV):
            more = cls.from_lines([f"env:{env[TOKEN_ENV]}"], f"${TOKEN_ENV}")
            auth._by_digest.update(more._by_digest)
        return auth


class UserAuthenticator:
    """Principals from the store's users (``eventwire.store.Users``): looked up by the digest
    of their token on every request, so a revoked token stops working at once."""

    def __init__(self, users: Users) -> None:
        self.users = users

    def authenticate(self, token: str) -> Principal | None:
        user = self.users.authenticate(token)
        if user is None:
            return None
        return Principal(user.name, USER_ROLES.get(user.role, frozenset()))


class ChainAuthenticator:
    """The first authenticator that knows the token decides."""

    def __init__(self, *authenticators: Authenticator) -> None:
        self.authenticators = authenticators

    def authenticate(self, token: str) -> Principal | None:
        for a in self.authenticators:
            principal = a.authenticate(token)
            if principal is not None:
                return principal
        return None
