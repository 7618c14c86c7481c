"""The one narrow interface the store uses for identity fields: seal, open, look up, re-wrap.

`IdentityVault` bundles envelope encryption (`sijill.vault.envelope`) and blind indexes
(`sijill.vault.blind_index`) behind four calls, so the store never handles data keys, nonces or
HMAC keys itself. What the store keeps per protected record: the wrapped data key (a BLOB of
70 bytes), one token per protected field (BLOB, NULL when empty), and the blind index terms
(a side table of (record, domain, term) rows for look-up and blocking).

Role checks and audit entries belong to the services, which check `sijill.services.access`
and append to the audit log before calling `open`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sijill.vault.blind_index import DEFAULT_BITS, BlindIndexer, Normaliser, minimal_normalise
from sijill.vault.envelope import FieldCipher, RowId
from sijill.vault.keys import WorkspaceKey

DEFAULT_INDEXED_FIELDS: Mapping[str, str] = {"name_ar": "name", "name_latin": "name"}


@dataclass(frozen=True)
class SealedIdentity:
    """What the store writes for one protected record.

    Attributes:
        data_key: the record's wrapped data key; deleting it crypto-shreds the record.
        fields: field name to token (None for an empty field).
        index_terms: blind index domain to the distinct terms of the record's indexed fields.
    """

    data_key: bytes
    fields: dict[str, bytes | None]
    index_terms: dict[str, list[str]] = field(default_factory=dict)


class IdentityVault:
    """Encrypts, decrypts and indexes the identity fields of protected records.

    Args:
        workspace_key: the unlocked workspace key.
        normalise: name normaliser for blind indexes (`sijill.names` when available).
        indexed_fields: which fields get blind index terms, and in which domain; fields that
            share a domain can be matched against each other (e.g. Arabic and Latin names when
            the normaliser maps both scripts to common keys).
        index_bits: blind index term length (see `sijill.vault.blind_index`).
    """

    def __init__(
        self,
        workspace_key: WorkspaceKey,
        *,
        normalise: Normaliser = minimal_normalise,
        indexed_fields: Mapping[str, str] = DEFAULT_INDEXED_FIELDS,
        index_bits: int = DEFAULT_BITS,
    ) -> None:
        self.cipher = FieldCipher(workspace_key)
        self.indexer = BlindIndexer(workspace_key, normalise=normalise, bits=index_bits)
        self.indexed_fields = dict(indexed_fields)

    def seal(self, table: str, row_id: RowId, identity: Mapping[str, str | None]) -> SealedIdentity:
        """Encrypt a new record's identity fields under a fresh data key and index its names."""
        data_key, record = self.cipher.new_record(table, row_id)
        return SealedIdentity(data_key, record.encrypt_fields(identity), self._terms(identity))

    def reseal(
        self,
        table: str,
        row_id: RowId,
        data_key: bytes,
        identity: Mapping[str, str | None],
    ) -> SealedIdentity:
        """Encrypt edited fields under the record's existing data key (an update).

        Returns tokens for the given fields only, and index terms computed from them; the store
        replaces the terms of the domains returned.
        """
        record = self.cipher.open_record(table, row_id, data_key)
        return SealedIdentity(data_key, record.encrypt_fields(identity), self._terms(identity))

    def open(
        self, table: str, row_id: RowId, data_key: bytes, fields: Mapping[str, bytes | None]
    ) -> dict[str, str | None]:
        """Decrypt a record's fields; IntegrityError names the record and field on tampering."""
        return self.cipher.open_record(table, row_id, data_key).decrypt_fields(fields)

    def lookup_terms(self, value: str, *, domain: str = "name") -> list[str]:
        """Blind index terms to search for `value` (e.g. a name typed into a search box)."""
        return self.indexer.terms(value, domain=domain)

    def rewrap(self, table: str, row_id: RowId, data_key: bytes, new_vault: IdentityVault) -> bytes:
        """Re-wrap a record's data key for a rotated workspace key; tokens stay as they are.

        Blind index terms depend on the workspace key too: after rotation the store recomputes
        them from the decrypted names (`open` with this vault, then `new_vault.index_terms_for`).
        """
        return self.cipher.rewrap(data_key, table, row_id, new_vault.cipher)

    def index_terms_for(self, identity: Mapping[str, str | None]) -> dict[str, list[str]]:
        """Blind index terms of the indexed fields of an identity (e.g. to rebuild an index)."""
        return self._terms(identity)

    def _terms(self, identity: Mapping[str, str | None]) -> dict[str, list[str]]:
        terms: dict[str, list[str]] = {}
        for name, domain in self.indexed_fields.items():
            value = identity.get(name)
            if value:
                bucket = terms.setdefault(domain, [])
                bucket.extend(
                    t for t in self.indexer.terms(value, domain=domain) if t not in bucket
                )
        return terms
