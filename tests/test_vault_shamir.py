"""Tests for Shamir key shares: threshold recovery, refusal below it, mistyped shares."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sijill.errors import InputError, IntegrityError
from sijill.vault.keys import WorkspaceKey
from sijill.vault.shamir import (
    _EXP,
    _LOG,
    _div,
    _mul,
    parse_share,
    recover_secret,
    recover_workspace_key,
    split_secret,
    split_workspace_key,
)


def test_field_arithmetic_is_a_field() -> None:
    # every non-zero element has an inverse and the generator reaches all 255 of them
    assert sorted(_EXP[:255]) == list(range(1, 256))
    for a in range(1, 256):
        assert _mul(a, _div(1, a)) == 1
        assert _LOG[_EXP[_LOG[a]]] == _LOG[a]
    # known AES value: {57} x {83} = {c1} (FIPS-197, section 4.2)
    assert _mul(0x57, 0x83) == 0xC1


def test_two_of_three_recover_and_one_does_not() -> None:
    key = WorkspaceKey.generate()
    shares = split_workspace_key(key, shares=3, threshold=2)
    assert len(set(shares)) == 3
    for pair in itertools.permutations(shares, 2):
        assert recover_workspace_key(list(pair)) == key
    assert recover_workspace_key(shares) == key
    for one in shares:
        with pytest.raises(InputError, match="2 are needed"):
            recover_workspace_key([one])
        with pytest.raises(InputError, match="2 are needed"):
            recover_workspace_key([one, one.lower()])


def test_every_threshold_subset_recovers_for_3_of_5() -> None:
    secret = bytes(range(32))
    shares = split_secret(secret, shares=5, threshold=3)
    for combo in itertools.combinations(shares, 3):
        assert recover_secret(list(combo)) == secret
    for combo in itertools.combinations(shares, 2):
        with pytest.raises(InputError):
            recover_secret(list(combo))


def test_forged_threshold_cannot_yield_a_silently_wrong_key() -> None:
    # Re-encode one share as if the split were 1-of-3: the key check catches the wrong result.
    from sijill.vault.shamir import Share, _encode

    secret = WorkspaceKey.generate().reveal_bytes()
    share = parse_share(split_secret(secret, shares=3, threshold=2)[0])
    forged = _encode(Share(share.index, share.total, 1, share.key_check, share.values))
    with pytest.raises(IntegrityError, match="do not recover"):
        recover_secret([forged])


def test_share_from_another_split_or_altered_value_is_detected() -> None:
    a = split_secret(b"k" * 32, shares=3, threshold=2)
    b = split_secret(b"q" * 32, shares=3, threshold=2)
    with pytest.raises(InputError, match="different splits"):
        recover_secret([a[0], b[1]])
    # same secret split twice: shares mix up into a wrong polynomial, caught by the key check
    c = split_secret(b"k" * 32, shares=3, threshold=2)
    with pytest.raises(IntegrityError):
        recover_secret([a[0], c[1]])


def test_mistyped_share_is_caught_by_its_checksum() -> None:
    share = split_secret(b"s" * 32, shares=3, threshold=2)[1]
    rng = random.Random(7)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    body_start = len("SJS-2of3-T2-")
    positions = [i for i in range(body_start, len(share)) if share[i] != "-"]
    for pos in rng.sample(positions, 40):
        wrong = rng.choice([c for c in alphabet if c != share[pos]])
        typo = share[:pos] + wrong + share[pos + 1 :]
        with pytest.raises(InputError):
            parse_share(typo)
    # case and spacing do not matter when typing a share back in
    assert parse_share(share.lower().replace("-", " - ")).index == 2
    with pytest.raises(InputError, match="not a Sijill key share"):
        parse_share("hello")
    with pytest.raises(InputError, match="readable prefix"):
        parse_share(share.replace("SJS-2of3", "SJS-3of3"))


def test_invalid_split_parameters_are_refused() -> None:
    for shares, threshold in [(3, 1), (2, 3), (256, 2)]:
        with pytest.raises(InputError):
            split_secret(b"x" * 32, shares=shares, threshold=threshold)
    with pytest.raises(InputError):
        split_secret(b"", shares=3, threshold=2)
    with pytest.raises(InputError):
        recover_secret([])


def test_single_share_is_independent_of_secret_bytes() -> None:
    # Share values for a fixed x are uniform: over many splits of two different secrets the
    # first byte of share 1 takes (almost) every value in both cases.
    seen_a = {
        parse_share(split_secret(b"\x00" * 4, shares=2, threshold=2)[0]).values[0]
        for _ in range(2000)
    }
    seen_b = {
        parse_share(split_secret(b"\xff" * 4, shares=2, threshold=2)[0]).values[0]
        for _ in range(2000)
    }
    assert len(seen_a) > 240 and len(seen_b) > 240


@settings(max_examples=60, deadline=None)
@given(
    secret=st.binary(min_size=1, max_size=48),
    shares=st.integers(min_value=2, max_value=7),
    data=st.data(),
)
def test_any_threshold_subset_recovers(secret: bytes, shares: int, data: st.DataObject) -> None:
    threshold = data.draw(st.integers(min_value=2, max_value=shares))
    texts = split_secret(secret, shares=shares, threshold=threshold)
    subset = data.draw(st.permutations(texts))[:threshold]
    assert recover_secret(subset) == secret
    with pytest.raises(InputError):
        recover_secret(subset[:-1])
