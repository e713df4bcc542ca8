"""SDMX-ML 2.1 data messages (StructureSpecificData or GenericData), read with sdmx1.

Mapping (see docs/ingest.md): SERIES -> series, REF_AREA -> area, TIME_PERIOD -> period,
OBS_VALUE -> value (as written), UNIT_MEASURE (+ UNIT_MULT when not 0) -> unit, NATURE ->
nature, OBS_STATUS -> obs_status, SOURCE_DETAIL -> source, COMMENT_OBS -> footnote. Every other
dimension but FREQ becomes a disaggregation with its SDMX code (``SEX=F``); ``_T``/``_Z`` are
totals for the headline rule.

The data structure definition (DSD) is looked for next to the file and in the two folders
above it (or given as ``options["dsd"]``); without one sdmx1 still reads the message, but
attributes cannot be told from dimensions except by their usual SDG names, and area codes have
no names. Area codes are reference areas when they resolve (M49, ISO) and the DSD name agrees;
other codes (Rwanda's province and district codes ``1``, ``11`` ...) become custom areas
``<country ISO2>-<code>`` named from the DSD code list, under the country of the message.
UNIT_MEASURE and UNIT_MULT are also kept as given (``unit_measure``, ``unit_multiplier``).

A message an Open SDG repository declares in its ``config_data.yml`` (an ``InputSdmxMl_*`` input:
Rwanda) is read with that input's settings too (:class:`OpenSdgInput`), as sdg-build reads it:
the store's key stays the message's (codes, ``_T`` totals), and each row also keeps the columns
the repository's own build publishes (``source_dims``: the breakdowns, ``attributes``: SERIES,
UNIT_MEASURE ...), named and labelled from the DSD in the repository's language, the dropped
dimensions left out, ``_T`` blank, the ``dimension_map`` applied; each indicator's header is the
columns its rows fill (``ReadResult.tables``); series go under the indicators the DSD's
annotations name. See docs/ingest.md.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import InvalidInputError, Problem, UserInputError
from ...frameworks import areas as area_ref
from ..canonical import CANONICAL_NAMES, blank_to_null, dims_sql, escape_dim, escape_dim_sql, quote, sql_str
from ..datasets import DatasetInfo, from_file_stem, slug
from ..registry import ReadResult, register

DATA_ROOTS = ("StructureSpecificData", "GenericData")
SERIES, AREA, TIME, VALUE = "SERIES", "REF_AREA", "TIME_PERIOD", "OBS_VALUE"
# Dimensions that do not split a series: the period format already says the frequency.
NOT_DISAGGREGATIONS = {SERIES, AREA, TIME, "FREQ"}
# Attribute ids of the SDG DSD: used to tell attributes from dimensions when no DSD is found.
SDG_ATTRIBUTES = {
    "UNIT_MEASURE",
    "UNIT_MULT",
    "OBS_STATUS",
    "NATURE",
    "TIME_DETAIL",
    "COMMENT_OBS",
    "COMMENT_TS",
    "SOURCE_DETAIL",
    "BASE_PER",
    "TIME_COVERAGE",
    "UPPER_BOUND",
    "LOWER_BOUND",
    "GEO_INFO_URL",
    "GEO_INFO_TYPE",
    "CUST_BREAKDOWN_LB",
    "DATA_LAST_UPDATE",
}
NATURE_NOT_SPECIFIED = {"_X", "_Z", "NOTSPEC", ""}
INDICATOR_CODE = re.compile(r"\b\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}\b")
# sdg-build's columns that are never breakdowns (open_sdg_indicator_options_defaults): they are
# written as they are named, the others renamed to the DSD's concept name.
OPEN_SDG_NOT_BREAKDOWNS = (
    "Year",
    "Units",
    "Series",
    "Value",
    "GeoCode",
    "Observation status",
    "Unit multiplier",
    "Unit measure",
    "UNIT_MEASURE",
    "SERIES",
    "COMMENT_TS",
    "DATA_LAST_UPDATE",
)
# sdg-build leaves this breakdown's name as its code (Open SDG names it on the page)
KEPT_AS_CODE = "COMPOSITE_BREAKDOWN"
# observation attributes sdg-build never imports: the value, the period and its detail
OMITTED_OBSERVATION_ATTRIBUTES = {VALUE, TIME, "TIME_DETAIL"}


@dataclass(frozen=True)
class OpenSdgInput:
    """An SDMX input of an Open SDG repository as its ``config_data.yml`` declares it (sdg-build's
    ``InputSdmx`` settings, with its defaults where the config is silent)."""

    drop: frozenset[str] = frozenset()
    dimension_map: dict[str, str] = field(default_factory=dict)
    import_codes: bool = False
    import_series_attributes: bool = True
    import_observation_attributes: bool = True
    drop_singleton_dimensions: bool = True
    translate: bool = False  # the repository translates through this DSD (TranslationInputSdmx)
    lang: str = "en"  # the repository's first language: the names its own files are written in
    not_breakdowns: frozenset[str] = frozenset(OPEN_SDG_NOT_BREAKDOWNS)

    @classmethod
    def from_config(cls, spec: dict, config: dict) -> "OpenSdgInput":
        def flag(name: str, default: bool) -> bool:
            value = spec.get(name, default)
            return value if isinstance(value, bool) else str(value).strip().lower() in ("true", "yes", "1")

        dsd = str(spec.get("dsd") or "")
        translate = any(
            isinstance(t, dict) and t.get("class") == "TranslationInputSdmx" and str(t.get("source") or "") == dsd
            for t in config.get("translations") or []
        )
        languages = config.get("languages") or ["en"]
        options = config.get("indicator_options") or {}
        given = options.get("non_disaggregation_columns") if isinstance(options, dict) else None
        not_breakdowns = {"Year", "Value", *(str(c) for c in given)} if given else set(OPEN_SDG_NOT_BREAKDOWNS)
        return cls(
            drop=frozenset(str(d) for d in spec.get("drop_dimensions") or []),
            dimension_map={str(k): "" if v is None else str(v) for k, v in (spec.get("dimension_map") or {}).items()},
            import_codes=flag("import_codes", False),
            import_series_attributes=flag("import_series_attributes", True),
            import_observation_attributes=flag("import_observation_attributes", True),
            drop_singleton_dimensions=flag("drop_singleton_dimensions", True),
            translate=translate,
            lang=str(languages[0]) if isinstance(languages, list) and languages else "en",
            not_breakdowns=frozenset(not_breakdowns),
        )


def _head(path: Path, size: int = 4096) -> str:
    try:
        with open(path, "rb") as f:
            return f.read(size).decode("utf-8", "replace")
    except OSError:
        return ""


def _root(path: Path) -> str | None:
    """Local name of the XML root element (the message type), from the first bytes."""
    head = re.sub(r"<\?.*?\?>|<!--.*?-->", "", _head(path), flags=re.DOTALL)
    m = re.search(r"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]", head)
    return m.group(1) if m else None


def is_data_message(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() == ".xml" and _root(path) in DATA_ROOTS


def is_structure_message(path: Path) -> bool:
    return path.suffix.lower() == ".xml" and _root(path) == "Structure"


# A folder that holds one upload of the live app (review.py writes this file there): the search
# for a structure message stops at it, so an upload never takes a structure file from elsewhere.
UPLOAD_MARKER = ".sdgtrack-upload"


def _shared_folders() -> set[Path]:
    """Folders anyone may write to: a structure file found there could be anyone's."""
    import tempfile

    return {Path(p).resolve() for p in (tempfile.gettempdir(), "/tmp", "/var/tmp", "/dev/shm")}


