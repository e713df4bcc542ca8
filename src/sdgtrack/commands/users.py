"""`sdgtrack users add|list|disable|own`, `sdgtrack tokens add|list|revoke`, `sdgtrack audit export`:
the accounts of the live app's data entry (docs/web-entry.md), through the workspace."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..store.accounts import ROLES
from ._common import DbOption, FormatOption, OutputFormat, OutputOption, choices, console, emit, open_db

Role = choices("Role", ROLES)


def open_workspace(db: Optional[Path]):
    """The store as a writable workspace: account commands write (and audit) what they change."""
    return open_db(db)


def actor() -> str:
    """Who the audit log records for a command: the operating-system account, marked as the CLI."""
    from ..store.datasets import current_user

    return f"cli:{current_user()}"


def _password(name: str, from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return typer.prompt(f"password for {name}", hide_input=True, confirmation_prompt=True)


def register(app: typer.Typer) -> None:
    users = typer.Typer(
        help="Accounts of the live app: editors (one entity's data and records), reviewers "
        "(approve or reject), admins.",
        no_args_is_help=True,
    )
    tokens = typer.Typer(
        help="API tokens for scripts (Authorization: Bearer TOKEN); shown once, stored hashed.", no_args_is_help=True
    )
    audit = typer.Typer(
        help="The audit log: every write through the live app and the account commands.", no_args_is_help=True
    )
    app.add_typer(users, name="users")
    app.add_typer(tokens, name="tokens")
    app.add_typer(audit, name="audit")

    @users.command("add")
    def add(
        name: str = typer.Argument(..., help="Sign-in name (letters, digits, . _ - @)."),
        role: Role = typer.Option(..., "--role", help="admin, reviewer or editor."),
        entity: Optional[str] = typer.Option(
            None, "--entity", help="The entity an editor works for (ministry, office, UN entity)."
        ),
        password_stdin: bool = typer.Option(
            False, "--password-stdin", help="Read the password from the first line of standard input."
        ),
        db: Optional[Path] = DbOption,
    ) -> None:
        """Add a user; the password is asked for (twice) unless --password-stdin."""
        password = _password(name, password_stdin)
        with open_workspace(db) as ws:
            row = ws.accounts.add_user(name, role=role.value, entity=entity, password=password, actor=actor())
        console.print(
            f"added {row['role']} {row['name']}" + (f" for {row['entity']}" if row["entity"] else ""), highlight=False
        )

    @users.command("list")
    def list_(
        fmt: OutputFormat = FormatOption, output: Optional[Path] = OutputOption, db: Optional[Path] = DbOption
    ) -> None:
        """The users, their role, entity, and active API tokens."""
        with open_workspace(db) as ws:
            frame = ws.accounts.users()
        emit(frame, fmt, output, title=f"{len(frame)} user(s)")

    @users.command("disable")
    def disable(
        name: str = typer.Argument(..., help="The user to disable (signed out at once)."), db: Optional[Path] = DbOption
    ) -> None:
        """Disable a user: sessions end, API tokens stop working; the account stays in the audit trail."""
        with open_workspace(db) as ws:
            ws.accounts.disable_user(name, actor=actor())
        console.print(f"disabled {name}", highlight=False)

    @users.command("own")
    def own(
        dataset: str = typer.Argument(..., help="Dataset id (see `sdgtrack datasets list`)."),
        entity: str = typer.Option(..., "--entity", help="The entity whose editors may change it."),
        db: Optional[Path] = DbOption,
    ) -> None:
        """Give a dataset to an entity: its editors may then propose changes to it."""
        with open_workspace(db) as ws:
            ws.accounts.set_owner(dataset, entity, actor=actor())
        console.print(f"dataset {dataset} belongs to {entity}", highlight=False)

    @tokens.command("add")
    def token_add(
        name: str = typer.Argument(..., help="The user the token acts for."),
        label: str = typer.Option("script", "--label", help="What the token is for."),
        db: Optional[Path] = DbOption,
    ) -> None:
        """Make an API token; it is printed once and only its hash is kept."""
        with open_workspace(db) as ws:
            token_id, token = ws.accounts.add_token(name, label=label, actor=actor())
        console.print(f"token {token_id} for {name} ({label}); keep it now, it is not shown again:", highlight=False)
        sys.stdout.write(token + "\n")

    @tokens.command("list")
    def token_list(
        name: Optional[str] = typer.Argument(None, help="Only this user's tokens."),
        fmt: OutputFormat = FormatOption,
        output: Optional[Path] = OutputOption,
        db: Optional[Path] = DbOption,
    ) -> None:
        """API tokens (never the tokens themselves): id, user, label, created, revoked."""
        with open_workspace(db) as ws:
            frame = ws.accounts.tokens(name)
        emit(frame, fmt, output, title=f"{len(frame)} token(s)")

    @tokens.command("revoke")
    def token_revoke(
        token_id: int = typer.Argument(..., help="Token id (see `sdgtrack tokens list`)."),
        db: Optional[Path] = DbOption,
    ) -> None:
        """Revoke an API token: it stops working at once."""
        with open_workspace(db) as ws:
            ws.accounts.revoke_token(token_id, actor=actor())
        console.print(f"revoked token {token_id}", highlight=False)

    @audit.command("export")
    def audit_export(
        output: Path = typer.Option(..., "--output", "-o", help="CSV file to write."), db: Optional[Path] = DbOption
    ) -> None:
        """Write the whole audit log as CSV (id, at_time, actor, action, object, before, after)."""
        with open_workspace(db) as ws:
            path = ws.accounts.export_audit(output)
            n = len(ws.audit())
        console.print(f"wrote {n:,} audit entries to {path}", highlight=False)
