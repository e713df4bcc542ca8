"""`sdgtrack users add|list|disable|own`, `sdgtrack tokens add|list|revoke`, `sdgtrack audit export`:
the accounts of the live app's data entry (docs/web-entry.md), through the workspace; when a server
holds the store (its sidecar says so), through that server's admin routes with the key it leaves
beside the store, so a stolen account is stopped without stopping the server."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote

import pandas as pd
import typer

from ..errors import UserInputError
from ..vocabulary import ROLES
from ._common import (
    DbOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    choices,
    console,
    emit,
    existing_store,
    open_db,
)

Role = choices("Role", ROLES)


def open_workspace(db: Optional[Path], create: bool = False):
    """The store as a writable workspace: account commands write (and audit) what they change.
    Only ``users add`` may create the store (the first admin of a new site comes before its data);
    any other account command on a mistyped --db says "no database at ..." and leaves no store."""
    if not create:
        existing_store(db)
    return open_db(db)


def actor() -> str:
    """Who the audit log records for a command: the operating-system account, marked as the CLI."""
    from ..workspace import current_user

    return f"cli:{current_user()}"


class Server:
    """The running server that holds the store, reached on this machine with its local key."""

    def __init__(self, url: str, key: str):
        self.url, self.key = url, key

    def call(self, method: str, route: str, body: dict | None = None) -> Any:
        import urllib.error
        import urllib.request

        request = urllib.request.Request(
            _loopback(self.url) + route,
            data=None if body is None else json.dumps(body).encode("utf-8"),
            method=method,
            headers={"X-Sdgtrack-Local-Key": self.key, "X-Sdgtrack-Actor": actor(), "Content-Type": "application/json"},
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy
        try:
            with opener.open(request, timeout=120) as answer:
                raw = answer.read()
                kind = answer.headers.get("content-type", "")
        except urllib.error.HTTPError as exc:
            try:
                detail = json.loads(exc.read()).get("detail", exc.reason)
            except ValueError:
                detail = exc.reason
            raise UserInputError(f"the server at {self.url} refused: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise UserInputError(
                f"the store is held by the server at {self.url}, which does not answer "
                f"({getattr(exc, 'reason', exc)}): stop it, or try again"
            ) from None
        return json.loads(raw) if "json" in kind else raw.decode("utf-8")


def _loopback(url: str) -> str:
    """The server's URL as this machine reaches it (a server on every interface listens on loopback too)."""
    return url.rstrip("/").replace("//0.0.0.0:", "//127.0.0.1:").replace("//[::]:", "//[::1]:")


def held_by_server(db: Optional[Path]) -> Server | None:
    """The server holding the store, or None when no server runs on it (then the store is opened)."""
    import sdgtrack

    from ..storefiles import server_holding, server_key, server_key_path

    path = sdgtrack.default_db_path(db)
    info = server_holding(path)
    if info is None:
        return None
    url = str(info.get("url", ""))
    key = server_key(path)
    if key is None:
        raise UserInputError(
            f"the store {path} is held by the server at {url} (PID {info.get('pid')}), and this account cannot "
            f"read its key {server_key_path(path)}: run the command as the account that runs the server, or "
            f"use the admin pages at {url}/admin/users"
        )
    return Server(url, key)


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
        server = held_by_server(db)
        if server is not None:
            row = server.call(
                "POST", "/api/admin/users", {"name": name, "role": role.value, "entity": entity, "password": password}
            )
        else:
            with open_workspace(db, create=True) as ws:
                row = ws.accounts.add_user(name, role=role.value, entity=entity, password=password, actor=actor())
        console.print(
            f"added {row['role']} {row['name']}" + (f" for {row['entity']}" if row["entity"] else ""), highlight=False
        )

    @users.command("list")
    def list_(
        fmt: OutputFormat = FormatOption, output: Optional[Path] = OutputOption, db: Optional[Path] = DbOption
    ) -> None:
        """The users, their role, entity, and active API tokens."""
        server = held_by_server(db)
        if server is not None:
            frame = pd.DataFrame(server.call("GET", "/api/admin/users"))
        else:
            with open_workspace(db) as ws:
                frame = ws.accounts.users()
        emit(frame, fmt, output, title=f"{len(frame)} user(s)")

    @users.command("disable")
    def disable(
        name: str = typer.Argument(..., help="The user to disable (signed out at once)."), db: Optional[Path] = DbOption
    ) -> None:
        """Disable a user: sessions end, API tokens stop working; the account stays in the audit trail."""
        server = held_by_server(db)
        if server is not None:
            server.call("POST", f"/api/admin/users/{quote(name, safe='')}/disable")
        else:
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
        server = held_by_server(db)
        if server is not None:
            server.call("PUT", f"/api/admin/datasets/{quote(dataset, safe='')}/owner", {"entity": entity})
        else:
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
        server = held_by_server(db)
        if server is not None:
            made = server.call("POST", "/api/admin/tokens", {"user": name, "label": label})
            token_id, token = made["id"], made["token"]
        else:
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
        server = held_by_server(db)
        if server is not None:
            frame = pd.DataFrame(
                server.call("GET", "/api/admin/tokens" + (f"?user={quote(name, safe='')}" if name else ""))
            )
        else:
            with open_workspace(db) as ws:
                frame = ws.accounts.tokens(name)
        emit(frame, fmt, output, title=f"{len(frame)} token(s)")

    @tokens.command("revoke")
    def token_revoke(
        token_id: int = typer.Argument(..., help="Token id (see `sdgtrack tokens list`)."),
        db: Optional[Path] = DbOption,
    ) -> None:
        """Revoke an API token: it stops working at once."""
        server = held_by_server(db)
        if server is not None:
            server.call("POST", f"/api/admin/tokens/{int(token_id)}/revoke")
        else:
            with open_workspace(db) as ws:
                ws.accounts.revoke_token(token_id, actor=actor())
        console.print(f"revoked token {token_id}", highlight=False)

    @audit.command("export")
    def audit_export(
        output: Path = typer.Option(..., "--output", "-o", help="CSV file to write."), db: Optional[Path] = DbOption
    ) -> None:
        """Write the whole audit log as CSV (id, at_time, actor, action, object, before, after)."""
        server = held_by_server(db)
        if server is not None:
            text = server.call("GET", "/api/admin/audit.csv")
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise UserInputError(f"cannot write the audit log to {output}: {exc.strerror or exc}") from None
            path, n = output, max(len(list(csv.reader(io.StringIO(text)))) - 1, 0)
        else:
            with open_workspace(db) as ws:
                path = ws.accounts.export_audit(output)
                n = len(ws.audit())
        console.print(f"wrote {n:,} audit entries to {path}", highlight=False)
