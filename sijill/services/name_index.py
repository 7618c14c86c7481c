"""Which normalised forms of a protected name are blind-indexed (so spelling variants still match).

The index terms depend on the name rules of `sijill.names` (their `KEYS_VERSION`): when those
rules change, terms stored under the old rules no longer match new look-ups, so the index is
rebuilt from the sealed identities the first time a search runs under the new rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sijill.names.keys import KEYS_VERSION, match_forms
from sijill.store import identities, meta
from sijill.vault.blind_index import minimal_normalise

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from sijill.vault.identity import IdentityVault

#: Where the workspace records the name rules its blind index was built with.
INDEX_VERSION_KEY = "name_index_version"
#: Bump the suffix when `name_index_forms` itself changes what it indexes.
INDEX_VERSION = f"names-{KEYS_VERSION}.forms-1"


def name_index_forms(value: str) -> list[str]:
    """The forms of a name to index: the plain form, its canonical romanisation and skeleton.

    Indexing the consonant skeleton and canonical romanisation lets an Arabic-script name and its
    Latin spellings find each other without decrypting either.
    """
    forms = minimal_normalise(value)
    parsed = match_forms(value)
    for form in (parsed.romanised, parsed.skeleton):
        if form and form not in forms:
            forms.append(form)
    return forms


def index_is_current(conn: Connection) -> bool:
    """Whether the stored index terms were made with this version's name rules."""
    return meta.get_value(conn, INDEX_VERSION_KEY) == INDEX_VERSION


def rebuild_name_index(conn: Connection, vault: IdentityVault) -> int:
    """Re-derive every source's index terms from its sealed identity; returns how many.

    Identities are opened in memory only, one at a time; nothing decrypted is stored or logged.
    """
    count = 0
    for table, owner_id, _wrapped in identities.wrapped_keys(conn):
        if table != identities.TABLE:
            continue
        stored = identities.load_sealed(conn, owner_id)
        if stored is None:
            continue
        opened = vault.open(table, owner_id, stored[0], stored[1])
        identities.replace_terms(conn, owner_id, vault.index_terms_for(opened))
        count += 1
    mark_index_current(conn)
    return count


def mark_index_current(conn: Connection) -> None:
    """Record that the index terms follow this version's name rules."""
    meta.set_value(conn, INDEX_VERSION_KEY, INDEX_VERSION)
