"""Demo part: estimate the total from the linked lists, and the testimony-derived range."""

from __future__ import annotations

from sijill.demo import DemoBuilder
from sijill.services import estimates
from sijill.services.session import open_session

ORDER = 35


def extend(builder: DemoBuilder) -> None:
    """Estimate how many victims no list recorded and compare with the simulation's truth."""
    lists = builder.facts.get("lists")
    if isinstance(lists, dict) and "linkage" in builder.facts:
        with open_session(builder.workspace, builder.admin, key=builder.key) as s:
            table = estimates.linkage_tables(s)
        result = estimates.estimate_table(table, seed=1)
        builder.facts["estimate"] = result.to_dict()
        builder.say(
            f"Estimate ({result.method}): {result.estimate:,.0f} victims "
            f"({result.level:.0%} interval {result.lower:,.0f}–{result.upper:,.0f}) from "
            f"{result.n_observed:,} people on the lists; true total {lists['true_N']:,}"
        )
    testimony = estimates.estimate_testimony(
        [("2011-09", "2015-12", "1-2", "20-50")], source="W-001", seed=1
    )
    builder.facts["testimony_range"] = testimony.to_dict()
    builder.say(
        f"Testimony-derived range (W-001: 20–50 people, once or twice a week, 2011-09 – 2015-12): "
        f"{testimony.lower:,.0f}–{testimony.upper:,.0f} (median {testimony.estimate:,.0f})"
    )
