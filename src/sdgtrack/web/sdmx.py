"""The SDMX REST API (SDMX 2.1 RESTful web services) of the live app, under ``/sdmx/rest``:
``dataflow``, ``datastructure`` and ``data`` with ``startPeriod``, ``endPeriod``, ``detail`` and
``dimensionAtObservation``, so SDMX clients (sdmx1, .Stat tools) read the store directly.

A thin face over ``Workspace.sdmx_*`` (``exchange/serve.py``); the format follows the Accept
header (structure-specific data by default; generic data; SDMX-CSV) or ``format=``. Errors
follow the SDMX REST codes: 400 a bad parameter, 404 nothing matches, 413 too much at once,
each with a plain-text message.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response

from ..errors import NotFound, SdgtrackError, TooLarge
from ..vocabulary import SDMX_AGENCY, SDMX_MEDIA, SDMX_STRUCTURE_MEDIA

TEXT = {"text/plain": {"schema": {"type": "string"}}}


def _documented(*media: str) -> dict:
    return {
        200: {"description": "An SDMX message", "content": {m: {"schema": {"type": "string"}} for m in media}},
        400: {"description": "A parameter is malformed", "content": TEXT},
        404: {"description": "Nothing matches (NoResultsFound)", "content": TEXT},
        413: {"description": "More than one answer holds: narrow the key or the period", "content": TEXT},
        414: {"description": "The key is too long", "content": TEXT},
    }


STRUCTURE_RESPONSES = _documented(SDMX_STRUCTURE_MEDIA)
DATA_RESPONSES = _documented(*SDMX_MEDIA.values())
router = APIRouter(prefix="/sdmx/rest", tags=["sdmx"], default_response_class=Response)
ACCEPT = {
    "genericdata": "generic",
    "structurespecificdata": "structure",
    "data+csv": "csv",
    "text/csv": "csv",
}


def _owner(request: Request):
    return request.app.state.owner


def _failure(exc: SdgtrackError) -> PlainTextResponse:
    status = 404 if isinstance(exc, NotFound) else 413 if isinstance(exc, TooLarge) else 400
    return PlainTextResponse(str(exc), status_code=status)


def _format(request: Request, given: str | None) -> str:
    if given:
        return given
    accept = request.headers.get("accept", "").lower()
    return next((fmt for token, fmt in ACCEPT.items() if token in accept), "structure")


@router.get("/dataflow", responses=STRUCTURE_RESPONSES)
@router.get("/dataflow/{agency}", responses=STRUCTURE_RESPONSES)
@router.get("/dataflow/{agency}/{resource}", responses=STRUCTURE_RESPONSES)
@router.get("/dataflow/{agency}/{resource}/{version}", responses=STRUCTURE_RESPONSES)
def dataflow(
    request: Request,
    agency: str = "all",
    resource: str = "all",
    version: str = "latest",
    references: str = Query(
        "none", pattern="^(none|parents|parentsandsiblings|children|descendants|all|datastructure)$"
    ),
) -> Response:
    """The store's dataflows: one per dataset with observations, structured by the global SDG DSD."""
    if agency not in ("all", SDMX_AGENCY):
        return PlainTextResponse(f"no dataflows of agency {agency!r}; this server's are {SDMX_AGENCY}", 404)
    try:
        body = _owner(request).reader().sdmx.dataflows(None if resource == "all" else resource, references)
    except SdgtrackError as exc:
        return _failure(exc)
    return Response(body, media_type=SDMX_STRUCTURE_MEDIA)


@router.get("/datastructure", responses=STRUCTURE_RESPONSES)
@router.get("/datastructure/{agency}", responses=STRUCTURE_RESPONSES)
@router.get("/datastructure/{agency}/{resource}", responses=STRUCTURE_RESPONSES)
@router.get("/datastructure/{agency}/{resource}/{version}", responses=STRUCTURE_RESPONSES)
def datastructure(request: Request, agency: str = "all", resource: str = "all", version: str = "latest") -> Response:
    """The global SDG data structure definition (IAEG-SDGs:SDG 1.14) with its code lists."""
    try:
        body = _owner(request).reader().sdmx.datastructure(agency, resource)
    except SdgtrackError as exc:
        return _failure(exc)
    return Response(body, media_type=SDMX_STRUCTURE_MEDIA)


@router.get("/data/{flow}", responses=DATA_RESPONSES)
@router.get("/data/{flow}/{key}", responses=DATA_RESPONSES)
@router.get("/data/{flow}/{key}/{provider}", responses=DATA_RESPONSES)
def data(
    request: Request,
    flow: str,
    key: str = "all",
    provider: str = "all",
    start_period: str | None = Query(None, alias="startPeriod", max_length=20),
    end_period: str | None = Query(None, alias="endPeriod", max_length=20),
    detail: str = Query("full", pattern="^(full|dataonly|serieskeysonly|nodata)$"),
    dimension_at_observation: str | None = Query(None, alias="dimensionAtObservation", max_length=40),
    fmt: str | None = Query(None, alias="format", pattern="^(structure|generic|csv)$"),
) -> Response:
    """Observations of one dataflow matching the key (codes in key order, empty for all, + between)."""
    if len(key) > 4000:
        return PlainTextResponse("key longer than 4,000 characters", 414)
    chosen = _format(request, fmt)
    try:
        body, info = (
            _owner(request)
            .reader()
            .sdmx.data(
                flow,
                key,
                start=start_period,
                end=end_period,
                detail=detail,
                dimension_at_observation=dimension_at_observation,
                format=chosen,
            )
        )
    except SdgtrackError as exc:
        return _failure(exc)
    headers = {"X-Sdgtrack-Observations": str(info["observations"]), "X-Sdgtrack-Left-Out": str(info["left_out"])}
    return Response(body, media_type=SDMX_MEDIA[chosen], headers=headers)
