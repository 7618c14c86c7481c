"""Cases, their members, and users."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from sijill.domain.cases import Case, User
from sijill.errors import InputError, NotFoundError
from sijill.store.rows import insert_id
from sijill.store.schema import case_members, cases, users


def _user(row: Any) -> User:
    return User(row.id, row.username, row.role, row.display_name, bool(row.disabled))


def add_user(conn: Connection, username: str, role: str, display_name: str = "") -> User:
    """Insert a user; a taken username is an InputError."""
    if conn.execute(select(users.c.id).where(users.c.username == username)).first():
        raise InputError(f"user {username!r} already exists")
    now = datetime.now(UTC)
    uid = insert_id(
        conn,
        insert(users).values(
            username=username,
            role=role,
            display_name=display_name,
            created_at=now,
            disabled=False,
            failed_logins=0,
            language="en",
        ),
    )
    return User(int(uid), username, role, display_name)


def get_user(conn: Connection, username: str) -> User:
    """The user with this name."""
    row = conn.execute(select(users).where(users.c.username == username)).first()
    if row is None:
        raise NotFoundError(f"no user {username!r}", hint="`sijill users list` shows the users")
    return _user(row)


def get_user_by_id(conn: Connection, user_id: int) -> User:
    """The user with this id."""
    row = conn.execute(select(users).where(users.c.id == user_id)).first()
    if row is None:
        raise NotFoundError(f"no user #{user_id}")
    return _user(row)


def list_users(conn: Connection) -> list[User]:
    """All users by name."""
    return [_user(r) for r in conn.execute(select(users).order_by(users.c.username))]


def set_role(conn: Connection, username: str, role: str) -> None:
    """Change a user's role."""
    conn.execute(update(users).where(users.c.username == username).values(role=role))


def _case(conn: Connection, row: Any) -> Case:
    members = conn.execute(select(case_members.c.user_id).where(case_members.c.case_id == row.id))
    return Case(
        row.id,
        row.code,
        row.title,
        row.description,
        row.created_at,
        tuple(sorted(m.user_id for m in members)),
    )


def add_case(conn: Connection, code: str, title: str, description: str = "") -> Case:
    """Insert a case; codes are unique."""
    if conn.execute(select(cases.c.id).where(cases.c.code == code)).first():
        raise InputError(f"a case with code {code!r} already exists")
    cid = insert_id(
        conn,
        insert(cases).values(
            code=code, title=title, description=description, created_at=datetime.now(UTC)
        ),
    )
    return get_case(conn, int(cid))


def get_case(conn: Connection, case: int | str) -> Case:
    """A case by id or code."""
    cond = cases.c.id == case if isinstance(case, int) else cases.c.code == case
    row = conn.execute(select(cases).where(cond)).first()
    if row is None:
        raise NotFoundError(f"no case {case!r}", hint="`sijill cases list` shows the cases")
    return _case(conn, row)


def list_cases(conn: Connection) -> list[Case]:
    """All cases by code."""
    return [_case(conn, r) for r in conn.execute(select(cases).order_by(cases.c.code))]


def add_member(conn: Connection, case_id: int, user_id: int) -> None:
    """Make a user a member of a case (idempotent)."""
    exists = conn.execute(
        select(case_members).where(
            case_members.c.case_id == case_id, case_members.c.user_id == user_id
        )
    ).first()
    if not exists:
        conn.execute(insert(case_members).values(case_id=case_id, user_id=user_id))


def remove_member(conn: Connection, case_id: int, user_id: int) -> None:
    """Remove a user from a case."""
    conn.execute(
        delete(case_members).where(
            case_members.c.case_id == case_id, case_members.c.user_id == user_id
        )
    )


def member_case_ids(conn: Connection, user_id: int) -> set[int]:
    """The ids of the cases a user belongs to."""
    rows = conn.execute(select(case_members.c.case_id).where(case_members.c.user_id == user_id))
    return {r.case_id for r in rows}
