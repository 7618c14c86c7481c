"""Tests for the identity interface the store uses: seal, open, reseal, look up, re-wrap."""

from __future__ import annotations

import pytest

from sijill.errors import IntegrityError
from sijill.vault.identity import IdentityVault
from sijill.vault.keys import WorkspaceKey

IDENTITY = {
    "name_ar": "سلمى  الكناري",
    "name_latin": "Salma al-Kanari",
    "phone": "+963 944 000 111",
    "address": None,
}


def test_seal_and_open_round_trip_with_index_terms() -> None:
    vault = IdentityVault(WorkspaceKey.generate())
    sealed = vault.seal("sources", 41, IDENTITY)
    assert sealed.fields["address"] is None
    assert vault.open("sources", 41, sealed.data_key, sealed.fields) == IDENTITY
    terms = sealed.index_terms["name"]
    assert len(terms) == 2
    assert vault.lookup_terms("salma AL-KANARI")[0] in terms
    assert vault.lookup_terms("سلمى الكناري")[0] in terms
    assert vault.index_terms_for(IDENTITY) == sealed.index_terms
    assert vault.seal("sources", 42, {"phone": "1"}).index_terms == {}


def test_reseal_keeps_data_key_and_binds_row() -> None:
    vault = IdentityVault(WorkspaceKey.generate())
    sealed = vault.seal("sources", 1, IDENTITY)
    edited = vault.reseal("sources", 1, sealed.data_key, {"phone": "+963 955 222 333"})
    fields = {**sealed.fields, **edited.fields}
    assert vault.open("sources", 1, sealed.data_key, fields)["phone"] == "+963 955 222 333"
    with pytest.raises(IntegrityError, match="sources row 2"):
        vault.open("sources", 2, sealed.data_key, fields)


def test_rewrap_for_rotation_and_custom_index_domains() -> None:
    old = IdentityVault(WorkspaceKey.generate())
    new = IdentityVault(
        WorkspaceKey.generate(), indexed_fields={"name_ar": "ar", "name_latin": "latin"}
    )
    sealed = old.seal("sources", 9, IDENTITY)
    rewrapped = old.rewrap("sources", 9, sealed.data_key, new)
    assert new.open("sources", 9, rewrapped, sealed.fields) == IDENTITY
    assert set(new.index_terms_for(IDENTITY)) == {"ar", "latin"}
    # terms depend on the workspace key: they must be recomputed after rotation
    assert new.lookup_terms("Salma al-Kanari", domain="name") != old.lookup_terms("Salma al-Kanari")
