"""The UN-system questionnaire as forms: one record (decision, event, resource, High-Impact
Initiative, partnership, recommendation) at a time, saved as a draft change request of the user's
entity and published into the contributions registry when a reviewer approves it.

The fields of each kind are the registry's own (``contributions.edit.CORRECTABLE``), read by the
same field readers as imports and corrections; the 150-word limit of descriptions is a warning,
as in the questionnaire; SDGs are ticked from the list of the 17 goals, with suggestions from the
tagger (``Workspace.tag``) on request.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from ..errors import NotFound, UserInputError
from ..vocabulary import CONTRIBUTION_KINDS, description_word_limit, record_fields
from . import auth
from .data_requests import API_ERRORS, ChangeRequest, _out, problem_json
from .entry_pages import Words, page_lang, render

router = APIRouter()
KIND_NAMES = {
    "decision": "Governing body decision",
    "event": "Conference, forum or event",
    "resource": "Analytical work, guidance or toolkit",
    "hii": "High-Impact Initiative",
    "partnership": "Initiative or partnership",
    "recommendation": "Recommendation",
}
LONG_FIELDS = {"description", "audience", "beneficiaries"}
SUGGESTIONS_PER_MINUTE = 10  # "Suggest SDGs" per signed-in user: each runs the tagger


class RecordIn(BaseModel):
    kind: Literal["decision", "event", "resource", "hii", "partnership", "recommendation"]
    year: int = Field(..., ge=2000, le=2100, description="the questionnaire year")
    entity: str | None = Field(None, description="admins only: the entity the record is for")
    fields: dict[str, str] = Field(
        ...,
        description="name, description, sdgs ('SDG 6, 11', '9.1'), websites and the "
        "kind's own fields (dates, location, partners ...)",
    )


def _goal_titles(request: Request) -> list[tuple[int, str]]:
    """The 17 goals' titles in the page's language (English where the store has no translation)."""
    ws = request.app.state.workspace
    lang = page_lang(request)
    with ws.lock:
        titles = ws.node_titles("sdg")
        translated = ws.titles_in(lang) if lang != "en" else {}
    return [(g, (translated.get(str(g)) or (None,))[0] or titles.get(str(g), f"Goal {g}")) for g in range(1, 18)]


def _form_page(
    request: Request, kind: str, values: dict, *, goals=(), suggestions=(), note=None, error=None, status=200
):
    if kind not in CONTRIBUTION_KINDS:
        raise NotFound(f"no record kind {kind!r}: expected one of {', '.join(CONTRIBUTION_KINDS)}")
    fields = [(f, h, f in LONG_FIELDS) for f, h in record_fields(kind) if f != "sdgs"]
    return render(
        request,
        "record_new.html",
        {
            "kind": kind,
            "kind_name": KIND_NAMES[kind],
            "kinds": KIND_NAMES,
            "fields": fields,
            "values": values,
            "goals": _goal_titles(request),
            "picked": {int(g) for g in goals},
            "suggestions": list(suggestions),
            "note": note,
            "limit": description_word_limit(),
            "words": len(str(values.get("description") or "").split()),
            "error": error,
            "year": values.get("year") or dt.date.today().year - 1,
        },
        status,
    )


@router.get("/entry/records/new", response_class=HTMLResponse, include_in_schema=False)
def record_form(request: Request, kind: str = "event"):
    auth.form_user(request)
    return _form_page(request, kind, {})


@router.post("/entry/records/new", include_in_schema=False)
async def record_post(request: Request):
    from starlette.concurrency import run_in_threadpool

    user = auth.form_user(request)
    form = await request.form()
    auth.check_csrf(user, form.get("csrf_token"))
    kind = str(form.get("kind") or "")
    if kind not in CONTRIBUTION_KINDS:
        raise NotFound(f"no record kind {kind!r}: expected one of {', '.join(CONTRIBUTION_KINDS)}")
    names = [f for f, _ in record_fields(kind)]
    values = {f: str(form.get(f) or "") for f in names if f != "sdgs"}
    values["year"] = str(form.get("year") or "")
    values["entity"] = str(form.get("entity") or "")
    values["targets"] = str(form.get("targets") or "")
    goals = [int(g) for g in map(str, form.getlist("goal")) if g.isdigit() and 1 <= int(g) <= 17]
    ws = request.app.state.workspace
    if form.get("action") == "suggest":
        wait = request.app.state.suggest_limit.take(user["name"])
        if wait:
            return _form_page(
                request,
                kind,
                values,
                goals=goals,
                error=Words(
                    "SDG suggestions: at most {n} a minute; try again in {wait} s", n=SUGGESTIONS_PER_MINUTE, wait=wait
                ),
                status=429,
            )
        typed = {f: values[f] for f in names if f != "sdgs" and values.get(f)}
        suggested = await run_in_threadpool(ws.review.suggest_record_goals, kind, values["year"], typed)
        return _form_page(
            request, kind, values, goals=goals, suggestions=suggested["goals"], note=suggested["note"] or None
        )
    fields = {f: values[f] for f in names if f != "sdgs" and values.get(f)}
    sdgs = ", ".join([f"SDG {g}" for g in goals] + ([values["targets"]] if values["targets"].strip() else []))
    if sdgs:
        fields["sdgs"] = sdgs
    try:
        created = await run_in_threadpool(
            ws.review.new_record, user, kind, values["year"], fields, entity=values["entity"] or None
        )
    except NotFound:
        raise
    except UserInputError as exc:
        return _form_page(request, kind, values, goals=goals, error=str(exc), status=422)
    return RedirectResponse(f"/entry/requests/{created['id']}", status_code=303)


@router.post(
    "/api/requests/records", response_model=ChangeRequest, status_code=201, tags=["data entry"], responses=API_ERRORS
)
def api_record(request: Request, body: RecordIn, user: dict = Depends(auth.bearer_user)):
    """One questionnaire record as a draft of the user's entity (warnings such as the word limit in its preview)."""
    try:
        return _out(
            request.app.state.workspace.review.new_record(user, body.kind, body.year, body.fields, entity=body.entity)
        )
    except NotFound:
        raise
    except UserInputError as exc:
        return problem_json(exc)
