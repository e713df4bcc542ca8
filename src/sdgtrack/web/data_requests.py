"""Change requests in the live app: upload or grid -> preview -> submit -> approve or reject.

The forms (``/entry/...``, session cookie + CSRF token) and the API (``/api/requests/...``, bearer
token) call the same :class:`~sdgtrack.data_entry.Review` methods, which decide who may do what.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, Field

from ..errors import InvalidInputError, NotFound, UserInputError
from ..vocabulary import REQUEST_GRID_COLUMNS, REQUEST_UPLOAD_TYPES, UPLOAD_MAX_BYTES, record_fields
from . import auth
from .entry_pages import Words, render, store_changed

router = APIRouter()
GRID_ROWS = 8  # empty rows the grid form offers
HOME_ROWS = 200  # latest requests listed on /entry


class ChangeRequest(BaseModel):
    """A change request as the API shows it (its payload is not repeated)."""

    id: int
    kind: Literal["data", "record"]
    entity: str
    dataset: str | None = None
    year: int | None = None
    title: str
    file_name: str | None = None
    preview: dict[str, Any] | None = Field(
        None,
        description="data: rows read, new, updated, unchanged, missing and "
        "the first changed rows; record: kind, warnings, words",
    )
    state: Literal["draft", "submitted", "published", "rejected"]
    author: str
    reviewer: str | None = None
    reason: str | None = None
    created_at: datetime
    submitted_at: datetime | None = None
    decided_at: datetime | None = None
    result: dict[str, Any] | None = None


class ErrorOut(BaseModel):
    detail: str = Field(description="What was refused and why")


class ProblemOut(BaseModel):
    file: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str


class InvalidOut(BaseModel):
    detail: str = Field(description="Every problem as one text, as the CLI prints it")
    problems: list[ProblemOut] = Field(
        [], description="each bad cell of an upload: file, line, column, value, expected"
    )


# what every write-API route may answer besides success
API_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "no API token, or an unknown or revoked one"},
    403: {"model": ErrorOut, "description": "this user's role or entity may not do this"},
    404: {"model": ErrorOut, "description": "no such request, or another entity's"},
    422: {"model": InvalidOut, "description": "invalid input, named with what was expected; nothing was changed"},
}


class GridRow(BaseModel):
    series: str = ""
    area: str = ""
    year: str = ""
    value: str = ""
    unit: str = ""


class GridIn(BaseModel):
    dataset: str
    rows: list[GridRow] = Field(..., max_length=5000)
    entity: str | None = None


class RejectIn(BaseModel):
    reason: str = Field(..., max_length=2000)


def _review(request: Request):
    return request.app.state.workspace.review


def problem_json(exc: UserInputError | InvalidInputError) -> JSONResponse:
    body: dict[str, Any] = {"detail": str(exc)}
    if isinstance(exc, InvalidInputError):
        body["problems"] = [
            {"file": p.file, "line": p.line, "column": p.column, "value": p.value, "expected": p.expected}
            for p in exc.problems
        ]
    return JSONResponse(body, status_code=422)


def read_upload(upload: UploadFile) -> bytes:
    """At most one byte over the limit is read: an oversize upload is refused without reading it all."""
    return upload.file.read(UPLOAD_MAX_BYTES + 1)


# -- forms ---------------------------------------------------------------------------------------
@router.get("/entry", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request):
    user = auth.form_user(request)
    review = _review(request)
    requests = review.list(user, limit=HOME_ROWS)
    return render(
        request,
        "home.html",
        {
            "requests": requests,
            "datasets": review.editable_datasets(user),
            "waiting": review.list(user, states=["submitted"]) if review.sees_all(user) else [],
            "kinds": _kinds(),
        },
    )


@router.get("/entry/data/new", response_class=HTMLResponse, include_in_schema=False)
def data_form(request: Request, dataset: str = "", series: str = "", area: str = ""):
    """The upload form and the grid; with a series and an area, the grid holds the dataset's
    current totals of that series and area to edit (plus empty rows to add)."""
    user = auth.form_user(request)
    grid, error = None, None
    if dataset and series.strip() and area.strip():
        try:
            grid = _review(request).current_rows(user, dataset, series.strip(), area.strip())
        except UserInputError as exc:
            error = str(exc)
        if grid is not None:
            grid += [dict.fromkeys(REQUEST_GRID_COLUMNS, "") for _ in range(3)]
    return _data_page(
        request, render, user, dataset=dataset, grid=grid, error=error, loaded={"series": series, "area": area}
    )


def _data_page(request, render, user, *, dataset="", error=None, problems=None, grid=None, status=200, loaded=None):
    review = _review(request)
    rows = grid or [dict.fromkeys(REQUEST_GRID_COLUMNS, "") for _ in range(GRID_ROWS)]
    return render(
        request,
        "data_new.html",
        {
            "datasets": review.editable_datasets(user),
            "dataset": dataset,
            "error": error,
            "problems": problems or [],
            "grid": rows,
            "columns": REQUEST_GRID_COLUMNS,
            "types": REQUEST_UPLOAD_TYPES,
            "max_mb": UPLOAD_MAX_BYTES // (1024 * 1024),
            "loaded": loaded or {},
        },
        status,
    )


@router.post("/entry/data/upload", include_in_schema=False)
def upload_form(
    request: Request,
    csrf_token: str = Form(""),
    dataset: str = Form(""),
    entity: str = Form(""),
    file: UploadFile | None = File(None),
):
    user = auth.form_user(request)
    auth.check_csrf(user, csrf_token)
    if file is None or not file.filename:
        return _data_page(request, render, user, dataset=dataset, error=Words("choose a file to upload"), status=422)
    try:
        created = _review(request).new_data(user, dataset, file.filename, read_upload(file), entity=entity or None)
    except InvalidInputError as exc:
        return _data_page(
            request,
            render,
            user,
            dataset=dataset,
            problems=[str(p) for p in exc.problems],
            error=Words("problems in {file}: {n}; nothing was kept", file=file.filename, n=exc.total),
            status=422,
        )
    except UserInputError as exc:
        return _data_page(request, render, user, dataset=dataset, error=str(exc), status=422)
    return RedirectResponse(f"/entry/requests/{created['id']}", status_code=303)


@router.post("/entry/data/grid", include_in_schema=False)
async def grid_form(request: Request):
    user = auth.form_user(request)
    form = await request.form()
    auth.check_csrf(user, form.get("csrf_token"))
    dataset = str(form.get("dataset") or "")
    rows = [
        {c: str(form.get(f"{c}_{i}") or "") for c in REQUEST_GRID_COLUMNS}
        for i in range(500)
        if any(form.get(f"{c}_{i}") is not None for c in REQUEST_GRID_COLUMNS)
    ]
    try:
        created = await _in_thread(
            _review(request).new_grid, user, dataset, rows, entity=str(form.get("entity") or "") or None
        )
    except InvalidInputError as exc:
        return _data_page(
            request,
            render,
            user,
            dataset=dataset,
            grid=rows,
            problems=[str(p) for p in exc.problems],
            error=Words("problems in the grid (grid.csv: line 2 is the first row): {n}; nothing was kept", n=exc.total),
            status=422,
        )
    except UserInputError as exc:
        return _data_page(request, render, user, dataset=dataset, grid=rows, error=str(exc), status=422)
    return RedirectResponse(f"/entry/requests/{created['id']}", status_code=303)


async def _in_thread(fn, *args, **kwargs):
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args, **kwargs)


@router.get("/entry/requests/{request_id}", response_class=HTMLResponse, include_in_schema=False)
def request_page(request: Request, request_id: int):
    user = auth.form_user(request)
    review = _review(request)
    shown = review.get(user, request_id, payload=True)
    record = review.record_of(shown) if shown["kind"] == "record" else None
    may = {
        "submit": shown["state"] == "draft" and user["role"] in ("editor", "admin"),
        "decide": shown["state"] == "submitted" and user["role"] in ("reviewer", "admin"),
    }
    shown.pop("payload")
    return render(
        request,
        "request.html",
        {"r": shown, "record": record, "may": may, "fields": _record_rows(record) if record else []},
    )


def _record_rows(record) -> list[tuple[str, str]]:

    return [(f, record.field_text(f)) for f, _ in record_fields(record.kind)]


def _decision(request: Request, request_id: int, csrf_token: str, action: str, reason: str = ""):
    user = auth.form_user(request)
    auth.check_csrf(user, csrf_token)
    review = _review(request)
    try:
        if action == "submit":
            review.submit(user, request_id)
        elif action == "approve":
            review.approve(user, request_id)
            store_changed(request)
        else:
            review.reject(user, request_id, reason)
    except NotFound:  # another entity's request: the app's 404 page (NotAllowed: its 403 page)
        raise
    except (InvalidInputError, UserInputError) as exc:
        return render(
            request,
            "message.html",
            {"title": "Not done", "message": str(exc), "back": f"/entry/requests/{request_id}"},
            422,
        )
    return RedirectResponse(f"/entry/requests/{request_id}", status_code=303)


@router.post("/entry/requests/{request_id}/submit", include_in_schema=False)
def submit_form(request: Request, request_id: int, csrf_token: str = Form("")):
    return _decision(request, request_id, csrf_token, "submit")


@router.post("/entry/requests/{request_id}/approve", include_in_schema=False)
def approve_form(request: Request, request_id: int, csrf_token: str = Form("")):
    return _decision(request, request_id, csrf_token, "approve")


@router.post("/entry/requests/{request_id}/reject", include_in_schema=False)
def reject_form(request: Request, request_id: int, csrf_token: str = Form(""), reason: str = Form("")):
    return _decision(request, request_id, csrf_token, "reject", reason)


def _kinds():
    from ..vocabulary import CONTRIBUTION_KINDS

    return CONTRIBUTION_KINDS


# -- API -----------------------------------------------------------------------------------------
def _out(row: dict) -> ChangeRequest:
    return ChangeRequest.model_validate({k: v for k, v in row.items() if k != "payload"})


@router.get("/api/requests", response_model=list[ChangeRequest], tags=["data entry"], responses=API_ERRORS)
def api_list(
    request: Request,
    state: Literal["draft", "submitted", "published", "rejected"] | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
    user: dict = Depends(auth.bearer_user),
):
    """Change requests this token's user may see (an editor its entity's, reviewers and admins all),
    newest first; previews give counts (`GET /api/requests/{id}` adds the rows)."""
    return [_out(r) for r in _review(request).list(user, states=[state] if state else None, limit=limit, offset=offset)]


@router.get("/api/requests/{request_id}", response_model=ChangeRequest, tags=["data entry"], responses=API_ERRORS)
def api_get(request: Request, request_id: int, user: dict = Depends(auth.bearer_user)):
    return _out(_review(request).get(user, request_id))


@router.post(
    "/api/requests/data", response_model=ChangeRequest, status_code=201, tags=["data entry"], responses=API_ERRORS
)
def api_upload(
    request: Request,
    dataset: str = Form(...),
    file: UploadFile = File(...),
    entity: str = Form(""),
    user: dict = Depends(auth.bearer_user),
):
    """Upload a file (CSV, Excel, SDMX-ML) to a dataset of the user's entity: a draft with its preview."""
    try:
        return _out(
            _review(request).new_data(user, dataset, file.filename or "", read_upload(file), entity=entity or None)
        )
    except NotFound:
        raise
    except (UserInputError, InvalidInputError) as exc:
        return problem_json(exc)


