"""Accounts of the live app: users and roles, sessions, API tokens, and which entity owns a dataset.

Passwords are kept only as argon2id hashes (argon2-cffi's defaults). Session and API tokens are
random (``secrets.token_urlsafe(32)``, 256 bits) and stored as their SHA-256: a token that random
needs no slow hash, and a copy of the store gives nobody a way in. Every write is one transaction
with its audit entry (:mod:`sdgtrack.store.audit`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import secrets
from types import TracebackType
from typing import Literal

import duckdb
import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import UserInputError
from . import audit
from .transactions import rollback

ROLES = ("admin", "reviewer", "editor")
SESSION_HOURS = 12
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
ENTITY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._&()-]{0,79}$")
MIN_PASSWORD = 10

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verifying against this when the user does not exist takes as long as a real check, so the
    time of a failed login does not tell whether the name exists. Made on the first password check
    (whatever the name), not at import: hashing costs half a CPU second that every command paid."""
    return _hasher.hash(secrets.token_urlsafe(16))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class _Write:
    """One transaction: the change and its audit entry together, or neither."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        self.con.execute("BEGIN TRANSACTION")
        return self.con

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> Literal[False]:
        if exc_type is None:
            self.con.execute("COMMIT")
        else:
            rollback(self.con)
        return False


def write(con: duckdb.DuckDBPyConnection) -> _Write:
    return _Write(con)


# -- users ---------------------------------------------------------------------------------------
def add_user(
    con: duckdb.DuckDBPyConnection, name: str, role: str, entity: str | None, password: str, actor: str
) -> dict:
    if not NAME.match(name or ""):
        raise UserInputError(
            f"user name {name!r}: expected 1-64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit"
        )
    if role not in ROLES:
        raise UserInputError(f"role {role!r}: expected one of {', '.join(ROLES)}")
    entity = (entity or "").strip() or None
    if role == "editor" and not entity:
        raise UserInputError(
            f"an editor works for an entity: give --entity (the ministry, office or UN entity whose data {name} enters)"
        )
    if entity and not ENTITY.match(entity):
        raise UserInputError(f"entity {entity!r}: expected 1-80 letters, digits, spaces or . _ & ( ) -")
    if len(password or "") < MIN_PASSWORD:
        raise UserInputError(f"password for {name}: expected at least {MIN_PASSWORD} characters")
    if user(con, name) is not None:
        raise UserInputError(f"user {name} exists already (`sdgtrack users list`)")
    row = {"name": name, "role": role, "entity": entity, "created_at": audit.now(), "disabled_at": None}
    with write(con):
        con.execute(
            "INSERT INTO app_user VALUES (?, ?, ?, ?, ?, NULL)",
            [name, role, entity, _hasher.hash(password), row["created_at"]],
        )
        audit.record(con, actor, "user.add", f"user:{name}", None, _public(row))
    return row


def user(con: duckdb.DuckDBPyConnection, name: str) -> dict | None:
    found = con.execute(
        "SELECT name, role, entity, created_at, disabled_at FROM app_user WHERE name = ?", [name]
    ).fetchone()
    return None if found is None else dict(zip(("name", "role", "entity", "created_at", "disabled_at"), found))


def users(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("""SELECT name, role, entity, created_at, disabled_at,
                                 (SELECT count(*) FROM api_token t WHERE t.user_name = u.name AND t.revoked_at IS NULL)
                                 AS tokens
                          FROM app_user u ORDER BY name""").df()


def disable_user(con: duckdb.DuckDBPyConnection, name: str, actor: str) -> dict:
    before = user(con, name)
    if before is None:
        raise UserInputError(f"no user {name!r} (`sdgtrack users list`)")
    if before["disabled_at"] is not None:
        return before
    when = audit.now()
    with write(con):
        con.execute("UPDATE app_user SET disabled_at = ? WHERE name = ?", [when, name])
        con.execute("DELETE FROM app_session WHERE user_name = ?", [name])  # signed out everywhere
        audit.record(
            con, actor, "user.disable", f"user:{name}", _public(before), _public({**before, "disabled_at": when})
        )
    return {**before, "disabled_at": when}


def check_password(con: duckdb.DuckDBPyConnection, name: str, password: str) -> dict | None:
    """The user if ``password`` is theirs and the account is enabled, else None (same cost either way)."""
    dummy = _dummy_hash()  # before the lookup: the first check costs the same for any name
    row = con.execute("SELECT password_hash, disabled_at FROM app_user WHERE name = ?", [name]).fetchone()
    try:
        _hasher.verify(row[0] if row else dummy, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or row[1] is not None:
        return None
    return user(con, name)


# -- sessions ------------------------------------------------------------------------------------
def start_session(con: duckdb.DuckDBPyConnection, name: str) -> tuple[str, str]:
    """A new session for ``name``: (cookie token, CSRF token). Expired sessions are dropped here."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    when = audit.now()
    with write(con):
        con.execute("DELETE FROM app_session WHERE expires_at < ?", [when])
        con.execute(
            "INSERT INTO app_session VALUES (?, ?, ?, ?, ?)",
            [hash_token(token), name, csrf, when, when + dt.timedelta(hours=SESSION_HOURS)],
        )
        audit.record(con, name, "session.start", f"user:{name}")
    return token, csrf


