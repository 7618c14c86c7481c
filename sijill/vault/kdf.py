"""Key derivation: Argon2id for passphrases (RFC 9106 settings) and HKDF for labelled subkeys."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from sijill.errors import InputError

KEY_BYTES = 32
MIN_PASSPHRASE_CHARS = 10
_MAX_MEMORY_KIB = 4 * 1024 * 1024
_MAX_TIME_COST = 64


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost settings; the default is RFC 9106's second recommended set.

    RFC 9106 section 4 recommends t=3, m=64 MiB, p=4, a 16-byte salt and a 32-byte tag when the
    first set (2 GiB of memory) is too heavy, which it is on a documenter's laptop. Tests pass a
    cheaper set; production code should use the default.
    """

    time_cost: int = 3
    memory_cost_kib: int = 64 * 1024
    parallelism: int = 4
    salt_bytes: int = 16
    hash_bytes: int = 32

    def meets_rfc9106_second_set(self) -> bool:
        """Say whether every cost is at least RFC 9106's second recommended set."""
        return (
            self.time_cost >= 3
            and self.memory_cost_kib >= 64 * 1024
            and self.parallelism >= 4
            and self.salt_bytes >= 16
            and self.hash_bytes >= 32
        )

    def validate(self) -> None:
        """Raise InputError for settings Argon2id or AES-256 cannot use."""
        if self.time_cost < 1 or self.parallelism < 1:
            raise InputError("Argon2id time cost and parallelism must be at least 1")
        if self.memory_cost_kib < 8 * self.parallelism:
            raise InputError("Argon2id memory must be at least 8 KiB per lane of parallelism")
        if self.salt_bytes < 16:
            raise InputError("Argon2id salt must be at least 16 bytes")
        if self.hash_bytes != KEY_BYTES:
            raise InputError(f"Argon2id output must be {KEY_BYTES} bytes (an AES-256 key)")
        # Upper bounds so a damaged or hostile keyring cannot make unlocking hang or exhaust memory.
        if self.memory_cost_kib > _MAX_MEMORY_KIB or self.time_cost > _MAX_TIME_COST:
            raise InputError("Argon2id settings above 4 GiB of memory or 64 passes are refused")


def derive_subkey(
    secret: bytes, label: str, *, salt: bytes | None = None, length: int = 32
) -> bytes:
    """HKDF-SHA256 of a secret for one labelled purpose."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=label.encode())
    return hkdf.derive(secret)


def derive_passphrase_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """Derive the key that wraps the workspace key from a passphrase (Argon2id)."""
    if not passphrase:
        raise InputError("the passphrase is empty")
    # NFC so the same passphrase typed on two keyboards (composed or decomposed) unlocks.
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return hash_secret_raw(
        secret=secret,
        salt=salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost_kib,
        parallelism=params.parallelism,
        hash_len=params.hash_bytes,
        type=Type.ID,
    )


def check_new_passphrase(passphrase: str) -> None:
    """Refuse a new passphrase shorter than MIN_PASSPHRASE_CHARS characters.

    The keyring may be copied off a seized laptop and guessed offline; Argon2id slows each
    guess, but only length makes the number of guesses large.
    """
    if len(unicodedata.normalize("NFC", passphrase)) < MIN_PASSPHRASE_CHARS:
        raise InputError(
            f"the new passphrase is shorter than {MIN_PASSPHRASE_CHARS} characters",
            hint="use several unrelated words, e.g. four words from a dictionary, in any script",
        )
