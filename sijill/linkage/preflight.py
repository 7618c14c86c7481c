"""Count the candidate pairs the blocking rules will propose, before any scoring starts.

Candidate pairs grow with the square of the biggest blocks (everyone called Muhammad al-Ahmad who
died in 2013), so one more list or one loose rule can turn a minutes-long run into one that
never finishes. Counting the block sizes costs one group-by per rule; a run whose rules would
propose more than the settings allow is refused up front with each rule's share, instead of
filling the disk with spilled pairs for hours.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sijill.errors import InputError
from sijill.linkage.settings import LinkageSettings

__all__ = ["CandidateCount", "check_candidate_pairs", "count_candidate_pairs"]


@dataclass(frozen=True)
class CandidateCount:
    """Pairs each blocking rule proposes on its own (rules overlap, so the sum is an upper bound).

    Attributes:
        per_rule: (rule, pairs) in the settings' order.
        upper_bound: The sum over rules, at least the number of distinct pairs Splink scores.
    """

    per_rule: tuple[tuple[tuple[str, ...], int], ...]
    upper_bound: int


def count_candidate_pairs(prepared: pd.DataFrame, settings: LinkageSettings) -> CandidateCount:
    """Pairs of records that agree on every column of each rule (a missing value never agrees)."""
    per_rule = []
    for rule in settings.blocking_rules:
        sizes = prepared.groupby(list(rule), dropna=True, sort=False, observed=True).size()
        sizes = sizes.astype("int64")
        per_rule.append((rule, int((sizes * (sizes - 1) // 2).sum())))
    return CandidateCount(tuple(per_rule), sum(count for _, count in per_rule))


def check_candidate_pairs(prepared: pd.DataFrame, settings: LinkageSettings) -> CandidateCount:
    """Count the candidate pairs and refuse a run that would propose more than allowed.

    Raises:
        InputError: The rules would propose more than ``settings.max_candidate_pairs`` pairs.
    """
    counted = count_candidate_pairs(prepared, settings)
    if counted.upper_bound > settings.max_candidate_pairs:
        worst = sorted(counted.per_rule, key=lambda item: item[1], reverse=True)[:3]
        shares = "; ".join(f"{' + '.join(rule)}: {count:,}" for rule, count in worst)
        raise InputError(
            f"the blocking rules would propose up to {counted.upper_bound:,} candidate pairs "
            f"for {len(prepared):,} records (the limit is {settings.max_candidate_pairs:,}); "
            f"largest rules: {shares}",
            hint="narrow those rules with another column (e.g. death_year or governorate) in "
            "linkage settings, or raise max_candidate_pairs if this machine can afford it",
        )
    return counted
