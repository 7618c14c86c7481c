"""Blind-index tokens for protected source names: look-up without decryption."""

from __future__ import annotations

from sijill.domain.sources import SourceIdentity
from sijill.vault.blind_index import BlindIndexer
from sijill.vault.keys import WorkspaceKey

INDEXED_FIELDS = ("name_ar", "name_latin")


def identity_tokens(key: WorkspaceKey, identity: SourceIdentity) -> dict[str, list[str]]:
    """Tokens for every normalised form of the identity's names, by field."""
    indexer = BlindIndexer(key)
    return {
        field: indexer.terms(value)
        for field in INDEXED_FIELDS
        if (value := getattr(identity, field))
    }


def name_tokens(key: WorkspaceKey, name: str) -> list[str]:
    """Tokens to look a name up by (same normalisation as when indexing)."""
    return BlindIndexer(key).terms(name)
