"""Commands: `corroborate` (findings, independence, contradictions) and `corroborate resolve`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from sijill.cli.common import CASE_OPTION, JSON_OPTION, console, print_json, print_table, session

if TYPE_CHECKING:
    from sijill.corroboration import CorroborationReport, Resolution


def register(app: typer.Typer) -> None:
    """Add the `corroborate` command and its `resolve` subcommand."""
    group = typer.Typer(
        help="Findings with their status and reasons, independent sources, the corroboration "
        "matrix and contradictions; `resolve` records how a contradiction was reconciled.",
        invoke_without_command=True,
    )
    app.add_typer(group, name="corroborate")

    @group.callback()
    def corroborate(
        ctx: typer.Context,
        case: str | None = CASE_OPTION,
        min_independent: int = typer.Option(
            2,
            "--min-independent",
            help="Independent sources with first-hand knowledge needed to corroborate.",
        ),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Show each finding's status with reasons, the matrix and the contradictions.

        Sources appear by code and reliability grade only. Record how a contradiction was
        reconciled with `sijill corroborate resolve A B --note "..."`.
        """
        if ctx.invoked_subcommand is not None:
            return
        from sijill.services import cases as case_service
        from sijill.services import corroboration as service

        with session(ctx) as s:
            case_id = case_service.resolve_case(s, case).id
            report = service.corroborate(s, case_id, min_independent=min_independent)
        if as_json:
            print_json(report.to_dict())
        else:
            _print_report(report)

    @group.command("resolve")
    def resolve(
        ctx: typer.Context,
        claim_a: int = typer.Argument(..., help="One claim id (see the contradictions list)."),
        claim_b: int = typer.Argument(..., help="The other claim id."),
        note: str = typer.Option(..., "--note", help="How the contradiction was reconciled."),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Record how two contradicting claims were reconciled (both stay on record)."""
        from sijill.services import corroboration as service

        with session(ctx) as s:
            rid = service.resolve_contradiction(s, claim_a, claim_b, note)
            who = s.actor.username
        if as_json:
            print_json({"resolution": rid, "claims": sorted((claim_a, claim_b)), "by": who})
        else:
            console.print(f"Contradiction #{claim_a} vs #{claim_b} resolved (by {who}).")


def _print_report(report: CorroborationReport) -> None:
    """Findings with statuses and reasons, then the matrix, then contradictions."""
    settings = report.settings
    console.print(
        f"[bold]Case {report.case}[/]: {len(report.findings)} findings "
        f"(corroborated = {settings.min_independent}+ independent first-hand sources)",
        highlight=False,
    )
    for f in report.findings:
        console.print(
            f"\n[bold]{f.id}[/] {f.subject} · {f.attribute} = {f.value} → [bold]{f.status.label}[/]"
            + (f" (support: {f.support.label})" if f.support is not f.status else "")
            + f"  (score {f.score:.2f})",
            highlight=False,
        )
        for c in f.claims:
            console.print(
                f"    #{c.claim_id} {c.source} [{c.reliability or '-'}] {c.basis_text}: "
                f"{c.value}  (credibility {c.credibility_label})",
                highlight=False,
                markup=False,
            )
        for reason in f.reasons:
            console.print(f"  - {reason}", highlight=False, markup=False)
    matrix = report.matrix
    if matrix.rows:
        print_table(
            "Corroboration matrix (findings × sources)",
            ["finding", "status", *[f"{s.code} [{s.reliability or '-'}]" for s in matrix.sources]],
            [[r.finding, r.status.label, *r.cells] for r in matrix.rows],
        )
    if report.contradictions or report.to_review:
        print_table(
            "Contradictions and pairs to compare by hand",
            ["claims", "sources", "subject", "why", "resolution"],
            [
                [
                    f"#{c.claim_a.claim_id} vs #{c.claim_b.claim_id}",
                    f"{c.claim_a.source} / {c.claim_b.source}",
                    f"{c.subject} {c.attribute}",
                    c.reason,
                    _resolution_text(c.resolutions[-1]) if c.resolved else "unresolved",
                ]
                for c in (*report.contradictions, *report.to_review)
            ],
        )
    for item in report.excluded:
        console.print(
            f"Not counted: claim #{item.claim.claim_id} ({item.claim.source}): {item.reason}",
            highlight=False,
            markup=False,
        )


def _resolution_text(resolution: Resolution) -> str:
    when = resolution.resolved_at.date().isoformat() if resolution.resolved_at else "undated"
    return f"{resolution.resolved_by}, {when}: {resolution.resolution}"
