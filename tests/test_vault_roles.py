"""Tests for role permissions and pseudonym codes."""

from __future__ import annotations

import pytest

from sijill.errors import InputError, PermissionDeniedError
from sijill.vault.pseudonyms import PseudonymCounter, SourceKind, format_code, parse_code
from sijill.vault.roles import PERMISSIONS, Permission, Role, Scope, can, require


def test_table_is_complete() -> None:
    for role in Role:
        assert set(PERMISSIONS[role]) == set(Permission)


def test_identity_access_rules() -> None:
    read = Permission.READ_IDENTITY
    assert can("admin", read, is_case_member=False)
    assert can("investigator", read, is_case_member=True)
    assert not can("investigator", read, is_case_member=False)
    for member in (True, False):
        assert not can("analyst", read, is_case_member=member)
        assert not can("reviewer", read, is_case_member=member)


def test_analyst_and_reviewer_scopes() -> None:
    assert can(Role.ANALYST, Permission.RUN_LINKAGE, is_case_member=False)
    assert can(Role.ANALYST, Permission.RUN_ESTIMATE, is_case_member=False)
    assert not can(Role.ANALYST, Permission.EXPORT, is_case_member=True)
    # reviewers are read-only: nothing that writes or runs is granted
    writes = {
        Permission.WRITE_SOURCE,
        Permission.MANAGE_USERS,
        Permission.RUN_LINKAGE,
        Permission.RUN_ESTIMATE,
        Permission.EXPORT,
    }
    for permission in writes:
        assert PERMISSIONS[Role.REVIEWER][permission] is Scope.NEVER
    assert can(Role.REVIEWER, Permission.READ_AUDIT, is_case_member=False)
    assert not can(Role.INVESTIGATOR, Permission.MANAGE_USERS, is_case_member=True)


def test_require_raises_with_actionable_message() -> None:
    require("investigator", "read_identity", is_case_member=True)
    with pytest.raises(PermissionDeniedError, match="analyst may not read_identity on W-017"):
        require("analyst", "read_identity", is_case_member=True, target="W-017")
    with pytest.raises(PermissionDeniedError) as info:
        require("investigator", "read_identity", is_case_member=False)
    assert info.value.hint and "case" in info.value.hint
    with pytest.raises(InputError):
        can("guest", "read_identity", is_case_member=True)
    with pytest.raises(InputError):
        can("admin", "fly", is_case_member=True)


def test_codes_format_and_parse() -> None:
    assert format_code(SourceKind.WITNESS, 17) == "W-017"
    assert format_code(SourceKind.ORGANISATION, 1234) == "O-1234"
    assert parse_code("d-005") == (SourceKind.DOCUMENT, 5)
    for bad in ("W-17", "X-001", "W-000", "W-0017", "W017", ""):
        with pytest.raises(InputError):
            parse_code(bad)
    with pytest.raises(InputError):
        format_code(SourceKind.WITNESS, 0)


def test_counter_is_sequential_per_kind_and_never_reuses() -> None:
    counter = PseudonymCounter()
    assert [counter.allocate(SourceKind.WITNESS) for _ in range(3)] == ["W-001", "W-002", "W-003"]
    assert counter.allocate(SourceKind.DOCUMENT) == "D-001"
    restored = PseudonymCounter.from_json(counter.to_json())
    # deleting W-003 does not free its code: the persisted counter moves on
    assert restored.allocate(SourceKind.WITNESS) == "W-004"
    restored.observe(["W-120", "O-007"])
    assert restored.allocate(SourceKind.WITNESS) == "W-121"
    assert restored.allocate(SourceKind.ORGANISATION) == "O-008"
    with pytest.raises(InputError):
        PseudonymCounter.from_json('{"Z": 3}')