def find_dsd(path: Path) -> Path | None:
    """A structure message next to the data file or up to two folders above it, never in a shared
    temporary folder (``/tmp`` itself) and never above an upload's own folder."""
    folder = path.parent
    shared = _shared_folders()
    for _ in range(3):
        if folder.resolve() in shared:
            break
        for candidate in sorted(folder.glob("*.xml")):
            if (
                candidate != path
                and is_structure_message(candidate)
                and "DataStructure" in candidate.read_text("utf-8", "replace")
            ):
                return candidate
        if folder.parent == folder or (folder / UPLOAD_MARKER).exists():
            break
        folder = folder.parent
    return None


class SdmxReader:
    name = "sdmx"
    summary = "SDMX-ML 2.1 message"
    description = "SDMX-ML 2.1 data message (StructureSpecificData or GenericData, with its DSD when found)"
    priority = 15

    def detect(self, path: Path) -> bool:
        return is_data_message(path)

    def read(self, con, path: Path, staging: str, options: dict) -> ReadResult:
        import sdmx

        logging.getLogger("sdmx").setLevel(logging.ERROR)  # "no structure=" chatter; we report it as a note
        result = ReadResult()
        dsd_path = Path(options["dsd"]) if options.get("dsd") else find_dsd(path)
        dsd, codelists = None, {}
        if dsd_path is not None:
            try:
                with (
                    warnings.catch_warnings(),
                    contextlib.redirect_stdout(io.StringIO()),
                    contextlib.redirect_stderr(io.StringIO()),
                ):
                    warnings.simplefilter("ignore")
                    structure = sdmx.read_sdmx(dsd_path)
                dsd = next(iter(structure.structure.values()), None)
                codelists = {
                    d.id: d.local_representation.enumerated
                    for d in dsd.dimensions.components
                    if d.local_representation is not None and d.local_representation.enumerated is not None
                }
                result.notes.append(f"{path.name}: structure from {dsd_path.name} ({dsd.urn or dsd.id})")
            except Exception as exc:  # noqa: BLE001 - any parse failure of the DSD
                raise InvalidInputError(
                    [Problem(str(dsd_path), None, None, None, f"a readable SDMX-ML structure message ({_why(exc)})")]
                ) from None
        else:
            result.notes.append(
                f"{path.name}: no DSD found next to it; attributes told from dimensions by their "
                "SDG names, area codes resolved as M49/ISO codes"
            )
        try:
            # sdmx1 prints its parser state on errors: the user gets one Problem instead
            with (
                warnings.catch_warnings(),
                contextlib.redirect_stdout(io.StringIO()),
                contextlib.redirect_stderr(io.StringIO()),
            ):
                warnings.simplefilter("ignore")
                message = sdmx.read_sdmx(path, structure=dsd) if dsd is not None else sdmx.read_sdmx(path)
        except Exception as exc:  # noqa: BLE001 - XML syntax, schema or model errors of a damaged file
            cause = exc.__cause__ or exc.__context__ or exc
            raise InvalidInputError(
                [
                    Problem(
                        str(path),
                        _error_line(cause),
                        None,
                        None,
                        f"a readable SDMX-ML 2.1 data message ({_why(cause)})",
                    )
                ]
            ) from None
        if not getattr(message, "data", None):
            raise InvalidInputError([Problem(str(path), None, None, None, "an SDMX-ML data message with a data set")])

        frame, levels = _observations(message, dsd)
        if frame.empty:  # like a header-only CSV: an error, not an empty load
            raise InvalidInputError(
                [
                    Problem(
                        str(path),
                        None,
                        None,
                        None,
                        "observations (<Obs>) in the data set: the message has none (no rows)",
                    )
                ]
            )
        missing = [c for c in (SERIES, AREA, TIME) if c not in frame.columns]
        if missing:
            raise InvalidInputError(
                [Problem(str(path), None, c, None, f"an SDMX dimension {c} (SDG data structure)") for c in missing]
            )
        frame["__line"] = _obs_lines(path, frame, [c for c in frame.columns if c in _dimension_ids(dsd, frame)])

        areas, new_areas, area_notes = _map_areas(
            con, frame[AREA].unique(), codelists.get(AREA), options.get("area"), path
        )
        result.areas += new_areas
        result.notes += area_notes
        frame["__area"] = frame[AREA].map(areas)
        layout: OpenSdgInput | None = options.get("opensdg")
        # a repository's DSD says where its series go, known series too (sdg-build reads only that)
        series_desc, series_ind = _series_info(con, codelists.get(SERIES), every_series=layout is not None)
        frame["__desc"] = frame[SERIES].map(series_desc)
        frame["__indicator"] = frame[SERIES].map(series_ind)
        written = _as_written(frame, dsd, layout, levels, _root(path)) if layout is not None else []

        dims = [c for c in _dimension_ids(dsd, frame) if c not in NOT_DISAGGREGATIONS and c in frame.columns]
        for name in ("UNIT_MEASURE", "UNIT_MULT", "NATURE", "OBS_STATUS", "SOURCE_DETAIL", "COMMENT_OBS"):
            if name not in frame.columns:
                frame[name] = None
        raw = frame[
            [c for c in frame.columns if not c.startswith("__")]
            + ["__value", "__line", "__area", "__desc", "__indicator"]
            + [column for _, column, _ in written]
        ]
        con.execute("SELECT 1").fetchall()  # register() refuses while a fetchone() result is pending
        con.register("__sdmx_frame", raw)
        try:
            con.execute("CREATE OR REPLACE TEMP TABLE __sdmx_raw AS SELECT COLUMNS(*)::VARCHAR FROM __sdmx_frame")
        finally:
            con.unregister("__sdmx_frame")
        not_specified = ", ".join(sql_str(c) for c in NATURE_NOT_SPECIFIED)
        result.blank_values = con.execute(
            "SELECT count(*) FROM __sdmx_raw WHERE nullif(trim(__value), '') IS NULL"
        ).fetchone()[0]
        if layout is not None:
            source_dims = _pairs_sql([(label, column) for label, column, breakdown in written if breakdown])
            attributes = _pairs_sql([(label, column) for label, column, breakdown in written if not breakdown])
        else:  # a message on its own: its key is all it says (no other build's columns to keep)
            source_dims = attributes = "NULL"
        con.execute(f"""
            INSERT INTO {staging} ({", ".join(CANONICAL_NAMES)}, unit_measure, unit_multiplier, source_dims, attributes)
            SELECT trim({SERIES}), __desc, __indicator, __area, trim({TIME}), trim(__value),
                   coalesce(trim(UNIT_MEASURE), '') ||
                       CASE WHEN coalesce(trim(UNIT_MULT), '') IN ('', '0') THEN '' ELSE ' x10^' || trim(UNIT_MULT) END,
                   CASE WHEN coalesce(trim(NATURE), '') NOT IN ({not_specified}) THEN trim(NATURE) END,
                   {blank_to_null("OBS_STATUS")}, {blank_to_null("SOURCE_DETAIL")}, {blank_to_null("COMMENT_OBS")},
                   {dims_sql(dims)}, {sql_str(str(path))}, __line::INTEGER,
                   {blank_to_null("UNIT_MEASURE")}, {blank_to_null("UNIT_MULT")}, {source_dims}, {attributes}
            FROM __sdmx_raw WHERE nullif(trim(__value), '') IS NOT NULL""")
        if layout is not None:
            result.tables = _headers(con, frame, written, path)
            result.notes += _layout_notes(frame, layout, path)
        n_series = con.execute("SELECT count(DISTINCT SERIES) FROM __sdmx_raw").fetchone()[0]
        con.execute("DROP TABLE __sdmx_raw")
        result.rows = len(frame) - result.blank_values
        result.notes.append(
            f"{path.name}: {result.rows:,} observations of {n_series} series, dimensions {', '.join(dims) or 'none'}"
        )
        return result

    def default_dataset(self, path: Path) -> DatasetInfo:
        """``sdmx-<agency>-<dataflow>`` from the message header's structure reference."""
        ref = re.search(r"<(?:\w+:)?Ref\b[^>]*>", _head(path))
        agency = re.search(r'agencyID="([^"]+)"', ref.group(0)) if ref else None
        flow = re.search(r'\bid="([^"]+)"', ref.group(0)) if ref else None
        if not (agency and flow):
            return from_file_stem(path)
        return DatasetInfo(
            slug(f"sdmx-{agency.group(1)}-{flow.group(1)}"),
            f"SDMX dataflow {agency.group(1)}:{flow.group(1)}",
            "other",
            agency.group(1),
        )


