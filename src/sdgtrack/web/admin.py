"""The audit trail for admins (page and CSV), the public history of published values (each value
with who wrote it, when, and the value it replaced), and the administration of a running server:
disable users, revoke tokens, reassign dataset owners (pages and API; the CLI through the key the
server leaves beside the store)."""

from __future__ import annotations

import hmac
import re
from typing import Any

import pandas as pd
from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field

from ..errors import NotAllowed, NotFound, SdgtrackError, UserInputError
from . import auth
from .data_requests import API_ERRORS
from .entry_pages import Words, render

router = APIRouter()
PAGE_ROWS = 500


def _admin(user: dict) -> dict:
    if user["role"] != "admin":
        raise NotAllowed(f"{user['name']} is a {user['role']}: the audit trail is for admins")
    return user


@router.get("/admin/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(request: Request, actor: str = "", action: str = "", obj: str = Query("", alias="object")):
    _admin(auth.form_user(request))
    frame = request.app.state.workspace.audit(
        actor=actor or None, action=action or None, object=obj or None, limit=PAGE_ROWS
    )
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return render(
        request, "audit.html", {"rows": rows, "actor": actor, "action": action, "object": obj, "limit": PAGE_ROWS}
    )


@router.get("/admin/audit.csv", include_in_schema=False)
def audit_csv(request: Request):
    _admin(auth.form_user(request))
    return _csv(request)


@router.get(
    "/api/audit",
    tags=["data entry"],
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "the whole audit log as CSV"},
        401: API_ERRORS[401],
        403: API_ERRORS[403],
    },
)
def api_audit(request: Request, user: dict = Depends(auth.bearer_user)):
    """The audit log as CSV (admins): id, at_time, actor, action, object, before, after."""
    _admin(user)
    return _csv(request)


def _csv(request: Request) -> Response:
    return Response(
        request.app.state.workspace.audit_csv(),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )


@router.get("/history/{code}", response_class=HTMLResponse, include_in_schema=False)
def value_history(
    request: Request, code: str, area: list[str] | None = Query(None, max_length=50), dataset: str | None = None
):
    """Public: every version of a series' (or indicator's) values, current and earlier, with who changed each."""
    owner = getattr(request.app.state, "owner", None)
    try:
        if owner is not None:  # the server's cursor for this thread: reads never wait for a write
            ws = owner.reader()
            frame = ws.history(code, areas=area, datasets=[dataset] if dataset else None)
            names = ws.area_names(frame["area"].unique().tolist()) if len(frame) else {}
        else:
            ws = request.app.state.workspace
            with ws.lock:
                frame = ws.history(code, areas=area, datasets=[dataset] if dataset else None)
                names = ws.area_names(frame["area"].unique().tolist()) if len(frame) else {}
    except SdgtrackError as exc:
        raise NotFound(str(exc)) from None
    frame = frame.head(2000)
    frame["area_name"] = frame["area"].map(names)
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return render(request, "history.html", {"code": code, "rows": rows, "areas": area or []})


# -- users, tokens and dataset owners while the server runs ---------------------------------------
# The server holds the store, so the CLI cannot change accounts meanwhile: these pages (session +
# CSRF) and routes (an admin's bearer token, or the key the server leaves beside the store for the
# CLI: ``sdgtrack users|tokens`` on the same machine) do it. Every change is audited with who did it.
LOCAL_KEY_HEADER = "x-sdgtrack-local-key"
LOCAL_ACTOR_HEADER = "x-sdgtrack-actor"


def _accounts(request: Request):
    return request.app.state.workspace.accounts


