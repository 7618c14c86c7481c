"""Web sign-in state: server-side sessions (hashed ids) and the auth columns of users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from sijill.errors import NotFoundError
from sijill.store.schema import users, web_sessions


def _utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes: everything stored here is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class UserAuth:
    """What sign-in needs to know about a user (never shown to anyone)."""

    user_id: int
    username: str
    role: str
    disabled: bool
    password_hash: str | None
    totp_secret: bytes | None
    failed_logins: int
    locked_until: datetime | None
    sessions_valid_after: datetime | None
    language: str
    totp_last_step: int | None = None


@dataclass(frozen=True)
class WebSessionRow:
    """One stored web session, found by the hash of its id."""

    id_hash: str
    user_id: int
    csrf_token: str
    second_factor_done: bool
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


def _auth(row: Any) -> UserAuth:
    return UserAuth(
        row.id,
        row.username,
        row.role,
        bool(row.disabled),
        row.password_hash,
        bytes(row.totp_secret) if row.totp_secret is not None else None,
        int(row.failed_logins or 0),
        _utc(row.locked_until),
        _utc(row.sessions_valid_after),
        row.language or "en",
        int(row.totp_last_step) if row.totp_last_step is not None else None,
    )


def find_user_auth(conn: Connection, username: str) -> UserAuth | None:
    """The sign-in columns of a user, or None when there is no such user."""
    row = conn.execute(select(users).where(users.c.username == username)).first()
    return _auth(row) if row is not None else None


def get_user_auth(conn: Connection, user_id: int) -> UserAuth:
    """The sign-in columns of a user by id."""
    row = conn.execute(select(users).where(users.c.id == user_id)).first()
    if row is None:
        raise NotFoundError(f"no user #{user_id}")
    return _auth(row)


def update_user_auth(conn: Connection, user_id: int, **values: Any) -> None:
    """Set auth columns (password_hash, totp_secret, failed_logins, locked_until, ...)."""
    allowed = {
        "password_hash",
        "totp_secret",
        "totp_last_step",
        "failed_logins",
        "locked_until",
        "sessions_valid_after",
        "language",
    }
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not an auth column: {sorted(unknown)}")
    conn.execute(update(users).where(users.c.id == user_id).values(**values))


def add_session(conn: Connection, row: WebSessionRow) -> None:
    """Store a new session (its id only as a hash)."""
    conn.execute(
        insert(web_sessions).values(
            id_hash=row.id_hash,
            user_id=row.user_id,
            csrf_token=row.csrf_token,
            second_factor_done=row.second_factor_done,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            expires_at=row.expires_at,
        )
    )


def find_session(conn: Connection, id_hash: str) -> WebSessionRow | None:
    """The session with this id hash, or None."""
    row = conn.execute(select(web_sessions).where(web_sessions.c.id_hash == id_hash)).first()
    if row is None:
        return None
    return WebSessionRow(
        row.id_hash,
        row.user_id,
        row.csrf_token,
        bool(row.second_factor_done),
        _utc(row.created_at) or datetime.now(UTC),
        _utc(row.last_seen_at) or datetime.now(UTC),
        _utc(row.expires_at) or datetime.now(UTC),
    )


def touch_session(conn: Connection, id_hash: str, at: datetime) -> None:
    """Record activity on a session (idle time-out counts from here)."""
    conn.execute(
        update(web_sessions).where(web_sessions.c.id_hash == id_hash).values(last_seen_at=at)
    )


def delete_session(conn: Connection, id_hash: str) -> None:
    """End one session."""
    conn.execute(delete(web_sessions).where(web_sessions.c.id_hash == id_hash))


def delete_user_sessions(conn: Connection, user_id: int) -> int:
    """End every session of a user; returns how many there were."""
    result = conn.execute(delete(web_sessions).where(web_sessions.c.user_id == user_id))
    return int(result.rowcount or 0)


def delete_expired(conn: Connection, now: datetime) -> int:
    """Drop sessions past their absolute expiry."""
    result = conn.execute(delete(web_sessions).where(web_sessions.c.expires_at < now))
    return int(result.rowcount or 0)
