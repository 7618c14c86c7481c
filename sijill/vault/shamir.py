"""Shamir secret sharing over GF(256) for escrow of the workspace key (e.g. 2 of 3 trustees).

Written here rather than taken from PyPI on purpose: it is about a hundred lines, easy to audit
against Shamir (1979), and the Python packages that offer it are small, rarely maintained and
would sit on the most sensitive path of the project. Arithmetic is in GF(2^8) with the AES
polynomial x^8 + x^4 + x^3 + x + 1; each byte of the secret is the constant term of its own
random polynomial of degree threshold - 1, and share number x holds the polynomial values at x.

Any threshold - 1 shares reveal nothing about the secret. Each share also carries a 4-byte key
check value (an HMAC of the secret), so a wrong share or a forged threshold is detected after
interpolation instead of yielding a silently wrong key, and a 4-byte checksum of its own so a
mistyped share is caught before use. Shares are printable: base32 (no 0/1/8/9 to confuse when
copied by hand) in groups of four, after a readable prefix ``SJS-<index>of<total>-T<threshold>``.

The table look-ups are not constant-time; splitting and recovery are rare, offline operations on
a trusted machine, where that side channel does not apply.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sijill.errors import InputError, IntegrityError
from sijill.vault.keys import WorkspaceKey

SHARE_VERSION = 1
_PREFIX = "SJS"
_CHECK_BYTES = 4
_KCV_LABEL = b"sijill-share-key-check"
_HEAD = re.compile(r"^SJS-(\d{1,3})OF(\d{1,3})-T(\d{1,3})-(.+)$")


def _build_tables() -> tuple[list[int], list[int]]:
    exp, log = [0] * 512, [0] * 256
    value = 1
    for power in range(255):
        exp[power] = value
        log[value] = power
        # multiply by the generator 3: value * 2 (xtime, reduced) xor value
        doubled = value << 1
        if doubled & 0x100:
            doubled ^= 0x11B
        value = doubled ^ value
    for power in range(255, 512):
        exp[power] = exp[power - 255]
    return exp, log


_EXP, _LOG = _build_tables()


def _mul(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


def _div(a: int, b: int) -> int:
    if a == 0:
        return 0
    return _EXP[_LOG[a] + 255 - _LOG[b]]


@dataclass(frozen=True)
class Share:
    """One parsed share: which of how many, the threshold, and the polynomial values."""

    index: int
    total: int
    threshold: int
    key_check: bytes
    values: bytes


def split_secret(secret: bytes, *, shares: int, threshold: int) -> list[str]:
    """Split `secret` into `shares` printable shares, any `threshold` of which recover it.

    Raises:
        InputError: threshold below 2 (a share would be the secret itself), above `shares`,
            more than 255 shares, or an empty secret.
    """
    if not secret or len(secret) > 255:
        raise InputError("a secret to split must be 1 to 255 bytes long")
    if not 2 <= threshold <= shares <= 255:
        raise InputError(
            f"cannot split into {shares} share(s) with threshold {threshold}",
            hint="use 2 <= threshold <= shares <= 255, e.g. 3 shares with threshold 2",
        )
    check = _key_check(secret)
    coefficients = [secrets.token_bytes(threshold - 1) for _ in secret]
    result = []
    for x in range(1, shares + 1):
        values = bytes(_evaluate(byte, coefficients[pos], x) for pos, byte in enumerate(secret))
        result.append(_encode(Share(x, shares, threshold, check, values)))
    return result


def recover_secret(texts: Sequence[str]) -> bytes:
    """Recover the secret from at least `threshold` distinct shares of one split.

    Raises:
        InputError: a mistyped share, shares from different splits, or too few shares.
        IntegrityError: the interpolated secret fails the key check (a wrong share).
    """
    parsed: dict[int, Share] = {}
    for position, text in enumerate(texts, start=1):
        share = parse_share(text, position=position)
        previous = parsed.get(share.index)
        if previous is not None and previous != share:
            raise InputError(f"two different shares both claim to be share {share.index}")
        parsed[share.index] = share
    if not parsed:
        raise InputError("no shares given")
    first = next(iter(parsed.values()))
    for share in parsed.values():
        same_split = (share.total, share.threshold, share.key_check, len(share.values)) == (
            first.total,
            first.threshold,
            first.key_check,
            len(first.values),
        )
        if not same_split:
            raise InputError("these shares come from different splits; use shares of one split")
    if len(parsed) < first.threshold:
        raise InputError(
            f"{len(parsed)} distinct share(s) given but {first.threshold} are needed "
            f"(shares were made {first.threshold} of {first.total})",
            hint="collect more shares from their holders",
        )
    chosen = list(parsed.values())[: first.threshold]
    secret = bytes(_interpolate_at_zero(chosen, pos) for pos in range(len(first.values)))
    if not hmac.compare_digest(_key_check(secret), first.key_check):
        raise IntegrityError(
            "the shares do not recover the key: at least one share is wrong or was altered",
            hint="try another combination of shares",
        )
    return secret


def split_workspace_key(key: WorkspaceKey, *, shares: int, threshold: int) -> list[str]:
    """Split the workspace key for trustees; hand each share to a different person."""
    return split_secret(key.reveal_bytes(), shares=shares, threshold=threshold)


def recover_workspace_key(texts: Sequence[str]) -> WorkspaceKey:
    """Recover the workspace key from shares (see `recover_secret` for the errors)."""
    return WorkspaceKey(recover_secret(texts))


def parse_share(text: str, *, position: int = 1) -> Share:
    """Parse and checksum one printed share (case and whitespace do not matter)."""
    cleaned = re.sub(r"\s+", "", text).upper()
    match = _HEAD.match(cleaned)
    if not match:
        raise InputError(f"share {position} is not a Sijill key share (they start with 'SJS-')")
    index, total, threshold = (int(match.group(i)) for i in (1, 2, 3))
    body = match.group(4).replace("-", "")
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except ValueError:
        raw = b""
    payload, checksum = raw[:-_CHECK_BYTES], raw[-_CHECK_BYTES:]
    if len(raw) <= _CHECK_BYTES or not hmac.compare_digest(_checksum(payload), checksum):
        raise InputError(
            f"share {position} is mistyped or damaged (its checksum does not match)",
            hint="compare it character by character with the printed share",
        )
    version, p_threshold, p_total, p_index = payload[:4]
    check, values = payload[4 : 4 + _CHECK_BYTES], payload[4 + _CHECK_BYTES :]
    if version != SHARE_VERSION:
        raise InputError(f"share {position} uses share format {version}; this Sijill reads 1")
    if (p_index, p_total, p_threshold) != (index, total, threshold) or not values:
        raise InputError(f"share {position}: its readable prefix does not match its contents")
    return Share(index, total, threshold, check, values)


def _encode(share: Share) -> str:
    payload = (
        bytes([SHARE_VERSION, share.threshold, share.total, share.index])
        + share.key_check
        + share.values
    )
    body = base64.b32encode(payload + _checksum(payload)).decode("ascii").rstrip("=")
    groups = "-".join(body[i : i + 4] for i in range(0, len(body), 4))
    return f"{_PREFIX}-{share.index}of{share.total}-T{share.threshold}-{groups}"


def _evaluate(constant: int, coefficients: bytes, x: int) -> int:
    # Horner's rule from the highest coefficient down to the secret byte.
    result = 0
    for coefficient in reversed(coefficients):
        result = _mul(result, x) ^ coefficient
    return _mul(result, x) ^ constant


def _interpolate_at_zero(shares: Sequence[Share], pos: int) -> int:
    total = 0
    for i, share_i in enumerate(shares):
        numerator, denominator = 1, 1
        for j, share_j in enumerate(shares):
            if i != j:
                numerator = _mul(numerator, share_j.index)
                denominator = _mul(denominator, share_i.index ^ share_j.index)
        total ^= _mul(share_i.values[pos], _div(numerator, denominator))
    return total


def _key_check(secret: bytes) -> bytes:
    return hmac.new(secret, _KCV_LABEL, hashlib.sha256).digest()[:_CHECK_BYTES]


def _checksum(payload: bytes) -> bytes:
    return hashlib.sha256(b"sijill-share|" + payload).digest()[:_CHECK_BYTES]
