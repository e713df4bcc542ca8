"""The read API (`/api/...`): framework, areas, datasets, observations, national metadata,
progress, index, interlinkages and contributions, JSON or CSV, paged, over the workspace.

Every route is a thin face: it checks its parameters, asks the workspace (on the worker thread's
cursor) and shapes the answer with a model of :mod:`sdgtrack.web.models`. Answers are cached per
store state (:mod:`sdgtrack.web.respond`).
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any, Callable

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic_core import to_json
from starlette.datastructures import URL, QueryParams

from ..errors import SdgtrackError, UserInputError
from ..registries import LINK_LEVELS, TRANSFORMS, or_list
from ..results import Result, plain
from ..vocabulary import LANGUAGES
from ..workspace import Workspace
from . import models as m
from .blocks import Block, SeriesBlocks
from .respond import (
    BLOCKS,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Answer,
    NotFound,
    answer,
    areas_param,
    frame_rows,
    next_page,
    page_of,
    wants_csv,
)

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": m.Problem, "description": "A parameter names nothing known or is out of range"},
    404: {"model": m.Problem, "description": "Nothing there"},
}
CSV = {"text/csv": {"schema": {"type": "string"}}}
# Routes that may start a new analysis run: the per-client limit is part of their contract.
ANALYSIS: dict[int | str, dict[str, Any]] = {
    200: {"content": CSV},
    429: {"model": m.Problem, "description": "Too many new analysis runs from this client a minute (Retry-After)"},
}

router = APIRouter(prefix="/api", tags=["read"], responses=ERRORS)

Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT})")
Offset = Query(0, ge=0, le=10_000_000, description="Items to skip")
Format = Query(None, pattern="^(json|csv)$", description="json (default) or csv; or send Accept: text/csv")
AreaParam = Query(
    None,
    description="Area: M49 code, ISO code, group alias or name, as the CLI takes; repeat "
    "for several (repeats dropped, at most 50)",
)


def admit_analysis(request: Request) -> None:
    """Refuse (429) a client's new analysis run over its runs per minute; kept answers are free."""
    from .auth import address_key, client_address

    limit = getattr(request.app.state, "analysis_limit", None)
    wait = limit.take(address_key(client_address(request))) if limit is not None else 0
    if wait and limit is not None:
        raise HTTPException(
            429,
            f"too many new analysis runs from this address: at most {limit.per_window} a minute "
            f"(answers already computed are not counted); try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )


def choice(what: str, value: str | None, options) -> None:
    options = list(options)
    if value is not None and value not in options:
        raise UserInputError(f"{what} {value!r}: expected {or_list(options)}")


def result_page(request: Request, result: Result, limit: int, offset: int, rows: list[dict] | None = None) -> Answer:
    """A Result as JSON with its main table paged (``rows``: the main table already filtered)."""
    name = next(iter(result.tables))
    doc = result.to_json(tables=[k for k in result.tables if k != name])
    rows = frame_rows(result.table) if rows is None else rows
    page = page_of(request, rows, limit, offset)
    doc["tables"] = {name: page["items"], **doc["tables"]}
    model = m.ResultPage(**doc, table=name, total=page["total"], limit=limit, offset=offset, next=page["next"])
    return Answer(model, page["items"])


def filter_rows(rows: list[dict], column: str, wanted: list[str] | None) -> list[dict]:
    if not wanted or not rows or column not in rows[0]:
        return rows
    keep = set(wanted)
    return [r for r in rows if str(r[column]) in keep]


# -- framework ------------------------------------------------------------------------------------
@router.get("/framework", response_model=m.Page[m.Node], responses={200: {"content": CSV}})
async def framework(
    request: Request,
    framework: str = Query("sdg", max_length=40, description="sdg, u4ssc, wsis ..."),
    level: str | None = Query(None, max_length=40, description="goal, target, indicator (SDG)"),
    parent: str | None = Query(None, max_length=40, description="Only nodes under this code"),
    lang: str = Query("en", max_length=10, description=f"Title language: {', '.join(LANGUAGES)}"),
    limit: int = Limit,
    offset: int = Offset,
    format: str | None = Format,
):  # noqa: A002
    """A framework's nodes in reading order, with titles in one language."""

    def work(ws: Workspace) -> Answer:
        known = ws.frameworks()
        choice("framework", framework, known)
        choice("level", level, ws.framework_levels(framework))
        choice("language", lang, LANGUAGES)
        page = page_of(request, ws.nodes(framework, level=level, parent=parent, lang=lang), limit, offset)
        return Answer(m.Page[m.Node](**page), page["items"])

    return await answer(request, work)


@router.get("/framework/{code}", response_model=m.NodeDetail)
async def framework_node(request: Request, code: str):
    """One node of any framework (SDG goal, target or indicator, U4SSC KPI, WSIS action line): its
    ancestors, children, series with observation counts, translations and crosswalk links."""

    def work(ws: Workspace) -> Answer:
        try:
            node = ws.framework_node(code)
        except UserInputError as exc:
            raise NotFound(str(exc)) from None
        return Answer(m.NodeDetail(**plain(node)))

    return await answer(request, work)


# -- areas ----------------------------------------------------------------------------------------
@router.get("/areas", response_model=m.Page[m.Area], responses={200: {"content": CSV}})
async def areas(
    request: Request,
    group: str | None = Query(
        None, max_length=200, description="Members of a group or region (LDC, SIDS, 747, Africa ...)"
    ),
    kind: str | None = Query(None, max_length=40, description="world, region, country, city ..."),
    limit: int = Limit,
    offset: int = Offset,
    format: str | None = Format,
):  # noqa: A002
    """Areas (countries, regions, groups, cities), world first."""

    def work(ws: Workspace) -> Answer:
        page = page_of(request, frame_rows(ws.areas(group=group, kind=kind)), limit, offset)
        return Answer(m.Page[m.Area](**page), page["items"])

    return await answer(request, work)


@router.get("/areas/{name}", response_model=m.Area)
async def area(request: Request, name: str):
    """One area, named as the CLI takes it (M49 with or without zeros, ISO code, alias, name)."""

    def work(ws: Workspace) -> Answer:
        try:
            code = ws.resolve_area(name)
        except UserInputError as exc:
            raise NotFound(str(exc)) from None
        rows = [r for r in frame_rows(ws.areas()) if r["code"] == code]
        if not rows:
            raise NotFound(f"no area {name!r}")
        return Answer(m.Area(**rows[0]))

    return await answer(request, work)


# -- datasets -------------------------------------------------------------------------------------
@router.get("/datasets", response_model=m.Page[m.Dataset], responses={200: {"content": CSV}})
async def datasets(request: Request, limit: int = Limit, offset: int = Offset, format: str | None = Format):  # noqa: A002
    """The datasets in the store, in the order of preference, with what each holds."""

    def work(ws: Workspace) -> Answer:
        page = page_of(request, frame_rows(ws.datasets()), limit, offset)
        return Answer(m.Page[m.Dataset](**page), page["items"])

    return await answer(request, work)


@router.get("/datasets/{dataset_id}", response_model=m.DatasetDetail)
async def dataset(request: Request, dataset_id: str):
    """One dataset: metadata, counts, loads (file names only) and series."""

    def work(ws: Workspace) -> Answer:
        if dataset_id not in set(ws.datasets()["id"]):
            raise NotFound(f"no dataset {dataset_id!r} in the store")
        shown = ws.dataset(dataset_id)
        counts = frame_rows(ws.datasets().query("id == @dataset_id"))[0]
        loads = []
        for load in frame_rows(shown["loads"]):
            paths = [p for p in str(load.pop("paths") or "").replace("\n", ";").split(";") if p.strip()]
            loads.append({**load, "files": [PurePath(p.strip()).name for p in paths]})
        gaps = shown["without_headline"]
        gaps = frame_rows(gaps) if hasattr(gaps, "columns") else list(gaps or [])
        return Answer(
            m.DatasetDetail(
                **counts,
                loads=[m.Load(**load) for load in loads],
                series_list=[m.DatasetSeries(**r) for r in frame_rows(shown["series"])],
                without_headline=gaps,
            )
        )

    return await answer(request, work)


# -- observations ---------------------------------------------------------------------------------
def _escape_dim(text: str) -> str:
    return text.replace("\\", "\\5C").replace("|", "\\7C").replace("=", "\\3D")


def _observations(
    request: Request,
    codes: list[str],
    area: list[str] | None,
    dataset: list[str] | None,
    start: int | None,
    end: int | None,
    dims: list[str] | None,
    disaggregations: bool,
    as_of: str | None,
    limit: int,
    offset: int,
    in_path: bool = False,
) -> Callable[[Workspace], Answer]:
    def work(ws: Workspace) -> Answer:
        if in_path:  # /api/data/CODE: an unknown code is a missing resource
            try:
                ws.series_codes_for(codes[0])
            except UserInputError as exc:
                raise NotFound(str(exc)) from None
        wanted = []
        for d in dims or []:
            name, sep, value = d.partition("=")
            if not sep or not name.strip():
                raise UserInputError(f"dims {d!r}: expected Name=value, e.g. Sex=FEMALE")
            wanted.append(f"{_escape_dim(name.strip())}={_escape_dim(value.strip())}")
        if start is not None and end is not None and start > end:
            raise UserInputError(f"from {start} is after to {end}")
        blocks = BLOCKS.get()
        # headline rows as JSON: from the series blocks (the rest is read from the store)
        json_of_headlines = not (wanted or disaggregations or as_of) and not wants_csv(
            request.query_params, request.headers.get("accept", "")
        )
        if blocks is not None and json_of_headlines:
            body = _from_blocks(request, ws, blocks, codes, area, dataset, start, end, limit, offset)
            if body is not None:
                return Answer(body=body)
        frame = ws.observations(
            codes or None,
            areas=areas_param(area),
            start=start,
            end=end,
            all_disaggregations=disaggregations or bool(wanted),
            datasets=list(dict.fromkeys(dataset)) if dataset else None,
            as_of=as_of,
        )
        # the frame is this request's own: changed in place, not copied
        frame.pop("source_file")  # a path on the machine that loaded it
        frame["dims"] = frame["dims"].fillna("")
        if wanted:
            parts = frame["dims"].str.split("|")
            frame = frame[parts.map(lambda have: all(w in have for w in wanted))]
        page = page_of(request, frame, limit, offset)
        return Answer(m.Page[m.Observation](**page), page["items"])

    return work


def _from_blocks(
    request: Request,
    ws: Workspace,
    blocks: SeriesBlocks,
    codes: list[str],
    area: list[str] | None,
    dataset: list[str] | None,
    start: int | None,
    end: int | None,
    limit: int,
    offset: int,
) -> bytes | None:
    """The headline observations' page as JSON from the series blocks (web/blocks.py), each block
    read from the store when not kept yet. None when a series' block is too big to keep."""
    series = sorted({s for c in codes for s in ws.series_codes_for(c)})
    wanted_areas = areas_param(area)
    codes_of_areas = sorted({ws.resolve_area(a) for a in wanted_areas}) if wanted_areas else None
    order = tuple(dict.fromkeys(dataset)) if dataset else None

    def block(one: str) -> Block | None:
        return blocks.get((one, order), lambda: ws.headline_runs(one, datasets=list(order) if order else None))

    return _page_json(request.url, series, codes_of_areas, block, start, end, limit, offset)


def _page_json(
    url: URL,
    series: list[str],
    areas: list[str] | None,
    block: Callable[[str], Block | None],
    start: int | None,
    end: int | None,
    limit: int,
    offset: int,
) -> bytes | None:
    """The bytes ``Page[Observation]`` gives for the store read of ``series`` (sorted) x ``areas``
    (sorted stored codes; None: all), in its order: series, then area, then as each block is
    ordered. None where ``block`` gives none."""
    rows: list[bytes] = []
    for one in series:
        kept = block(one)
        if kept is None:
            return None
        rows += kept.select(areas, start, end)
    nxt = next_page(url, len(rows), limit, offset)
    return b"".join(
        (
            b'{"total":%d,"limit":%d,"offset":%d,"next":' % (len(rows), limit, offset),
            b"null" if nxt is None else to_json(nxt),
            b',"items":[',
            b",".join(rows[offset : offset + limit]),
            b"]}",
        )
    )


# /api/data/CODE?area=A answered on the event loop, before routing, when the server keeps all it
# needs (respond.CachedReads' lanes). Only the parameters below, each as the route would take it
# without doubt; anything else (CSV, disaggregations, a repeated or unusual number, an unknown
# code or area, a series not kept yet) goes on to the route.
LANE_NUMBERS = {"from": (1900, 2100), "to": (1900, 2100), "limit": (1, MAX_LIMIT), "offset": (0, 10_000_000)}
LANE_LEAVES = {"all_disaggregations", "format"}
LANE_CELLS = 64  # series x areas answered on the event loop at most
LANE_BYTES = 256 * 1024
_PLAIN_NUMBER = re.compile(r"0|[1-9][0-9]{0,8}")


def data_from_memory(owner: Any, state: str, scope: dict, query: QueryParams) -> bytes | None:
    """``/api/data/CODE`` as JSON from the lookups and series blocks kept for ``state``, or None."""
    code = scope["path"][len("/api/data/") :]
    if not code or "/" in code:
        return None
    numbers: dict[str, int] = {}
    for name in query:
        if name in LANE_LEAVES:
            return None
        if name in LANE_NUMBERS:
            values = query.getlist(name)
            if len(values) != 1 or not _PLAIN_NUMBER.fullmatch(values[0]):
                return None
            low, high = LANE_NUMBERS[name]
            numbers[name] = int(values[0])
            if not low <= numbers[name] <= high:
                return None
    start, end = numbers.get("from"), numbers.get("to")
    datasets = query.getlist("dataset")
    if (start is not None and end is not None and start > end) or len(datasets) > 20:
        return None
    try:
        wanted = areas_param(query.getlist("area"))
    except SdgtrackError:
        return None
    blocks = owner.blocks(state)
    lookups = owner.lookups(state)
    series = lookups.peek(("series", code))
    if not wanted or blocks is None or series is None or len(series) * len(wanted) > LANE_CELLS:
        return None
    areas = [lookups.peek(("area", a)) for a in wanted]
    if None in areas:
        return None
    order = tuple(dict.fromkeys(datasets)) if datasets else None
    body = _page_json(
        URL(scope=scope),
        sorted(set(series)),
        sorted(set(areas)),
        lambda one: blocks.peek((one, order)),
        start,
        end,
        numbers.get("limit", DEFAULT_LIMIT),
        numbers.get("offset", 0),
    )
    return body if body is not None and len(body) <= LANE_BYTES else None


MEMORY_LANES = (("/api/data/", data_from_memory),)


@router.get("/observations", response_model=m.Page[m.Observation], responses={200: {"content": CSV}})
async def observations(
    request: Request,
    code: list[str] = Query(
        ...,
        min_length=1,
        max_length=20,
        description="Series (SH_DYN_MORT) or goal, target or indicator code (3, 3.2, 3.2.1); repeat for several",
    ),
    area: list[str] | None = AreaParam,
    dataset: list[str] | None = Query(
        None,
        max_length=20,
        description="Only these datasets, in this order of preference (default: all, one per series and area)",
    ),
    start: int | None = Query(None, alias="from", ge=1900, le=2100, description="First year"),
    end: int | None = Query(None, alias="to", ge=1900, le=2100, description="Last year"),
    dims: list[str] | None = Query(
        None,
        max_length=10,
        description="Disaggregation Name=value (e.g. Sex=FEMALE); repeat to need several; implies every disaggregation",
    ),
    all_disaggregations: bool = Query(False, description="Every row, not only totals (headline rows)"),
    as_of: str | None = Query(None, max_length=40, description="The store as of a date or time (2026-11-30)"),
    limit: int = Limit,
    offset: int = Offset,
    format: str | None = Format,
):  # noqa: A002
    """Observations, one row per fact: by default the headline (total) rows of the preferred dataset
    per series and area."""
    return await answer(
        request,
        _observations(request, code, area, dataset, start, end, dims, all_disaggregations, as_of, limit, offset),
    )


@router.get("/data/{code}", response_model=m.Page[m.Observation], responses={200: {"content": CSV}})
async def data(
    request: Request,
    code: str,
    area: list[str] | None = AreaParam,
    dataset: list[str] | None = Query(None, max_length=20),
    start: int | None = Query(None, alias="from", ge=1900, le=2100),
    end: int | None = Query(None, alias="to", ge=1900, le=2100),
    all_disaggregations: bool = False,
    limit: int = Limit,
    offset: int = Offset,
    format: str | None = Format,
):  # noqa: A002
    """The observations of one code (as `/api/observations?code=CODE`)."""
    return await answer(
        request,
        _observations(
            request, [code], area, dataset, start, end, None, all_disaggregations, None, limit, offset, in_path=True
        ),
    )


# -- headline series ------------------------------------------------------------------------------
@router.get("/headline", response_model=m.Page[m.HeadlineSeries], responses={200: {"content": CSV}})
async def headline(
    request: Request,
    area: list[str] | None = AreaParam,
    dataset: list[str] | None = Query(None, max_length=20),
    indicator: list[str] | None = Query(None, max_length=300, description="Only these indicators (3.2.1); repeat"),
    limit: int = Limit,
    offset: int = Offset,
    format: str | None = Format,
):  # noqa: A002
    """Each indicator's headline series: the one its headline figure and status speak for on the site,
    and the step of the rule that chose it (the 2030 target, the source's default selection, the title,
    most observations; docs/site.md, "The headline series")."""
    from ..vocabulary import HEADLINE_REASONS

    def work(ws: Workspace) -> Answer:
        frame = ws.headline_series(areas=areas_param(area), datasets=list(dict.fromkeys(dataset)) if dataset else None)
        if indicator:
            frame = frame[frame["indicator"].isin(indicator)]
        frame = frame.assign(why=frame["reason"].map(HEADLINE_REASONS))
        page = page_of(request, frame_rows(frame), limit, offset)
        return Answer(m.Page[m.HeadlineSeries](**page), page["items"])

    return await answer(request, work)


# -- national metadata ----------------------------------------------------------------------------
@router.get("/metadata/{code}", response_model=m.IndicatorMetadata, responses={200: {"content": CSV}})
async def metadata(
    request: Request,
    code: str,
    dataset: list[str] | None = Query(None, max_length=20, description="Only these datasets (repeat)"),
    lang: str = Query("en", max_length=10, description="Language of the texts and labels, where translated"),
    format: str | None = Format,
):  # noqa: A002
    """The national metadata of an indicator (the Open SDG meta files loaded with its datasets):
    every field per dataset, as written and as safe HTML, with its label. An indicator no dataset
    has metadata for answers with no datasets; an unknown code is 404."""
    import json

    from ..metadata_fields import is_setting
    from ..publish.metadata import render_text

    def work(ws: Workspace) -> Answer:
        try:
            frame = ws.indicator_metadata(code, dataset or None, lang=lang)
        except UserInputError as exc:
            if "no indicator" in str(exc):
                raise NotFound(str(exc)) from None
            raise
        titles = dict(zip(ws.datasets()["id"], ws.datasets()["title"]))
        rows = frame_rows(frame)
        out = []
        for dataset_id in dict.fromkeys(r["dataset"] for r in rows):
            mine = [r for r in rows if r["dataset"] == dataset_id]
            fields = [
                m.MetadataField(
                    field=r["field"],
                    label=r["label"],
                    group=r["group"],
                    section=r["section"],
                    lang=r["lang"],
                    value=json.loads(r["value"]) if r["structured"] else r["value"],
                    html=None if is_setting(r["value"], r["structured"]) else render_text(str(r["value"])),
                )
                for r in mine
            ]
            out.append(
                m.DatasetMetadata(
                    dataset=dataset_id,
                    title=titles.get(dataset_id),
                    languages=sorted({r["lang"] for r in mine}),
                    fields=fields,
                )
            )
        csv_rows = [{k: r[k] for k in ("dataset", "field", "label", "group", "lang", "value")} for r in rows]
        return Answer(m.IndicatorMetadata(indicator=code, lang=lang, datasets=out), csv_rows)

    return await answer(request, work)


# -- analyses -------------------------------------------------------------------------------------
@router.get("/progress", response_model=m.ResultPage, responses={200: {"content": CSV}})
async def progress(
    request: Request,
    level: str = Query("series", max_length=20, description="series, indicator, target or goal"),
    area: list[str] | None = AreaParam,
    code: list[str] | None = Query(
        None, max_length=20, description="Only these series (series level) or goal/target/indicator codes"
    ),
    limit: int = Limit,
    offset: int = Offset,
    format: str | None = Format,
):  # noqa: A002
    """The kept progress assessment (the last `sdgtrack progress` run), rolled up to a level."""
    from ..vocabulary import PROGRESS_LEVELS

    def work(ws: Workspace) -> Answer:
        choice("level", level, PROGRESS_LEVELS)
        state = request.app.state.owner.fingerprint()
        result = request.app.state.owner.memo(state, ("progress", level), lambda: ws.kept_progress(level))
        if result is None:
            raise NotFound("the store keeps no progress assessment: run `sdgtrack progress` once")
        rows = frame_rows(result.table)
        wanted = areas_param(area)
        if wanted:
            codes = [c for c in ws.resolve_area_codes(wanted) if c]
            unknown = [w for w, c in zip(wanted, ws.resolve_area_codes(wanted)) if c is None]
            if unknown:
                raise UserInputError(f"unknown area {unknown[0]!r}: expected an M49 code, ISO code, alias or name")
            rows = filter_rows(rows, "area", codes)
        rows = filter_rows(rows, level if rows and level in rows[0] else "series", code)
        return result_page(request, result, limit, offset, rows)

    return await answer(request, work)


@router.get("/index", response_model=m.ResultPage, responses=ANALYSIS)
async def index(
    request: Request,
    codebook: str = Query("sdr2024", pattern="^sdr2024$", description="The shipped SDR 2024 codebook"),
    regions: str = Query("sdr2023", pattern="^sdr2023$", description="The shipped SDR 2023 regions"),
    year: int | None = Query(None, ge=2000, le=2100, description="Data year (default: latest)"),
    table: str = Query("areas", pattern="^(areas|indicators|excluded)$", description="Which table to page"),
    area: list[str] | None = AreaParam,
    limit: int = Limit,
    offset: int = Offset,
    format: str | None = Format,
):  # noqa: A002
    """The SDG Index and Dashboards (SDSN method) over the store's SDR data: the kept index (the last
    `sdgtrack index` run) when the request names no codebook, regions or year and the store keeps
    one; else a run with these parameters (not kept)."""

    def work(ws: Workspace) -> Answer:
        state = request.app.state.owner.fingerprint()
        result = None
        if not {"codebook", "regions", "year"} & set(request.query_params):
            result = request.app.state.owner.memo(state, ("index", "kept"), ws.kept_index)
        if result is None:
            result = request.app.state.owner.memo(
                state,
                ("index", codebook, regions, year),
                lambda: ws.index(codebook, regions, year=year, save=False),
                admit=lambda: admit_analysis(request),
            )
        chosen = Result(
            **{
                **result.__dict__,
                "tables": {table: result.tables[table], **{k: v for k, v in result.tables.items() if k != table}},
            }
        )
        rows = frame_rows(chosen.table)
        wanted = areas_param(area)
        if wanted and rows and "area" in rows[0]:
            resolved = ws.resolve_area_codes(wanted)
            rows = filter_rows(rows, "area", [c for c in resolved if c])
        return result_page(request, chosen, limit, offset, rows)

    return await answer(request, work)


@router.get("/interlinkages", response_model=m.ResultPage, responses=ANALYSIS)
async def interlinkages(
    request: Request,
    level: str = Query("goal", max_length=20, description="series, goal or network"),
    area: list[str] | None = AreaParam,
    transform: str = Query("levels", max_length=20, description="levels, detrend or diff"),
    start: int | None = Query(None, alias="from", ge=1900, le=2100),
    end: int | None = Query(None, alias="to", ge=1900, le=2100),
    min_years: int = Query(10, ge=3, le=100),
    limit: int = Limit,
    offset: int = Offset,
    format: str | None = Format,
):  # noqa: A002
    """Statistical interlinkages (Spearman correlations per area, synergies and trade-offs): the kept run
    (the last `sdgtrack links`) when the request names no area, transform, years or minimum and at
    most the kept run's level; else a run with these parameters (not kept)."""

    def work(ws: Workspace) -> Answer:
        choice("level", level, LINK_LEVELS.names())
        choice("transform", transform, TRANSFORMS.names())
        wanted = areas_param(area)
        state = request.app.state.owner.fingerprint()
        result = None
        if not {"area", "transform", "from", "to", "min_years"} & set(request.query_params):
            kept = request.app.state.owner.memo(state, ("links", "kept"), ws.kept_links)
            if kept is not None and ("level" not in request.query_params or kept.parameters["level"] == level):
                result = kept
        if result is None:
            key = ("links", level, tuple(wanted or ()), transform, start, end, min_years)
            result = request.app.state.owner.memo(
                state,
                key,
                lambda: ws.links(
                    level=level,
                    areas=wanted,
                    transform=transform,
                    start=start,
                    end=end,
                    min_years=min_years,
                    save=False,
                ),
                admit=lambda: admit_analysis(request),
            )
        return result_page(request, result, limit, offset)

    return await answer(request, work)


# -- contributions --------------------------------------------------------------------------------
@router.get("/contributions", response_model=m.Page[m.Contribution], responses={200: {"content": CSV}})
async def contributions(
    request: Request,
    q: str | None = Query(None, max_length=200, description="Words that must all occur in the name or description"),
    sdg: int | None = Query(None, ge=1, le=17),
    entity: str | None = Query(None, max_length=100),
    year: int | None = Query(None, ge=1945, le=2100),
    kind: str | None = Query(None, max_length=40),
    limit: int = Limit,
    offset: int = Offset,
    format: str | None = Format,
):  # noqa: A002
    """Published contributions of UN entities to the SDGs, searchable."""
    from ..vocabulary import CONTRIBUTION_KINDS

    def work(ws: Workspace) -> Answer:
        choice("kind", kind, CONTRIBUTION_KINDS)
        frame = ws.contributions.records(entity=entity, year=year, kind=kind, sdg=sdg, query=q, status="published")
        rows = frame_rows(frame.drop(columns=["hits"], errors="ignore"))
        for row in rows:
            for key in ("sdgs", "countries", "websites"):
                row[key] = list(row.get(key) or [])
        page = page_of(request, rows, limit, offset)
        return Answer(m.Page[m.Contribution](**page), page["items"])

    return await answer(request, work)


@router.get("/cities/{city}/score", response_model=m.ResultPage, responses={200: {"content": CSV}})
async def city_score(
    request: Request, city: str, limit: int = Limit, offset: int = Offset, format: str | None = Format
):  # noqa: A002
    """A city's U4SSC KPIs scored against targets (tables kpis, rollups)."""

    def work(ws: Workspace) -> Answer:
        try:
            result = ws.cities(city)
        except UserInputError as exc:
            raise NotFound(str(exc)) from None
        return result_page(request, result, limit, offset)

    return await answer(request, work)
