"""Demo part: link the demo's imported lists into unique people and score them against the truth."""

from __future__ import annotations

from sijill.demo import DemoBuilder
from sijill.services import linkage
from sijill.services.session import open_session

ORDER = 30


def extend(builder: DemoBuilder) -> None:
    """Link every imported list, then evaluate the people against the simulation's truth."""
    facts = builder.facts.get("lists")
    if not isinstance(facts, dict):
        builder.say("Linkage: skipped (no lists were imported)")
        return
    with open_session(builder.workspace, builder.admin, key=builder.key) as s:
        summary = linkage.link_lists(s)
        accuracy = linkage.evaluate(s, str(facts["truth"]), summary.run_id)
    builder.facts["linkage"] = {
        "run_id": summary.run_id,
        "people": summary.people,
        "records": summary.records,
        "accuracy": accuracy,
    }
    builder.say(
        f"Linkage: {summary.records} records → {summary.people} unique people "
        f"(true {facts['observed_N']}) in {summary.seconds:.0f} s; "
        f"{summary.pairs_in_review} pairs to review (`sijill review`)"
    )
    builder.say(
        f"  against the simulation's truth: pairwise F1 {accuracy['pairwise_f1']:.3f}, "
        f"B-cubed F1 {accuracy['bcubed_f1']:.3f}"
    )
