"""Blind indexes: keyed HMACs of normalised name forms, to match protected names without decrypting.

A blind index term is HMAC-SHA256(K_bi, domain || 0x00 || form), truncated, where K_bi is
HKDF(workspace key, "blind-index"). Equal normalised forms give equal terms, so the store can
look up, block and deduplicate on the terms; without the workspace key nobody can compute the
term of a guessed name, so a stolen database does not allow a dictionary attack on names.

What the terms still leak: equality. Whoever sees the index sees which records share a name
form and how often each form occurs; with Syrian name frequencies (Muhammad about one given
name in eight) the most frequent terms can be guessed by frequency analysis. The domain string
keeps terms for different purposes (e.g. ``"given_name"`` vs ``"family_name"``) unlinkable.

Truncation (``bits``, default 64): a term shorter than 256 bits saves space and does not weaken
the keyed hash. Accidental collisions between distinct forms occur with probability about
n^2 / 2^(bits+1) for n distinct forms: for a million distinct forms that is 3e-8 at 64 bits,
but 1 (collisions certain) at 32 bits. Shorter terms (e.g. 16-24 bits) deliberately merge many
names per term, which blunts frequency analysis at the cost of more candidates to decrypt and
compare; matches are candidates either way and are confirmed on the decrypted values.
"""

from __future__ import annotations

import hmac
import re
import unicodedata
from collections.abc import Callable

from sijill.errors import InputError
from sijill.vault.keys import WorkspaceKey

DEFAULT_BITS = 64
_LABEL = "blind-index"
_SPACES = re.compile(r"\s+")

Normaliser = Callable[[str], list[str]]


def minimal_normalise(value: str) -> list[str]:
    """NFKC, case-fold and collapse whitespace; one form, or none for a blank value.

    A stand-in until `sijill.names` provides the Arabic/Latin normalisation and variant forms.
    """
    form = _SPACES.sub(" ", unicodedata.normalize("NFKC", value).casefold()).strip()
    return [form] if form else []


class BlindIndexer:
    """Computes blind index terms for one workspace key.

    Args:
        workspace_key: the unlocked workspace key.
        normalise: turns one value into the forms to index (e.g. from `sijill.names`);
            defaults to `minimal_normalise`.
        bits: term length, a multiple of 8 from 16 to 256 (see the module docstring).
    """

    def __init__(
        self,
        workspace_key: WorkspaceKey,
        *,
        normalise: Normaliser = minimal_normalise,
        bits: int = DEFAULT_BITS,
    ) -> None:
        if bits % 8 or not 16 <= bits <= 256:
            raise InputError(
                f"blind index length must be a multiple of 8 from 16 to 256, not {bits}"
            )
        self._key = workspace_key.derive(_LABEL)
        self._normalise = normalise
        self.bits = bits

    def term(self, form: str, *, domain: str = "name") -> str:
        """Return the hex term of one already-normalised form."""
        message = domain.encode("utf-8") + b"\x00" + form.encode("utf-8")
        digest = hmac.digest(self._key, message, "sha256")
        return digest[: self.bits // 8].hex()

    def terms(self, value: str, *, domain: str = "name") -> list[str]:
        """Return the distinct terms of every normalised form of `value`, in form order."""
        seen: dict[str, None] = {}
        for form in self._normalise(value):
            if form:
                seen.setdefault(self.term(form, domain=domain), None)
        return list(seen)
