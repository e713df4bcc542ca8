"""The audit trail for admins (page and CSV), and the public history of published values: each
value with who wrote it, when, and the value it replaced."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..errors import SdgtrackError
from ..review import NotAllowed, NotFound
from ..store.audit import csv_text
from . import auth
from .review import API_ERRORS

router = APIRouter()
PAGE_ROWS = 500


def _admin(user: dict) -> dict:
    if user["role"] != "admin":
        raise NotAllowed(f"{user['name']} is a {user['role']}: the audit trail is for admins")
    return user


@router.get("/admin/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(request: Request, actor: str = "", action: str = "", obj: str = Query("", alias="object")):
    from .entry import render

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
        csv_text(request.app.state.workspace.audit()),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )


@router.get("/history/{code}", response_class=HTMLResponse, include_in_schema=False)
def value_history(
    request: Request, code: str, area: list[str] | None = Query(None, max_length=50), dataset: str | None = None
):
    """Public: every version of a series' (or indicator's) values, current and earlier, with who changed each."""
    from .entry import render

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
