"""Commands: serve (the web app), users set-password and users totp (web sign-in)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import typer

from sijill.cli.common import console, ctx_obj, err_console, key_provider, session
from sijill.errors import InputError


def _read_password(password_file: Path | None) -> str:
    if password_file is not None:
        try:
            return password_file.read_text("utf-8").rstrip("\r\n")
        except OSError as exc:
            raise InputError(f"cannot read {password_file}: {exc.strerror}") from None
    return str(typer.prompt("New web password", hide_input=True, confirmation_prompt=True))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _register_user_commands(app: typer.Typer) -> None:
    """Add set-password and totp to the existing `users` group (registered before this module)."""
    group = next((g.typer_instance for g in app.registered_groups if g.name == "users"), None)
    if group is None:
        group = typer.Typer(help="Users and roles (admins).", no_args_is_help=True)
        app.add_typer(group, name="users")

    @group.command("set-password")
    def set_password(
        ctx: typer.Context,
        username: str,
        password_file: Path | None = typer.Option(
            None, "--password-file", help="Read the new password from this file (else prompt)."
        ),
    ) -> None:
        """Set a user's password for the web app (yourself, or anyone as an admin)."""
        from sijill.services import web_auth

        password = _read_password(password_file)
        with session(ctx) as s:
            web_auth.set_password(s, username, password)
        console.print(f"Web password of {username} set.")

    @group.command("totp")
    def totp(ctx: typer.Context, username: str) -> None:
        """Enrol a user's authenticator app (TOTP); prints the secret once. Ends their sessions."""
        from sijill.services import web_auth

        with session(ctx) as s:
            enrolment = web_auth.enrol_totp(s, username)
        console.print(f"TOTP secret for {username} (type it into the authenticator app):")
        console.print(f"  {enrolment.secret}", highlight=False)
        console.print(f"  {enrolment.uri}", highlight=False, soft_wrap=True)
        err_console.print("Shown once: it is stored encrypted and cannot be displayed again.")


def register(app: typer.Typer) -> None:
    """Add `serve`, `users set-password` and `users totp`."""
    _register_user_commands(app)

    @app.command("serve")
    def serve(
        ctx: typer.Context,
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
        port: int = typer.Option(8000, "--port", help="Port to listen on."),
        forwarded_allow_ips: str = typer.Option(
            "127.0.0.1",
            "--forwarded-allow-ips",
            help="Proxies trusted to say the request came over HTTPS (X-Forwarded-Proto) and from "
            "which client address (X-Forwarded-For, used by the per-address sign-in limit).",
        ),
    ) -> None:
        """Run the web app; the workspace is unlocked once and the key kept in memory."""
        import uvicorn

        from sijill.web import create_app
        from sijill.workspace import open_workspace

        opts = ctx_obj(ctx)
        workspace = open_workspace(opts.workspace)
        key = key_provider(workspace, opts)()
        if not _is_loopback(host):
            err_console.print(
                "Warning: listening beyond this machine. Put a TLS proxy in front "
                "(cookies become Secure and HSTS is sent when it forwards HTTPS)."
            )
        console.print(f"Sijill web on http://{host}:{port}/ (Ctrl-C to stop)")
        try:
            uvicorn.run(
                create_app(workspace, key),
                host=host,
                port=port,
                proxy_headers=True,
                forwarded_allow_ips=forwarded_allow_ips,
                server_header=False,
                log_level="warning",
            )
        finally:
            workspace.close()