def _frame_rows(frame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _users_page(request: Request, user: dict, *, done: Words | None = None, error: str | None = None, status=200):
    accounts = _accounts(request)
    return render(
        request,
        "users.html",
        {
            "users": _frame_rows(accounts.users()),
            "tokens": _frame_rows(accounts.tokens()),
            "owners": _frame_rows(accounts.owned()),
            "done": done,
            "error": error,
        },
        status,
    )


@router.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(request: Request):
    return _users_page(request, _admin(auth.form_user(request)))


def _admin_form(request: Request, csrf_token: str) -> dict:
    user = _admin(auth.form_user(request))
    auth.check_csrf(user, csrf_token)
    return user


def _acted(request: Request, user: dict, action) -> Response:
    try:
        done = action()
    except SdgtrackError as exc:
        return _users_page(request, user, error=str(exc), status=422)
    _changed(request)
    return _users_page(request, user, done=done)


def _changed(request: Request) -> None:
    owner = getattr(request.app.state, "owner", None)
    if owner is not None:
        owner.changed()


@router.post("/admin/users/{name}/disable", response_class=HTMLResponse, include_in_schema=False)
def disable_form(request: Request, name: str, csrf_token: str = Form("")):
    user = _admin_form(request, csrf_token)
    return _acted(request, user, lambda: _disable(request, name, user["name"]))


@router.post("/admin/tokens/{token_id}/revoke", response_class=HTMLResponse, include_in_schema=False)
def revoke_form(request: Request, token_id: int, csrf_token: str = Form("")):
    user = _admin_form(request, csrf_token)
    return _acted(request, user, lambda: _revoke(request, token_id, user["name"]))


@router.post("/admin/datasets/owner", response_class=HTMLResponse, include_in_schema=False)
def owner_form(request: Request, csrf_token: str = Form(""), dataset: str = Form(""), entity: str = Form("")):
    user = _admin_form(request, csrf_token)
    return _acted(request, user, lambda: _own(request, dataset, entity, user["name"]))


def _disable(request: Request, name: str, actor: str) -> Words:
    if name == actor:
        raise UserInputError("an admin does not disable their own account here (another admin, or the CLI, does)")
    _accounts(request).disable_user(name[:64], actor=actor)
    return Words("disabled {name}: signed out everywhere, API tokens stopped", name=name)


def _revoke(request: Request, token_id: int, actor: str) -> Words:
    _accounts(request).revoke_token(int(token_id), actor=actor)
    return Words("revoked token {id}", id=token_id)


def _own(request: Request, dataset: str, entity: str, actor: str) -> Words:
    dataset = (dataset or "").strip()[:200]  # checked as a dataset id by set_owner
    entity = (entity or "").strip()
    _accounts(request).set_owner(dataset, entity, actor=actor)
    return Words("dataset {dataset} belongs to {entity}", dataset=dataset, entity=entity)


def admin_actor(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(auth.BEARER)) -> str:
    """Who an admin route acts for: the CLI on this machine (the server's local key, named by the
    key file only the server's account can read), or an admin's API token."""
    key = request.headers.get(LOCAL_KEY_HEADER)
    if key is not None:
        owner = getattr(request.app.state, "owner", None)
        expected = getattr(owner, "local_key", None)
        if not expected or not hmac.compare_digest(key.encode(), expected.encode()):
            raise HTTPException(401, "wrong local key: the CLI reads it from the file beside the store")
        who = re.sub(r"[^A-Za-z0-9._@:-]", "_", request.headers.get(LOCAL_ACTOR_HEADER, "cli:unknown"))[:80]
        return who if who.startswith("cli:") else f"cli:{who}"
    return _admin(auth.bearer_user(request, credentials))["name"]


class NewUserIn(BaseModel):
    name: str = Field(..., max_length=64)
    role: str = Field(..., max_length=20)
    entity: str | None = Field(None, max_length=80)
    password: str = Field(..., max_length=1024)


class NewTokenIn(BaseModel):
    user: str = Field(..., max_length=64)
    label: str = Field("script", max_length=200)


class OwnerIn(BaseModel):
    entity: str = Field(..., max_length=80)


def _json_rows(frame) -> list[dict]:
    from ..results import records

    return records(frame)


def _api(request: Request, action):
    try:
        out = action()
    except SdgtrackError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=422)
    return out


ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {401: API_ERRORS[401], 403: API_ERRORS[403], 422: API_ERRORS[422]}


@router.get("/api/admin/users", tags=["administration"], responses=ADMIN_ERRORS)
def api_users(request: Request, actor: str = Depends(admin_actor)) -> list[dict]:
    """Users: name, role, entity, created, disabled, active API tokens (admins)."""
    return _json_rows(_accounts(request).users())


@router.post("/api/admin/users", status_code=201, tags=["administration"], responses=ADMIN_ERRORS)
def api_add_user(request: Request, body: NewUserIn, actor: str = Depends(admin_actor)):
    """Add a user (admins)."""
    return _api(
        request,
        lambda: _json_rows(
            pd.DataFrame(
                [
                    _accounts(request).add_user(
                        body.name, role=body.role, entity=body.entity, password=body.password, actor=actor
                    )
                ]
            )
        )[0],
    )


@router.post("/api/admin/users/{name}/disable", tags=["administration"], responses=ADMIN_ERRORS)
def api_disable(request: Request, name: str, actor: str = Depends(admin_actor)):
    """Disable a user: their sessions end and their API tokens stop, at once (admins)."""
    result = _api(request, lambda: {"done": str(_disable(request, name, actor))})
    _changed(request)
    return result


@router.get("/api/admin/tokens", tags=["administration"], responses=ADMIN_ERRORS)
def api_tokens(request: Request, user: str | None = Query(None, max_length=64), actor: str = Depends(admin_actor)):
    """API tokens (never the tokens themselves): id, user, label, created, revoked (admins)."""
    return _json_rows(_accounts(request).tokens(user))


@router.post("/api/admin/tokens", status_code=201, tags=["administration"], responses=ADMIN_ERRORS)
def api_add_token(request: Request, body: NewTokenIn, actor: str = Depends(admin_actor)):
    """Make an API token for a user; the answer holds it once (admins)."""

    def add() -> dict:
        token_id, token = _accounts(request).add_token(body.user, label=body.label, actor=actor)
        return {"id": token_id, "user": body.user, "label": body.label, "token": token}

    return _api(request, add)


@router.post("/api/admin/tokens/{token_id}/revoke", tags=["administration"], responses=ADMIN_ERRORS)
def api_revoke(request: Request, token_id: int, actor: str = Depends(admin_actor)):
    """Revoke an API token: it stops working at once (admins)."""
    return _api(request, lambda: {"done": str(_revoke(request, token_id, actor))})


@router.put("/api/admin/datasets/{dataset}/owner", tags=["administration"], responses=ADMIN_ERRORS)
def api_owner(request: Request, dataset: str, body: OwnerIn, actor: str = Depends(admin_actor)):
    """Give a dataset to an entity (admins); requests made for it before are refused at approval."""
    return _api(request, lambda: {"done": str(_own(request, dataset, body.entity, actor))})


@router.get("/api/admin/audit.csv", tags=["administration"], response_class=Response, responses=ADMIN_ERRORS)
def api_audit_local(request: Request, actor: str = Depends(admin_actor)):
    """The whole audit log as CSV (admins, or the CLI on this machine)."""
    return _csv(request)
