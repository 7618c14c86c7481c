"""Commands: evidence add/list/custody/log/verify."""

from __future__ import annotations

from pathlib import Path

import typer

from sijill.cli.common import (
    CASE_OPTION,
    JSON_OPTION,
    console,
    err_console,
    print_json,
    print_table,
    session,
)
from sijill.services import cases as case_service
from sijill.services import evidence as service


def register(app: typer.Typer) -> None:
    """Add the `evidence` commands."""
    group = typer.Typer(
        help="Evidence files: hashed, kept read-only, with a chain of custody.",
        no_args_is_help=True,
    )
    app.add_typer(group, name="evidence")

    @group.command("add")
    def add(
        ctx: typer.Context,
        file: Path,
        case: str | None = CASE_OPTION,
        description: str = typer.Option("", "--description"),
        sensitive: bool = typer.Option(
            False, "--sensitive", help="Identifies a witness: keep encrypted."
        ),
        reason: str = typer.Option("collected", "--reason", help="Why it enters custody."),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Store a file as evidence: SHA-256, read-only original, custody log."""
        with session(ctx) as s:
            item = service.add_evidence(
                s,
                case_service.resolve_case(s, case).id,
                file,
                description=description,
                sensitive=sensitive,
                reason=reason,
            )
        print_json(item) if as_json else console.print(
            f"Evidence {item.code}: {item.original_name} sha256={item.sha256}"
        )

    @group.command("list")
    def list_(
        ctx: typer.Context, case: str | None = CASE_OPTION, as_json: bool = JSON_OPTION
    ) -> None:
        """List a case's evidence."""
        with session(ctx) as s:
            found = service.list_evidence(s, case_service.resolve_case(s, case).id)
        if as_json:
            print_json(found)
        else:
            print_table(
                "Evidence",
                ["code", "file", "bytes", "sha256", "added"],
                [[i.code, i.original_name, i.size, i.sha256[:16] + "…", i.added_at] for i in found],
            )

    @group.command("custody")
    def custody(ctx: typer.Context, code: str, as_json: bool = JSON_OPTION) -> None:
        """Show an item's chain of custody."""
        with session(ctx) as s:
            log = service.custody_log(s, code)
        if as_json:
            print_json(log)
        else:
            print_table(
                f"Custody of {code}",
                ["when (UTC)", "who", "action", "why"],
                [[e.at, e.actor, e.action, e.reason] for e in log],
            )

    @group.command("log")
    def log(
        ctx: typer.Context,
        code: str,
        action: str = typer.Option(..., "--action"),
        reason: str = typer.Option(..., "--reason"),
    ) -> None:
        """Record a custody step (copied, sent, examined …)."""
        with session(ctx) as s:
            service.log_custody(s, code, action, reason)
        console.print(f"Custody of {code}: {action}.")

    @group.command("verify")
    def verify(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
        """Re-hash every original; name any that changed or went missing (exit 7 if so)."""
        with session(ctx) as s:
            checked, problems = service.verify_evidence(s)
        if as_json:
            print_json({"checked": checked, "problems": problems})
        else:
            for p in problems:
                err_console.print(
                    f"[red]MISMATCH[/] {p.code} {p.original_name} ({p.path}): {p.problem}"
                )
            console.print(f"{checked} original(s) checked, {len(problems)} problem(s).")
        if problems:
            raise typer.Exit(7)
