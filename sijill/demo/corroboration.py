"""Demo part: corroborate the demo case, reconcile one contradiction, and say what was found."""

from __future__ import annotations

from sijill.corroboration import FindingStatus
from sijill.demo import DemoBuilder
from sijill.services import cases, corroboration
from sijill.services.session import open_session

ORDER = 40

#: How the demo investigator reconciles the group-size contradiction (synthetic, illustrative).
COUNT_RESOLUTION = (
    "W-006 was held in late 2011, when groups were smaller; W-001 and W-002 describe 2012-2015. "
    "Both accounts kept; the finding covers 2012-2015."
)


def extend(builder: DemoBuilder) -> None:
    """Run corroboration on the demo case; resolve the count contradiction as an investigator."""
    ws, key = builder.workspace, builder.key
    with open_session(ws, builder.admin, key=key) as s:
        case_id = cases.get_case(s, builder.case_code).id
        before = corroboration.corroborate(s, case_id)
        counts = [c for c in before.contradictions if c.attribute == "count"]
    with open_session(ws, "nour", key=key) as s:
        for pair in counts:
            corroboration.resolve_contradiction(
                s, pair.claim_a.claim_id, pair.claim_b.claim_id, COUNT_RESOLUTION
            )
    with open_session(ws, "sami", key=key) as s:
        report = corroboration.corroborate(s, case_id)
    builder.facts["corroboration"] = report.to_dict()["summary"]
    corroborated = report.by_status(FindingStatus.CORROBORATED)
    builder.say(
        f"Corroboration: {len(report.findings)} findings, {len(corroborated)} corroborated by "
        f"{report.settings.min_independent}+ independent first-hand sources"
    )
    for finding in corroborated:
        builder.say(f"  {finding.id} {finding.attribute} = {finding.value}: corroborated")
    for finding in report.findings:
        for group in finding.groups:
            if len(group.members) > 1:
                builder.say(f"  counted once ({finding.id}): {group.explanation}")
    for finding in report.by_status(FindingStatus.CONTESTED):
        builder.say(
            f"  {finding.id} {finding.attribute} = {finding.value}: contested by "
            f"{', '.join(finding.contested_by)} (support: {finding.support.label})"
        )
    unresolved = [c for c in report.contradictions if not c.resolved]
    builder.say(
        f"  {len(report.contradictions)} contradictions: {len(counts)} reconciled by nour, "
        f"{len(unresolved)} open — `sijill corroborate` lists them all"
    )
    for pair in unresolved[:1]:
        builder.say(
            f"  e.g. #{pair.claim_a.claim_id} {pair.claim_a.source} vs "
            f"#{pair.claim_b.claim_id} {pair.claim_b.source} ({pair.claim_b.basis_text}): "
            f"{pair.reason}"
        )