def _observations(message, dsd) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """One row per observation: every key value and attribute as text, the value as written; and
    the ids of the attributes given per series and per observation, in the order first met."""
    records = []
    levels: dict[str, dict[str, None]] = {"series": {}, "obs": {}}
    for data_set in message.data:
        ds_attrs = {k: _text(v) for k, v in data_set.attrib.items()}
        for obs in data_set.obs:
            rec = dict(ds_attrs)
            if obs.series_key is not None:
                rec.update({k: _text(v) for k, v in obs.series_key.attrib.items()})
                levels["series"].update(dict.fromkeys(obs.series_key.attrib))
                rec.update({k: str(v.value) for k, v in obs.series_key.values.items()})
            if obs.dimension is not None:
                rec.update({k: str(v.value) for k, v in obs.dimension.values.items()})
            rec.update({k: _text(v) for k, v in obs.attrib.items()})
            levels["obs"].update(dict.fromkeys(obs.attrib))
            rec["__value"] = None if obs.value is None else str(obs.value)
            records.append(rec)
    frame = pd.DataFrame.from_records(records)
    frame = frame.astype(object).where(frame.notna(), None) if len(frame) else frame
    return frame, {level: list(ids) for level, ids in levels.items()}


def _text(attribute_value) -> str:
    value = attribute_value.value
    return str(getattr(value, "id", value)) if value is not None else ""


