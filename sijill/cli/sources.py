"""Commands: sources add/list/show/update/delete/relate/consent."""

from __future__ import annotations

from typing import Any

import typer

from sijill.cli.common import (
    CASE_OPTION,
    JSON_OPTION,
    console,
    parse_day,
    print_json,
    print_table,
    session,
)
from sijill.domain.sources import SourceIdentity
from sijill.services import cases as case_service
from sijill.services import sources as service
from sijill.services import testimonies as testimony_service
from sijill.services.sources import SourceView


def _view(view: SourceView) -> dict[str, Any]:
    src = view.source
    data: dict[str, Any] = {
        "code": src.code,
        "kind": src.kind,
        "description": src.description,
        "reliability": src.reliability,
    }
    if view.identity is not None:
        data["identity"] = view.identity.as_dict()
    return data


def register(app: typer.Typer) -> None:
    """Add the `sources` commands."""
    group = typer.Typer(
        help="Sources, known by pseudonym codes; identities are sealed.", no_args_is_help=True
    )
    app.add_typer(group, name="sources")

    @group.command("add")
    def add(
        ctx: typer.Context,
        kind: str = typer.Option(
            ...,
            "--kind",
            help="survivor, guard_official, judge_lawyer, family, other_witness, document, organisation_list, media.",
        ),
        case: str | None = CASE_OPTION,
        name_ar: str = typer.Option("", "--name-ar", help="Name in Arabic script (sealed)."),
        name_latin: str = typer.Option("", "--name-latin", help="Name in Latin script (sealed)."),
        phone: str = typer.Option("", "--phone", help="(sealed)"),
        email: str = typer.Option("", "--email", help="(sealed)"),
        address: str = typer.Option("", "--address", help="(sealed)"),
        interview_location: str = typer.Option(
            "", "--interview-location", help="Exact place (sealed)."
        ),
        description: str = typer.Option("", "--description", help="Non-identifying description."),
        reliability: str | None = typer.Option(None, "--reliability", help="A–F."),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Register a source; it gets a pseudonym code such as W-017."""
        identity = SourceIdentity(name_ar, name_latin, phone, email, address, interview_location)
        with session(ctx) as s:
            found = case_service.resolve_case(s, case)
            src = service.add_source(s, found.id, kind, identity, description, reliability)
        print_json({"code": src.code, "kind": src.kind}) if as_json else console.print(
            f"Source {src.code} added."
        )

    @group.command("list")
    def list_(
        ctx: typer.Context,
        case: str | None = CASE_OPTION,
        with_identity: bool = typer.Option(
            False, "--with-identity", help="Include identities (cleared users only; audited)."
        ),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """List sources by code (identities only for cleared users who ask)."""
        with session(ctx) as s:
            case_id = case_service.get_case(s, case).id if case else None
            views = service.list_sources(s, case_id, with_identity)
        if as_json:
            print_json([_view(v) for v in views])
            return
        rows = [
            [v.source.code, v.source.kind, v.source.reliability, v.source.description]
            for v in views
        ]
        if with_identity:
            for row, v in zip(rows, views, strict=True):
                row.append(
                    v.identity.name_latin or v.identity.name_ar if v.identity else "(withheld)"
                )
        print_table(
            "Sources",
            ["code", "kind", "reliability", "description"]
            + (["identity"] if with_identity else []),
            rows,
        )

    @group.command("show")
    def show(
        ctx: typer.Context,
        code: str,
        with_identity: bool = typer.Option(False, "--with-identity"),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Show one source."""
        with session(ctx) as s:
            src = service.get_source(s, code)
            identity = service.read_identity(s, code) if with_identity else None
            consents = testimony_service.list_consents(s, code)
        data = _view(SourceView(src, identity))
        data["consents"] = [
            {"scope": c.scope, "given_on": c.given_on, "withdrawn_on": c.withdrawn_on}
            for c in consents
        ]
        print_json(data) if as_json else console.print(data)

    @group.command("update")
    def update(
        ctx: typer.Context,
        code: str,
        description: str | None = typer.Option(None, "--description"),
        reliability: str | None = typer.Option(None, "--reliability"),
        name_ar: str | None = typer.Option(None, "--name-ar"),
        name_latin: str | None = typer.Option(None, "--name-latin"),
    ) -> None:
        """Change a source's description, reliability or (cleared users) identity."""
        with session(ctx) as s:
            service.update_source(s, code, description=description, reliability=reliability)
            if name_ar is not None or name_latin is not None:
                old = service.read_identity(s, code) or SourceIdentity()
                values = old.as_dict()
                if name_ar is not None:
                    values["name_ar"] = name_ar
                if name_latin is not None:
                    values["name_latin"] = name_latin
                service.set_identity(s, code, SourceIdentity.from_dict(values))
        console.print(f"Source {code} updated.")

    @group.command("delete")
    def delete(
        ctx: typer.Context, code: str, yes: bool = typer.Option(False, "--yes", help="Do not ask.")
    ) -> None:
        """Delete a source and crypto-shred its identity (cannot be undone)."""
        if not yes:
            typer.confirm(f"Delete {code} and destroy its identity for good?", abort=True)
        with session(ctx) as s:
            service.delete_source(s, code)
        console.print(f"Source {code} deleted; its identity key was destroyed.")

    @group.command("relate")
    def relate(
        ctx: typer.Context,
        from_code: str,
        to_code: str,
        kind: str = typer.Option(
            ...,
            "--kind",
            help="heard_from, relative_of, same_organisation, interviewed_together, same_intermediary, detained_with.",
        ),
        note: str = typer.Option("", "--note"),
    ) -> None:
        """Record a relation between sources (it bears on their independence)."""
        with session(ctx) as s:
            service.relate_sources(s, from_code, to_code, kind, note)
        console.print(f"{from_code} —{kind}→ {to_code}")

    @group.command("consent")
    def consent(
        ctx: typer.Context,
        code: str,
        scope: str = typer.Option(..., "--scope", help="coi, iiim, public or named."),
        given_on: str | None = typer.Option(None, "--date", help="YYYY-MM-DD (default: today)."),
        withdraw: bool = typer.Option(False, "--withdraw", help="Withdraw instead of give."),
    ) -> None:
        """Record (or withdraw) a source's consent to one use."""
        day = parse_day(given_on)
        with session(ctx) as s:
            if withdraw:
                n = testimony_service.withdraw_consent(s, code, scope, day)
                console.print(f"Withdrew {n} consent(s) of {code} to {scope}.")
            else:
                testimony_service.give_consent(s, code, scope, day)
                console.print(f"{code} consents to {scope}.")
