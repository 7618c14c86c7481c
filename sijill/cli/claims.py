"""Commands: claims add/list."""

from __future__ import annotations

import typer

from sijill.cli.common import CASE_OPTION, JSON_OPTION, console, print_json, print_table, session
from sijill.services import cases as case_service
from sijill.services import claims as service
from sijill.services import sources as source_service


def register(app: typer.Typer) -> None:
    """Add the `claims` commands."""
    group = typer.Typer(
        help="Claims: what sources say, tied to a testimony passage.", no_args_is_help=True
    )
    app.add_typer(group, name="claims")

    @group.command("add")
    def add(
        ctx: typer.Context,
        testimony: str = typer.Option(..., "--testimony", help="Testimony code, e.g. T-001."),
        subject: str = typer.Option(
            ..., "--subject", help='e.g. "event:E-001" or "place:white building".'
        ),
        attribute: str = typer.Option(
            ...,
            "--attribute",
            help="date, place, count, frequency, actor, method, duration, occurred, outcome.",
        ),
        value: str = typer.Option(..., "--value"),
        basis: str = typer.Option(..., "--basis", help="saw, took_part, heard_from, document."),
        heard_from: str | None = typer.Option(
            None, "--heard-from", help="Source code the claim was heard from."
        ),
        passage: str = typer.Option("", "--passage", help="Quote or pointer into the testimony."),
        credibility: int | None = typer.Option(None, "--credibility", help="1–6."),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Record a claim made in a testimony."""
        with session(ctx) as s:
            c = service.add_claim(
                s,
                testimony,
                subject=subject,
                attribute=attribute,
                value=value,
                basis=basis,
                heard_from=heard_from,
                passage=passage,
                credibility=credibility,
            )
        print_json(c) if as_json else console.print(f"Claim #{c.id} recorded.")

    @group.command("list")
    def list_(
        ctx: typer.Context, case: str | None = CASE_OPTION, as_json: bool = JSON_OPTION
    ) -> None:
        """List a case's claims."""
        with session(ctx) as s:
            found = service.list_claims(s, case_service.resolve_case(s, case).id)
            codes = source_service.source_codes(s, {c.source_id for c in found})
        if as_json:
            print_json(
                [
                    {
                        "id": c.id,
                        "source": codes[c.source_id],
                        "subject": c.subject,
                        "attribute": c.attribute,
                        "value": str(c.value),
                        "basis": c.basis,
                    }
                    for c in found
                ]
            )
        else:
            print_table(
                "Claims",
                ["id", "source", "subject", "attribute", "value", "basis"],
                [
                    [c.id, codes[c.source_id], c.subject, c.attribute, c.value, c.basis]
                    for c in found
                ],
            )