def _localized(name, lang: str) -> str | None:
    """A DSD name in ``lang``, None where the DSD has none in it."""
    text = getattr(name, "localizations", {}).get(lang) if name is not None else None
    return str(text) if text else None


def _dsd_names(dsd, lang: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """(component id -> its concept's name, component id -> {code -> name}) in ``lang``, for every
    dimension and attribute of the DSD with a name (a code list) in that language."""
    concepts: dict[str, str] = {}
    codes: dict[str, dict[str, str]] = {}
    if dsd is None:
        return concepts, codes
    for component in [*dsd.dimensions.components, *dsd.attributes.components]:
        concept = getattr(component, "concept_identity", None)
        name = _localized(concept.name, lang) if concept is not None else None
        if name:
            concepts[component.id] = name
        representation = getattr(component, "local_representation", None)
        codelist = representation.enumerated if representation is not None else None
        if codelist is not None:
            codes[component.id] = {c.id: n for c in codelist if (n := _localized(c.name, lang))}
    return concepts, codes


def _as_written(
    frame: pd.DataFrame, dsd, layout: OpenSdgInput, levels: dict[str, list[str]], root: str | None
) -> list[tuple[str, str, bool]]:
    """The columns the repository's own build writes for each row, as sdg-build's SDMX input makes
    them: (column name, the frame column holding each row's cell, whether it is a breakdown). Adds
    those cells to ``frame`` (``__w0`` ...; None where sdg-build has no value, ``_T`` among them).
    Labels are looked up over the distinct codes of a column, never per row."""
    concepts, codes = _dsd_names(dsd, layout.lang)
    series_level = levels["series"] if layout.import_series_attributes or root == "StructureSpecificData" else []
    # sdmx1 gives an attribute at observation level where two Series elements of one key differ in
    # it (Rwanda's UNIT_MEASURE): it is still the series' attribute the message wrote
    obs_level = (
        [a for a in levels["obs"] if a not in OMITTED_OBSERVATION_ATTRIBUTES and a not in levels["series"]]
        if layout.import_observation_attributes
        else []
    )
    # sdg-build's row: the observation's attributes, then the series' key and attributes
    order = dict.fromkeys([*obs_level, *(d for d in _dimension_ids(dsd, frame) if d != TIME), *series_level])
    ids = [c for c in order if c in frame.columns and c not in layout.drop]
    written, seen = [], Counter()
    for i, cid in enumerate(ids):
        if cid in layout.dimension_map:
            raw_name = layout.dimension_map[cid]
        else:
            raw_name = cid if layout.import_codes else concepts.get(cid, cid)
        label = raw_name
        if layout.translate and raw_name == cid and raw_name not in layout.not_breakdowns and raw_name != KEPT_AS_CODE:
            label = concepts.get(cid, cid)  # the column's name translated through the DSD
        seen[label] += 1
        if seen[label] > 1:  # pandas numbers a repeated name: Sex, Sex1 ...
            label = f"{label}{seen[label] - 1}"
        names = codes.get(cid)
        mapping = {code: _value_label(cid, code, raw_name, layout, names) for code in pd.unique(frame[cid].dropna())}
        column = f"__w{i}"
        cells = frame[cid].map(mapping)
        frame[column] = cells.astype(object).where(cells.notna(), None)
        written.append((label, column, raw_name not in layout.not_breakdowns))
    return written


def _value_label(cid: str, code: str, raw_name: str, layout: OpenSdgInput, names: dict[str, str] | None) -> str | None:
    """A cell as sdg-build writes it: the ``dimension_map`` first, ``_T`` (no breakdown) blank, the
    code or its name, then translated through the DSD when the repository says so."""
    mapped = layout.dimension_map.get(f"{cid}|{code}")
    if mapped is not None:
        return mapped
    if code == "_T":
        return None
    if names is None:  # free text (COMMENT_OBS) or a code list the DSD does not give
        return code
    if not layout.import_codes or (layout.translate and raw_name == cid):
        return names.get(code, code)
    return code


def _pairs_sql(cells: list[tuple[str, str]]) -> str:
    """``Name=value`` pairs escaped and sorted like ``dims`` (canonical.dims_sql), of the cells
    sdg-build writes: a blank ``''`` cell it writes (``REF_AREA|RW: ''``) is a pair with an empty
    value, so the column is known as a breakdown; a cell it leaves out (``_T``) is no pair."""
    if not cells:
        return "''"
    parts = [
        f"CASE WHEN {quote(column)} IS NOT NULL THEN {sql_str(escape_dim(label) + '=')} || "
        f"{escape_dim_sql(quote(column))} END"
        for label, column in sorted(cells, key=lambda c: escape_dim(c[0]))
    ]
    return f"concat_ws('|', {', '.join(parts)})"


def _headers(con, frame: pd.DataFrame, written: list[tuple[str, str, bool]], path: Path) -> list:
    """Each indicator's header as sdg-build writes it: Year, the columns its rows fill (a blank
    ``''`` cell fills one; ``_T`` does not), Value. An indicator's rows are those of the series the
    DSD's annotations and the store's links put under it (what the site publishes there)."""
    labels = np.array([label for label, _, _ in written], dtype=object)
    columns = [column for _, column, _ in written]
    present = frame[columns].notna().groupby(frame[SERIES]).any()
    has_value = frame["__value"].fillna("").astype(str).str.strip().ne("").groupby(frame[SERIES]).any()
    members: dict[str, set[str]] = {}
    pairs = frame[[SERIES, "__indicator"]].drop_duplicates()
    for series, indicators in zip(pairs[SERIES], pairs["__indicator"]):
        for code in indicators.split(",") if isinstance(indicators, str) else []:
            members.setdefault(code, set()).add(series)
    stored = con.execute(
        "SELECT series, indicator FROM series_indicator WHERE series IN (SELECT unnest(?::VARCHAR[]))",
        [[str(s) for s in present.index]],
    ).fetchall()
    for series, code in stored:
        members.setdefault(code, set()).add(series)
    tables = []
    for code in sorted(members):
        rows = sorted(members[code])
        filled = present.loc[rows].any(axis=0).to_numpy(dtype=bool)
        header = ["Year", *labels[filled].tolist(), "Value"]
        tables.append((str(path), code, header, bool(has_value.loc[rows].any())))
    return tables


def _layout_notes(frame: pd.DataFrame, layout: OpenSdgInput, path: Path) -> list[str]:
    """What the repository's settings left out of its files, said once (the store keeps it all)."""
    notes = []
    dropped = [d for d in sorted(layout.drop) if d in frame.columns]
    if dropped:
        notes.append(
            f"{path.name}: read as config_data.yml declares it; {', '.join(dropped)} left out of the data files "
            "(drop_dimensions), kept in the store (key, nature, status, source, footnote, unit multiplier)"
        )
    if layout.drop_singleton_dimensions:
        notes.append(
            f"{path.name}: drop_singleton_dimensions is not applied: a column with one value is kept in the data files"
        )
    return notes


def _dimension_ids(dsd, frame: pd.DataFrame) -> list[str]:
    if dsd is not None:
        return [d.id for d in dsd.dimensions.components]
    return [c for c in frame.columns if not c.startswith("__") and c not in SDG_ATTRIBUTES]


def _obs_lines(path: Path, frame: pd.DataFrame, dim_ids: list[str]) -> pd.Series:
    """The XML line of each observation (StructureSpecificData), so problems can point at it."""
    from lxml import etree

    lines: dict[tuple, int] = {}
    try:
        series_attrs: dict = {}
        for _event, el in etree.iterparse(str(path), events=("start",)):
            local = etree.QName(el).localname
            if local == "Series":
                series_attrs = dict(el.attrib)
            elif local == "Obs":
                merged = {**series_attrs, **el.attrib}
                lines.setdefault(tuple(merged.get(d) for d in dim_ids), el.sourceline)
    except Exception:  # noqa: BLE001 - sdmx1 already read the file; lines are a courtesy
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    keys = frame[dim_ids].itertuples(index=False, name=None)
    return pd.Series([lines.get(k) for k in keys], index=frame.index, dtype=object)


def _map_areas(con, codes, codelist, default_area: str | None, path: Path):
    """REF_AREA code -> store area code; sub-national codes become custom areas under the country."""
    names = {c.id: str(c.name) for c in codelist} if codelist is not None else {}
    # Without names, a message that names its country by ISO code and other areas by numbers
    # (Rwanda: RW, 1, 11 ...) uses national numbering: '1' there is not M49 World.
    national_numbering = not names and any(
        c.isalpha() and (r := _try_resolve(con, c)) is not None and _kind(con, r) == "country" for c in codes
    )
    mapping, unresolved = {}, []
    for code in codes:
        ref = None if national_numbering and code.isdigit() else _try_resolve(con, code)
        if ref is not None and (code not in names or _same_area(con, ref, names[code])):
            mapping[code] = ref
        else:
            unresolved.append(code)
    if not unresolved:
        return mapping, [], []
    countries = sorted({c for c in mapping.values() if _kind(con, c) == "country"})
    country = default_area or (countries[0] if len(countries) == 1 else None)
    if country is None:
        raise InvalidInputError(
            [
                Problem(
                    str(path),
                    None,
                    AREA,
                    ", ".join(sorted(unresolved)[:10]),
                    "M49 or ISO area codes; for sub-national codes name their country with --area (e.g. --area RWA)",
                )
            ]
        )
    iso2, country_name = con.execute("SELECT coalesce(iso2, code), name FROM area WHERE code = ?", [country]).fetchone()
    new_areas = []
    # Hierarchical codes (district 11 under province 1): the longest other code that prefixes it.
    for code in sorted(unresolved, key=lambda c: (len(c), c)):
        parents = [p for p in unresolved if p != code and code.startswith(p)]
        parent = f"{iso2}-{max(parents, key=len)}" if parents else country
        kind = "province" if not parents else "custom"
        mapping[code] = f"{iso2}-{code}"
        new_areas.append((mapping[code], names.get(code) or f"{country_name} area {code}", parent, kind))
    note = (
        f"{path.name}: {len(new_areas)} sub-national area codes of {country_name} became custom areas "
        f"{new_areas[0][0]} ... {new_areas[-1][0]} (names from the DSD code list)"
        if names
        else f"{path.name}: {len(new_areas)} area codes unknown as M49/ISO became custom areas of {country_name} "
        "(no DSD: named by code)"
    )
    return mapping, new_areas, [note]


def _kind(con, code: str) -> str | None:
    rows = con.execute("SELECT kind FROM area WHERE code = ?", [code]).fetchall()
    return rows[0][0] if rows else None


def _try_resolve(con, code: str) -> str | None:
    try:
        return area_ref.resolve(con, code)
    except UserInputError:
        return None


def _same_area(con, ref: str, name: str) -> bool:
    if _try_resolve(con, name) == ref:
        return True
    area_name = con.execute("SELECT lower(name) FROM area WHERE code = ?", [ref]).fetchall()[0][0]
    name = name.strip().lower()
    return bool(name) and (area_name.startswith(name) or name.startswith(area_name))


def _series_info(con, codelist, every_series: bool = False) -> tuple[dict, dict]:
    """Series names from the DSD; indicator links from its annotations, for series the store does not
    know (``every_series``: for all of them)."""
    if codelist is None:
        return {}, {}
    known_series = {r[0] for r in con.execute("SELECT code FROM series").fetchall()}
    indicators = {
        r[0]
        for r in con.execute(
            "SELECT code FROM framework_node WHERE framework = 'sdg' AND level = 'indicator'"
        ).fetchall()
    }
    desc, ind = {}, {}
    for code in codelist:
        desc[code.id] = re.sub(r"\s*\[[0-9a-z.,\s]+\]\s*$", "", str(code.name)) or None
        if code.id in known_series and not every_series:
            continue
        found = []
        for annotation in code.annotations:
            if (annotation.type or annotation.title or "").lower() == "indicator":
                found += [c for c in INDICATOR_CODE.findall(str(annotation.text)) if c in indicators]
        if found:
            ind[code.id] = ",".join(dict.fromkeys(found))
    return desc, ind


def _error_line(exc: BaseException) -> int | None:
    line = getattr(exc, "lineno", None)
    return line if isinstance(line, int) and line > 0 else None


def _why(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:300]


register(SdmxReader())
