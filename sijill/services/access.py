"""Who may do what: roles and per-case membership, enforced in the services for CLI, API and web.

=================  =====  ============  =======  ========
permission         admin  investigator  analyst  reviewer
=================  =====  ============  =======  ========
read_case          yes    own cases     own      own cases
write_case         yes    own cases     no       no
read_testimony     yes    own cases     no       own cases
read_identity      yes    own cases     no       no
work_lists         yes    yes           yes      no
read_lists         yes    yes           yes      yes
export             yes    own cases     no       no
manage_users/keys  yes    no            no       no
read_audit         yes    no            no       yes
=================  =====  ============  =======  ========

Why: identities and testimony texts are need-to-know per case; analysts merge lists and estimate
and never need to know who the witnesses are; reviewers check work (the audit log included)
without seeing identities; admins hold the workspace and should be very few.
"""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    """Actions the services check before acting."""

    READ_CASE = "read_case"  # pseudonymous case data: events, claims, codes
    WRITE_CASE = "write_case"  # cases, sources, testimonies, events, claims, evidence
    READ_TESTIMONY = "read_testimony"  # testimony texts
    READ_IDENTITY = "read_identity"  # a source's protected identity
    WORK_LISTS = "work_lists"  # import lists, link, review, estimate
    READ_LISTS = "read_lists"
    EXPORT = "export"
    MANAGE_USERS = "manage_users"
    MANAGE_KEYS = "manage_keys"
    READ_AUDIT = "read_audit"


_CASE_SCOPED = {
    Permission.READ_CASE,
    Permission.WRITE_CASE,
    Permission.READ_TESTIMONY,
    Permission.READ_IDENTITY,
    Permission.EXPORT,
}

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "admin": frozenset(Permission),
    "investigator": frozenset(
        {
            Permission.READ_CASE,
            Permission.WRITE_CASE,
            Permission.READ_TESTIMONY,
            Permission.READ_IDENTITY,
            Permission.WORK_LISTS,
            Permission.READ_LISTS,
            Permission.EXPORT,
        }
    ),
    # Analysts work on lists and estimates; they never see witness identities or testimony texts.
    "analyst": frozenset({Permission.READ_CASE, Permission.WORK_LISTS, Permission.READ_LISTS}),
    "reviewer": frozenset(
        {
            Permission.READ_CASE,
            Permission.READ_TESTIMONY,
            Permission.READ_LISTS,
            Permission.READ_AUDIT,
        }
    ),
}


def allowed(role: str, permission: Permission, *, is_member: bool) -> bool:
    """Whether `role` may do `permission`; case-scoped ones also need membership (admins excepted)."""
    if permission not in ROLE_PERMISSIONS.get(role, frozenset()):
        return False
    if role == "admin":
        return True
    return is_member or permission not in _CASE_SCOPED