@router.post(
    "/api/requests/grid", response_model=ChangeRequest, status_code=201, tags=["data entry"], responses=API_ERRORS
)
def api_grid(request: Request, body: GridIn, user: dict = Depends(auth.bearer_user)):
    """Values as rows (series, area, year, value, unit): a draft, checked and previewed like an upload."""
    try:
        return _out(
            _review(request).new_grid(user, body.dataset, [r.model_dump() for r in body.rows], entity=body.entity)
        )
    except NotFound:
        raise
    except (UserInputError, InvalidInputError) as exc:
        return problem_json(exc)


def _api_move(request: Request, user: dict, request_id: int, action: str, reason: str = ""):
    review = _review(request)
    try:
        if action == "submit":
            row = review.submit(user, request_id)
        elif action == "approve":
            row = review.approve(user, request_id)
            store_changed(request)
        else:
            row = review.reject(user, request_id, reason)
    except NotFound:
        raise
    except (UserInputError, InvalidInputError) as exc:
        return problem_json(exc)
    return _out(row)


@router.post(
    "/api/requests/{request_id}/submit", response_model=ChangeRequest, tags=["data entry"], responses=API_ERRORS
)
def api_submit(request: Request, request_id: int, user: dict = Depends(auth.bearer_user)):
    """Submit a draft for review (an editor of its entity)."""
    return _api_move(request, user, request_id, "submit")


@router.post(
    "/api/requests/{request_id}/approve", response_model=ChangeRequest, tags=["data entry"], responses=API_ERRORS
)
def api_approve(request: Request, request_id: int, user: dict = Depends(auth.bearer_user)):
    """Publish a submitted request (a reviewer or admin): data through the ingest, a record into the registry."""
    return _api_move(request, user, request_id, "approve")


@router.post(
    "/api/requests/{request_id}/reject", response_model=ChangeRequest, tags=["data entry"], responses=API_ERRORS
)
def api_reject(request: Request, request_id: int, body: RejectIn, user: dict = Depends(auth.bearer_user)):
    """Reject a submitted request with a reason (a reviewer or admin)."""
    return _api_move(request, user, request_id, "reject", body.reason)