def session(con: duckdb.DuckDBPyConnection, token: str) -> dict | None:
    """The signed-in user of a session cookie, with its CSRF token; None when unknown or expired."""
    found = con.execute(
        """SELECT u.name, u.role, u.entity, s.csrf FROM app_session s JOIN app_user u
                           ON u.name = s.user_name WHERE s.token_hash = ? AND s.expires_at > ?
                           AND u.disabled_at IS NULL""",
        [hash_token(token), audit.now()],
    ).fetchone()
    return None if found is None else dict(zip(("name", "role", "entity", "csrf"), found))


def end_session(con: duckdb.DuckDBPyConnection, token: str) -> None:
    found = con.execute("SELECT user_name FROM app_session WHERE token_hash = ?", [hash_token(token)]).fetchone()
    if found:
        with write(con):
            con.execute("DELETE FROM app_session WHERE token_hash = ?", [hash_token(token)])
            audit.record(con, found[0], "session.end", f"user:{found[0]}")


# -- API tokens ----------------------------------------------------------------------------------
def add_token(con: duckdb.DuckDBPyConnection, name: str, label: str, actor: str) -> tuple[int, str]:
    """A new API token for ``name``: (id, the token). The token is shown once; only its hash is kept."""
    if user(con, name) is None:
        raise UserInputError(f"no user {name!r} (`sdgtrack users list`)")
    label = (label or "").strip() or "script"
    token = "sdgt_" + secrets.token_urlsafe(32)
    with write(con):
        token_id = con.execute("SELECT coalesce(max(id), 0) + 1 FROM api_token").fetchall()[0][0]
        con.execute(
            "INSERT INTO api_token VALUES (?, ?, ?, ?, ?, NULL)",
            [token_id, hash_token(token), name, label, audit.now()],
        )
        audit.record(con, actor, "token.add", f"token:{token_id}", None, {"user": name, "label": label})
    return token_id, token


def revoke_token(con: duckdb.DuckDBPyConnection, token_id: int, actor: str) -> None:
    found = con.execute("SELECT user_name, label, revoked_at FROM api_token WHERE id = ?", [token_id]).fetchone()
    if found is None:
        raise UserInputError(f"no API token {token_id} (`sdgtrack tokens list`)")
    if found[2] is not None:
        return
    with write(con):
        con.execute("UPDATE api_token SET revoked_at = ? WHERE id = ?", [audit.now(), token_id])
        audit.record(
            con,
            actor,
            "token.revoke",
            f"token:{token_id}",
            {"user": found[0], "label": found[1]},
            {"user": found[0], "label": found[1], "revoked": True},
        )


def tokens(con: duckdb.DuckDBPyConnection, name: str | None = None) -> pd.DataFrame:
    where = "WHERE user_name = ?" if name else ""
    return con.execute(
        f"SELECT id, user_name AS user, label, created_at, revoked_at FROM api_token {where} ORDER BY id",
        [name] if name else [],
    ).df()


def token_user(con: duckdb.DuckDBPyConnection, token: str) -> dict | None:
    found = con.execute(
        """SELECT u.name, u.role, u.entity FROM api_token t JOIN app_user u ON u.name = t.user_name
                           WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL""",
        [hash_token(token)],
    ).fetchone()
    return None if found is None else dict(zip(("name", "role", "entity"), found))


# -- which entity owns a dataset -------------------------------------------------------------------
def set_owner(con: duckdb.DuckDBPyConnection, dataset: str, entity: str, actor: str) -> None:
    if not ENTITY.match(entity or ""):
        raise UserInputError(f"entity {entity!r}: expected 1-80 letters, digits, spaces or . _ & ( ) -")
    before = owner(con, dataset)
    with write(con):
        con.execute("INSERT OR REPLACE INTO dataset_owner VALUES (?, ?, ?, ?)", [dataset, entity, actor, audit.now()])
        audit.record(
            con,
            actor,
            "dataset.owner",
            f"dataset:{dataset}",
            None if before is None else {"entity": before},
            {"entity": entity},
        )


def owner(con: duckdb.DuckDBPyConnection, dataset: str) -> str | None:
    found = con.execute("SELECT entity FROM dataset_owner WHERE dataset = ?", [dataset]).fetchone()
    return found[0] if found else None


def dataset_state(con: duckdb.DuckDBPyConnection, dataset: str) -> int | None:
    """The dataset's last load, replace or removal (None: never loaded): a preview made at one
    state is what a publish does only at the same state."""
    found = con.execute("SELECT max(id) FROM load WHERE dataset = ?", [dataset]).fetchone()
    return None if found is None or found[0] is None else int(found[0])


def owned(con: duckdb.DuckDBPyConnection, entity: str | None = None) -> pd.DataFrame:
    where = "WHERE entity = ?" if entity else ""
    return con.execute(
        f"SELECT dataset, entity, assigned_by, assigned_at FROM dataset_owner {where} ORDER BY dataset",
        [entity] if entity else [],
    ).df()


def _public(row: dict) -> dict:
    return {k: row[k] for k in ("name", "role", "entity", "disabled_at") if k in row}
