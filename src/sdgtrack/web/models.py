"""The read API's response shapes, so `/openapi.json` describes every answer.

Analyses answer with the workspace's own :class:`~sdgtrack.results.ResultDocument` (plus paging
of the main table); lists answer with :class:`Page`. No model has a field for a server path:
datasets show no `source`, loads no `paths`, observations no `source_file`.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from ..results import ResultDocument

T = TypeVar("T")


class Problem(BaseModel):
    detail: str = Field(description="What was wrong with the request and what was expected")


class Page(BaseModel, Generic[T]):
    total: int = Field(description="How many items match, over every page")
    limit: int
    offset: int
    next: str | None = Field(description="The path and query of the next page (same filters), or null on the last page")
    items: list[T]


class ResultPage(ResultDocument):
    """A Result whose main table is paged (the other tables are whole)."""

    table: str = Field(description="The name of the paged main table")
    total: int = Field(description="Rows of the main table over every page")
    limit: int
    offset: int
    next: str | None


class Node(BaseModel):
    code: str
    level: str
    parent: str | None
    title: str
    title_lang: str = Field(description="The language of `title`: the one asked for, else en (no translation)")
    status: str


class NodeRef(BaseModel):
    code: str
    level: str
    title: str


class Child(NodeRef):
    status: str


class NodeSeries(BaseModel):
    code: str
    description: str | None
    unit: str | None
    observations: int


class Translation(BaseModel):
    lang: str
    kind: str
    title: str
    edition: str


class Link(BaseModel):
    direction: str = Field(description="to: this node links to the other; from: the other links to this one")
    framework: str
    code: str
    title: str | None
    relation: str | None
    source: str | None


class NodeDetail(BaseModel):
    framework: str
    code: str
    level: str
    parent: str | None
    title: str
    unsd_code: str | None
    status: str
    ancestors: list[NodeRef]
    children: list[Child]
    series: list[NodeSeries]
    translations: list[Translation]
    missing_languages: list[str]
    translation_is_older_text: bool
    links: list[Link] = Field(description="Crosswalk links to and from nodes of other frameworks")


class Area(BaseModel):
    code: str
    name: str
    kind: str | None
    parent: str | None
    parent_name: str | None
    iso2: str | None
    iso3: str | None
    alias: str | None


class HeadlineSeries(BaseModel):
    indicator: str
    dataset: str
    series: str
    description: str | None
    reason: str = Field(description="only, target, start, title, observations or code: the step that chose it")
    why: str
    candidates: int = Field(description="How many series with headline values the indicator has there")


class Dataset(BaseModel):
    preference: int
    id: str
    title: str | None
    kind: str | None
    publisher: str | None
    licence: str | None
    observations: int
    series: int
    areas: int
    first_year: int | None
    last_year: int | None
    first_loaded: str | None
    last_loaded: str | None


class Load(BaseModel):
    load: int
    loaded_at: str | None
    action: str | None
    user: str | None
    rows_read: int | None
    rows_new: int | None
    rows_updated: int | None
    rows_unchanged: int | None
    rows_missing: int | None
    rows_removed: int | None
    rows_rejected: int | None
    files: list[str] = Field(description="The names of the files loaded (never their folders)")


class DatasetSeries(BaseModel):
    series: str
    observations: int
    headline: int
    areas: int
    first_year: int | None
    last_year: int | None


class DatasetDetail(Dataset):
    loads: list[Load]
    series_list: list[DatasetSeries]
    without_headline: list[dict[str, Any]] = Field(description="Series with no headline row, and why")


class Observation(BaseModel):
    dataset: str
    series: str
    area: str
    area_name: str | None
    period: str
    year: int
    dims: str = Field(description="Disaggregation as Name=value pairs joined by |; empty for the total")
    unit: str | None
    value: float | None
    value_text: str | None
    is_headline: bool
    nature: str | None
    obs_status: str | None
    source: str | None
    footnote: str | None


class Contribution(BaseModel):
    id: str
    entity: str | None
    year: int | None
    kind: str
    name: str
    sdgs: list[int]
    sdg_source: str | None
    start_date: str | None
    end_date: str | None
    open_end: bool | None
    countries: list[str]
    websites: list[str]
    word_count: int | None
    over_limit: bool | None
    warnings: int | None
    corrected: bool | None
    status: str
    description: str | None


# -- national metadata (Open SDG meta files) ------------------------------------------------------
class MetadataField(BaseModel):
    field: str = Field(description="The repository's key (computation_units, STAT_CONC_DEF, source_url_1 ...)")
    label: str = Field(description="Its label in the language asked for (the repository's, else sdgtrack's)")
    group: str | None = Field(
        description="Where the site lists it: definition, calculation, notes, status, source, other; "
        "null for settings (graph options, switches)"
    )
    section: str | None = Field(description="The repository's schema scope (national, global, source_1 ...)")
    lang: str = Field(description="The language of the text: the one asked for, else en, else the first")
    value: Any = Field(description="As written (HTML or Markdown text), or the JSON value of a setting")
    html: str | None = Field(
        description="The text as safe HTML (p, a to http(s), lists, strong, em, br); null for settings"
    )


class DatasetMetadata(BaseModel):
    dataset: str
    title: str | None
    languages: list[str] = Field(description="The languages of the texts shown")
    fields: list[MetadataField]


class IndicatorMetadata(BaseModel):
    indicator: str
    lang: str
    datasets: list[DatasetMetadata] = Field(description="Each dataset with metadata for it, most preferred first")
