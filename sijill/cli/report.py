"""Commands: report (HTML/PDF case report), reproduce (recompute its figures), package (+ verify)."""

from __future__ import annotations

from pathlib import Path

import typer

from sijill.cli.common import CASE_OPTION, JSON_OPTION, console, parse_day, print_json, session

SCOPE_HELP = "Consent scope: coi, iiim, public or named."


def register(app: typer.Typer) -> None:
    """Add the `report`, `reproduce` and `package` commands."""

    @app.command()
    def report(
        ctx: typer.Context,
        case: str | None = CASE_OPTION,
        lang: str = typer.Option("en", "--lang", help="Report language: ar (right to left) or en."),
        scope: str = typer.Option("public", "--for", help=SCOPE_HELP),
        out: Path | None = typer.Option(
            None, "--out", help="New or empty folder (default: a new folder in reports/)."
        ),
        method: list[str] = typer.Option(
            [], "--method", help="Estimation method (repeat for several; default: the default)."
        ),
        seed: int = typer.Option(0, "--seed"),
        on: str | None = typer.Option(
            None, "--on", help="Judge consent as of this day (YYYY-MM-DD; default today)."
        ),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Write a case report (HTML and PDF) within the consent of one scope, with figures."""
        from sijill.services.reports import build_report

        with session(ctx) as s:
            result = build_report(
                s,
                case,
                lang=lang,
                scope=scope,
                out=out,
                methods=tuple(method) or None,
                seed=seed,
                on=parse_day(on),
            )
        if as_json:
            print_json(
                {
                    "directory": result.directory,
                    "html": result.html,
                    "pdf": result.pdf,
                    "manifest": result.manifest,
                    "settings": result.settings.to_dict(),
                }
            )
        else:
            console.print(f"Report: {result.pdf}", highlight=False)
            console.print(f"  HTML: {result.html}", highlight=False)
            console.print(f"  stamps: {result.manifest}", highlight=False)

    @app.command()
    def reproduce(
        ctx: typer.Context,
        report_path: Path = typer.Argument(..., help="A report folder or its report.json."),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Recompute every figure of a report from the workspace; exit 1 if any differ or a file changed."""
        from sijill.services.reports import reproduce_report

        with session(ctx) as s:
            outcome = reproduce_report(s, report_path)
        if as_json:
            print_json(outcome)
        else:
            for item, state in outcome["items"].items():
                parts = outcome["details"].get(item)
                where = f" ({', '.join(map(str, parts))})" if parts else ""
                console.print(f"  {item}: {state}{where}", highlight=False)
            if not outcome["same_version"]:
                console.print(
                    f"Note: the report was made by Sijill {outcome['version']}.", highlight=False
                )
            for name in outcome["files_changed"]:
                console.print(f"  file changed since the report was made: {name}", highlight=False)
            if outcome["differ"]:
                console.print(f"Differ: {', '.join(outcome['differ'])}", highlight=False)
            else:
                console.print("No differences: every figure reproduces.", highlight=False)
        if outcome["differ"] or outcome["files_changed"]:
            raise typer.Exit(1)

    group = typer.Typer(
        help="Signed evidence packages: `sijill package --for SCOPE --out DIR`; "
        "`sijill package verify DIR`.",
        invoke_without_command=True,
    )
    app.add_typer(group, name="package")

    @group.callback()
    def package(
        ctx: typer.Context,
        scope: str | None = typer.Option(None, "--for", help=SCOPE_HELP),
        out: Path | None = typer.Option(None, "--out", help="New or empty folder."),
        case: str | None = CASE_OPTION,
        on: str | None = typer.Option(
            None, "--on", help="Judge consent as of this day (YYYY-MM-DD; default today)."
        ),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Build an evidence package (originals, consented testimonies, custody, signed manifest)."""
        if ctx.invoked_subcommand is not None:
            return
        if scope is None or out is None:
            from sijill.errors import InputError

            raise InputError(
                "give --for SCOPE and --out DIR to build a package",
                hint="e.g. sijill package --for iiim --out ./package-iiim; "
                "or check one: sijill package verify DIR",
            )
        from sijill.services.packages import build_package

        with session(ctx) as s:
            result = build_package(s, scope, out, case, on=parse_day(on))
        if as_json:
            print_json(result)
            return
        console.print(
            f"Package for {result.scope}: {result.directory} ({result.files} files)",
            highlight=False,
        )
        console.print(
            f"  evidence: {', '.join(result.evidence) or 'none'}; "
            f"testimonies: {', '.join(result.testimonies) or 'none'}",
            highlight=False,
        )
        if result.withheld:
            withheld = ", ".join(f"{n} {why}" for why, n in result.withheld.items())
            console.print(f"  withheld: {withheld}", highlight=False)
        console.print(f"  signed by key {result.fingerprint}", highlight=False)

    @group.command("verify")
    def verify(
        directory: Path = typer.Argument(..., help="The package folder."),
        fingerprint: str | None = typer.Option(
            None, "--fingerprint", help="The signer's fingerprint you trust (recorded separately)."
        ),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Check a package's signature and every file's SHA-256 (no workspace needed); exit 1 if not."""
        from sijill.reports.package import verify_package

        result = verify_package(directory, fingerprint)
        if as_json:
            print_json({**result.__dict__, "ok": result.ok})
        else:
            console.print(
                f"Signature: {'valid' if result.signature_valid else 'INVALID'} "
                f"(key {result.fingerprint}"
                + (
                    ""
                    if result.trusted is None
                    else ", trusted"
                    if result.trusted
                    else ", NOT the trusted key"
                )
                + ")",
                highlight=False,
            )
            for label, names in (
                ("changed", result.changed),
                ("missing", result.missing),
                ("extra", result.extra),
            ):
                for name in names:
                    console.print(f"  {label}: {name}", highlight=False)
            verdict = "intact" if result.ok else "NOT intact"
            console.print(f"{result.checked} files checked: package {verdict}", highlight=False)
        if not result.ok:
            raise typer.Exit(1)
