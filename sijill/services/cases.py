"""Use cases for cases, their members, and users."""

from __future__ import annotations

from sijill.domain.cases import Case, User
from sijill.domain.vocabulary import ROLES
from sijill.errors import InputError
from sijill.services.access import Permission
from sijill.services.session import Session
from sijill.store import cases as store


def create_case(s: Session, code: str, title: str, description: str = "") -> Case:
    """Open a new investigation; its creator becomes a member."""
    s.require(Permission.WRITE_CASE)
    if not code.strip() or not title.strip():
        raise InputError(
            "a case needs a code and a title", hint='e.g. --code SAY --title "Saydnaya 2011–2016"'
        )
    case = store.add_case(s.conn, code.strip(), title.strip(), description)
    store.add_member(s.conn, case.id, s.actor.id)
    s.audit("case.create", f"case:{case.code}")
    return store.get_case(s.conn, case.id)


def list_cases(s: Session) -> list[Case]:
    """The cases the actor may read."""
    return [c for c in store.list_cases(s.conn) if s.can(Permission.READ_CASE, c.id)]


def get_case(s: Session, case: int | str) -> Case:
    """One case the actor may read."""
    found = store.get_case(s.conn, case)
    s.require(Permission.READ_CASE, found.id, f"case:{found.code}")
    return found


def resolve_case(s: Session, case: int | str | None) -> Case:
    """The named case, or the only case the actor can read when none is named."""
    if case is not None:
        return get_case(s, case)
    readable = list_cases(s)
    if len(readable) == 1:
        return readable[0]
    if not readable:
        raise InputError("there is no case yet", hint="create one with `sijill cases add`")
    raise InputError(
        "several cases exist: say which", hint=f"--case {' / '.join(c.code for c in readable)}"
    )


def add_member(s: Session, case: int | str, username: str) -> Case:
    """Make a user a member of a case (admins only)."""
    s.require(Permission.MANAGE_USERS)
    found = store.get_case(s.conn, case)
    user = store.get_user(s.conn, username)
    store.add_member(s.conn, found.id, user.id)
    s.audit("case.add_member", f"case:{found.code}", user=username)
    return store.get_case(s.conn, found.id)


def add_user(s: Session, username: str, role: str, display_name: str = "") -> User:
    """Create a user with a role (admins only)."""
    s.require(Permission.MANAGE_USERS)
    role = ROLES.get(role).code
    if (
        not username.strip()
        or not username.replace("-", "").replace("_", "").replace(".", "").isalnum()
    ):
        raise InputError(f"user name {username!r} is not valid", hint="use letters, digits, - _ .")
    user = store.add_user(s.conn, username, role, display_name)
    s.audit("user.add", f"user:{username}", role=role)
    return user


def list_users(s: Session) -> list[User]:
    """All users (admins only)."""
    s.require(Permission.MANAGE_USERS)
    return store.list_users(s.conn)


def set_role(s: Session, username: str, role: str) -> User:
    """Change a user's role (admins only)."""
    s.require(Permission.MANAGE_USERS)
    role = ROLES.get(role).code
    store.get_user(s.conn, username)
    store.set_role(s.conn, username, role)
    s.audit("user.role", f"user:{username}", role=role)
    return store.get_user(s.conn, username)
