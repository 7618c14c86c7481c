"""Commands: unlock, lock, keys rotate|split|recover, audit list|verify|export-head, export, backup, restore."""

from __future__ import annotations

from pathlib import Path

import typer

from sijill.cli.common import (
    CASE_OPTION,
    JSON_OPTION,
    console,
    ctx_obj,
    err_console,
    key_provider,
    passphrase,
    print_json,
    print_table,
    session,
)
from sijill.errors import InputError
from sijill.workspace import open_workspace


def _duration(text: str) -> int:
    units = {"s": 1, "m": 60, "h": 3600}
    try:
        return int(text[:-1]) * units[text[-1]] if text[-1] in units else int(text)
    except (ValueError, IndexError):
        raise InputError(f"{text!r} is not a duration", hint="e.g. 900, 15m or 2h") from None


def register(app: typer.Typer) -> None:
    """Add the witness-protection commands."""
    keys = typer.Typer(
        help="The workspace key: rotate, split into shares, recover.", no_args_is_help=True
    )
    audit = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
    app.add_typer(keys, name="keys")
    app.add_typer(audit, name="audit")

    @app.command()
    def unlock(
        ctx: typer.Context,
        timeout: str = typer.Option("15m", "--timeout", help="How long to stay unlocked."),
    ) -> None:
        """Keep the workspace key in a memory-only agent for a while (like ssh-agent)."""
        from sijill.services.keys import unlock_workspace
        from sijill.services.unlock_agent import start_agent

        opts = ctx_obj(ctx)
        ws = open_workspace(opts.workspace)
        try:
            key = unlock_workspace(ws, passphrase(opts))
            start_agent(ws.settings.workspace_id, key, _duration(timeout))
        finally:
            ws.close()
        console.print(f"Unlocked for {timeout}. `sijill lock` forgets the key sooner.")

    @app.command()
    def lock(ctx: typer.Context) -> None:
        """Make the unlock agent forget the key now."""
        from sijill.services.unlock_agent import stop_agent

        ws = open_workspace(ctx_obj(ctx).workspace, check_schema=False)
        console.print("Locked." if stop_agent(ws.settings.workspace_id) else "Was not unlocked.")

    @keys.command("rotate")
    def rotate(ctx: typer.Context) -> None:
        """New workspace key: data keys re-wrapped, names re-indexed; data itself untouched."""
        from sijill.services.keys import rotate_keys
        from sijill.services.unlock_agent import stop_agent

        with session(ctx) as s:
            from sijill.services.access import Permission

            s.require(Permission.MANAGE_KEYS)
            actor, ws_root = s.actor.username, s.workspace.root
        opts = ctx_obj(ctx)
        ws = open_workspace(ws_root)
        try:
            stop_agent(ws.settings.workspace_id)
            key_id, dropped = rotate_keys(ws, passphrase(opts), actor)
        finally:
            ws.close()
        console.print(
            f"Rotated: new key {key_id}. Make new key shares; old shares and backups open only with the old key."
        )
        if dropped:
            console.print(
                f"Key files that no longer unlock: {', '.join(dropped)} "
                "(make new ones with `sijill keys add-key-file`)."
            )

    @keys.command("add-key-file")
    def add_key_file(
        ctx: typer.Context,
        out: Path = typer.Option(
            ..., "--out", help="New key file (e.g. on a USB stick); never overwritten."
        ),
        label: str = typer.Option(..., "--label", help="A name for this key file."),
    ) -> None:
        """Create a key file that unlocks the workspace without the passphrase (--key-file)."""
        from sijill.services.keys import add_key_file as add

        with session(ctx) as s:
            add(s, out, label)
        console.print(
            f"Key file {label!r} written to {out}. Whoever holds it can unlock the workspace: keep it apart."
        )

    @keys.command("split")
    def split(
        ctx: typer.Context,
        shares: int = typer.Option(3, "--shares"),
        threshold: int = typer.Option(2, "--threshold"),
        out: Path | None = typer.Option(
            None, "--out", help="Write one file per share into this folder."
        ),
    ) -> None:
        """Split the workspace key into shares for trusted people (any THRESHOLD recover it)."""
        from sijill.services.keys import split_key
        from sijill.vault.keys import write_private_file

        with session(ctx) as s:
            texts = split_key(s, shares, threshold)
        if out is None:
            for text in texts:
                typer.echo(text)
            return
        out.mkdir(parents=True, exist_ok=True)
        for n, text in enumerate(texts, start=1):
            write_private_file(out / f"share-{n}.txt", (text + "\n").encode())
        console.print(
            f"{shares} shares written to {out} (any {threshold} recover the key). Give each to a different person."
        )

    @keys.command("recover")
    def recover(
        ctx: typer.Context,
        share: list[str] = typer.Option([], "--share", help="A share's text (repeatable)."),
        share_file: list[Path] = typer.Option(
            [], "--share-file", help="A file holding one share (repeatable)."
        ),
    ) -> None:
        """Recover the workspace key from shares and set a new passphrase."""
        from sijill.services.keys import recover_key
        from sijill.services.session import acting_username

        texts = list(share) + [f.read_text("utf-8").strip() for f in share_file]
        opts = ctx_obj(ctx)
        ws = open_workspace(opts.workspace)
        try:
            key_id = recover_key(
                ws,
                texts,
                passphrase(opts, confirm=True, prompt="New passphrase"),
                acting_username(opts.user),
            )
        finally:
            ws.close()
        console.print(f"Key {key_id} recovered; the workspace now opens with the new passphrase.")

    @audit.command("verify")
    def verify(
        ctx: typer.Context,
        head: Path | None = typer.Option(
            None, "--head", help="An exported signed head: also detects truncation."
        ),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Check the whole audit chain; non-zero exit when anything was modified, inserted, reordered or removed."""
        from sijill.services.audit import verify_audit

        with session(ctx) as s:
            result = verify_audit(s, head)
        if as_json:
            print_json(result)
        elif result.ok:
            console.print(
                f"Audit log intact: {result.entries_checked} entries"
                + (" (matches the signed head)" if head else "")
            )
        else:
            err_console.print(
                f"[red]Audit log FAILED at seq {result.first_bad_seq}:[/] {result.reason}"
            )
        if not result.ok:
            raise typer.Exit(7)

    @audit.command("export-head")
    def export_head(ctx: typer.Context, out: Path = typer.Option(..., "--out")) -> None:
        """Sign the log's head (Ed25519) and write it to a file kept outside the workspace."""
        from sijill.services.audit import export_signed_head, signing_fingerprint

        with session(ctx) as s:
            head = export_signed_head(s, out)
            fingerprint = signing_fingerprint(s)
        console.print(
            f"Head seq {head.seq} signed → {out}. Key fingerprint: {fingerprint} (record it separately)."
        )

    @audit.command("list")
    def list_(
        ctx: typer.Context, limit: int = typer.Option(50, "--limit"), as_json: bool = JSON_OPTION
    ) -> None:
        """Show the latest audit entries (admins and reviewers)."""
        from sijill.services.audit import list_entries

        with session(ctx) as s:
            entries = list_entries(s, limit)
        if as_json:
            print_json([e.body() | {"hash": e.hash} for e in entries])
        else:
            print_table(
                "Audit log",
                ["seq", "time (UTC)", "actor", "action", "target"],
                [[e.seq, e.time, e.actor, e.action, e.target] for e in entries],
            )

    @app.command("export")
    def export(
        ctx: typer.Context,
        scope: str = typer.Option(..., "--for", help="coi, iiim, public or named."),
        out: Path = typer.Option(..., "--out", help="A new folder."),
        case: str | None = CASE_OPTION,
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Export what a recipient may receive under consent; identities as pseudonyms."""
        from sijill.services import cases as case_service
        from sijill.services.export import export_for_scope

        with session(ctx) as s:
            manifest = export_for_scope(s, case_service.resolve_case(s, case).id, scope, out)
        if as_json:
            print_json(manifest.to_dict())
            return
        console.print(
            f"Exported {len(manifest.included_testimonies)} testimonies for {manifest.scope} → {out}"
        )
        for reason, count in sorted(manifest.withheld.items()):
            console.print(f"  withheld {count}: {reason}")

    @app.command()
    def backup(
        ctx: typer.Context,
        out: Path = typer.Option(..., "--out", help="Backup file (outside the workspace)."),
    ) -> None:
        """Write an encrypted, integrity-checked backup of the workspace."""
        from sijill.services.backup import backup as run_backup

        opts = ctx_obj(ctx)
        ws = open_workspace(opts.workspace)
        manifest = run_backup(ws, out, opts.user, key_provider(ws, opts))
        console.print(f"Backup written: {out} ({len(manifest.files)} files, encrypted).")

    @app.command()
    def restore(
        ctx: typer.Context, backup_file: Path, yes: bool = typer.Option(False, "--yes")
    ) -> None:
        """Verify a backup of this workspace completely, then replace the workspace with it."""
        from sijill.services.backup import restore as run_restore

        opts = ctx_obj(ctx)
        ws = open_workspace(opts.workspace, check_schema=False)
        key = key_provider(ws, opts)()
        if not yes:
            typer.confirm(
                f"Replace {ws.root} with {backup_file.name} after verifying it?", abort=True
            )
        manifest = run_restore(ws, backup_file, key)
        console.print(
            f"Restored {len(manifest.files)} files into {ws.root} (every hash verified first)."
        )
