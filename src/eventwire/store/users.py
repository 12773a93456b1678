"""People who read and review the store over HTTP: a name, a role (``reader`` or ``reviewer``)
and a bearer token.  Only the token's SHA-256 digest is kept (tokens are 256 random bits, so a
fast digest is as safe as a slow one and keeps every request's check cheap); the token itself
is shown once, when the user is added, and cannot be read back."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update

from eventwire.store import schema as S
from eventwire.store.reviews import iso, now

if TYPE_CHECKING:
    from eventwire.store.store import Store

ROLES = ("reader", "reviewer")
MAX_NAME = 200


class UserError(ValueError):
    """A user that cannot be added or changed; the message says why."""


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: str
    created_at: str | None = None
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return "ew_" + secrets.token_urlsafe(32)


def check_name(name: str) -> str:
    """The name, trimmed; UserError when it is empty, too long, or holds control characters or
    a colon (token files use ``NAME:ROLES:TOKEN``)."""
    name = " ".join(name.split())
    if not name:
        raise UserError("a user needs a name")
    if len(name) > MAX_NAME:
        raise UserError(f"a user name has at most {MAX_NAME} characters")
    if ":" in name or any(unicodedata.category(ch).startswith("C") for ch in name):
        raise UserError(f"{name[:40]!r}: no colons or control characters in a user name")
    return name


class Users:
    """The users of ``store`` (a ``Store``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, name: str, role: str) -> str:
        """Add a user (or give a revoked one a new token and role); the token, shown only now."""
        name = check_name(name)
        if role not in ROLES:
            raise UserError(f"role {role!r} is not one of {', '.join(ROLES)}")
        token = new_token()
        u = S.users.c
        with self.store._write() as conn:
            held = conn.execute(select(u.id, u.revoked_at).where(u.name == name)).first()
            if held is not None and held.revoked_at is None:
                raise UserError(f"user {name!r} exists (revoke it first to give it a new token)")
            values = {"role": role, "token_digest": token_digest(token), "created_at": now(), "revoked_at": None}
            if held is None:
                conn.execute(insert(S.users).values(name=name, **values))
            else:
                conn.execute(update(S.users).where(u.id == held.id).values(**values))
        return token

    def revoke(self, name: str) -> bool:
        """Revoke a user's token (the user's name stays in every review it made); False when
        there is no such active user."""
        u = S.users.c
        with self.store._write() as conn:
            res = conn.execute(update(S.users).where(u.name == check_name(name), u.revoked_at.is_(None)).values(revoked_at=now()))
            return bool(res.rowcount)

    def list(self) -> list[User]:
        u = S.users.c
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(u.name, u.role, u.created_at, u.revoked_at).order_by(u.name)).all()
        return [User(n, r, iso(c), iso(x)) for n, r, c, x in rows]

    def count(self, active_only: bool = True) -> int:
        u = S.users.c
        stmt = select(u.id)
        if active_only:
            stmt = stmt.where(u.revoked_at.is_(None))
        with self.store.engine.connect() as conn:
            return len(conn.execute(stmt).all())

    def authenticate(self, token: str) -> User | None:
        """The active user holding ``token``, or None."""
        if not token or len(token) > 200:
            return None
        u = S.users.c
        with self.store.engine.connect() as conn:
            row = conn.execute(
                select(u.name, u.role, u.created_at).where(u.token_digest == token_digest(token), u.revoked_at.is_(None))
            ).first()  # fmt: skip
        return User(row.name, row.role, iso(row.created_at)) if row is not None else None
