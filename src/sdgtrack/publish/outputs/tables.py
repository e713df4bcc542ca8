"""An indicator's observations in the Open SDG table shape, and the encoders the data outputs share.

Open SDG consumers (its JavaScript, sdg-build's readers, people's spreadsheets) expect one row per
value with ``Year`` first, one column per disaggregation (blank = total), then ``Units``,
``Series`` and ``Value`` last. sdgtrack keeps disaggregations as one sorted ``dims`` text per row;
this module spreads them into columns over the distinct ``dims`` values only (far fewer than rows),
then joins them back, so the work is whole-column pandas, not a loop over rows.
Where an indicator covers more than one area, ``Area`` (the name, a selector to Open SDG) and
``GeoCode`` (the code the maps join on) come after ``Year``.

Rows of an Open SDG repository are written back as the repository wrote them (the store keeps
what it said: docs/ingest.md): their disaggregations as written (``source_dims``: a total written
as text, a region's geography columns), and every other column from ``attributes`` (``Series``,
``Units``, ``Observation status``, ``Unit multiplier``, ``Unit measure``, ``GeoCode`` ...), only
where the source had them; both rows of a key the source gives two values. Their areas come
from their GeoCode, so they need no ``Area`` column. Their columns are the source file's header
(``Workspace.source_columns``), in its order, blank columns too, as sdg-build writes them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json

import numpy as np
import pandas as pd

from ... import csvsafe
from ...vocabulary import DIM_ESCAPES
from ..site import Site

LEADING = ("Year",)
TRAILING = ("Units", "Series", "Value")
AREA_COLUMNS = ("Area", "GeoCode")

# columns that are not breakdowns: Open SDG's defaults (sdg-build's non-disaggregation columns) and
# the observation attributes a table may carry
NOT_DISAGGREGATIONS = frozenset(
    {"Year", "Units", "Series", "Value", "GeoCode", "Observation status", "Unit multiplier", "Unit measure",
     "UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS", "SERIES", "COMMENT_TS", "COMMENT_OBS", "DATA_LAST_UPDATE",
     "NATURE", "SOURCE_DETAIL", "TIME_DETAIL", "Progress"}
)  # fmt: skip


def series_labels(site: Site) -> dict[str, str]:
    """Series code -> the label shown in the ``Series`` column: its description, or its code when it
    has none or shares its description with another series of an indicator it serves (labels must
    tell an indicator's series apart; two indicators may both have a "Number of cases")."""

    def make():
        info = site.workspace.series_info()
        described = info["description"].fillna("").str.strip()
        links = site.workspace.series_indicator_links()
        links = links.assign(label=links["series"].map(dict(zip(info["code"], described))).fillna(""))
        links = links[links["label"] != ""]
        per_label = links.groupby(["indicator", "label"])["series"].transform("nunique")
        clashing = set(links.loc[per_label > 1, "series"])
        shared = described.eq("") | info["code"].isin(clashing)
        return dict(zip(info["code"], np.where(shared, info["code"], described)))

    return site.memo("_series_labels", make)  # type: ignore[return-value]


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    for char, code in reversed(DIM_ESCAPES):
        text = text.replace(code, char)
    return text


class _DimLookup:
    """The disaggregation columns of every distinct ``dims`` value (``Age=15-24|Sex=FEMALE``), as one
    NumPy matrix (distinct value x name, None where absent; names and values unescaped): an
    indicator's columns are a take of its rows and of the names it uses. Parsing runs once per
    distinct value (thousands), never per row (hundreds of thousands)."""

    def __init__(self, dims: pd.Series):
        distinct = [d for d in pd.unique(dims.to_numpy(dtype=object)) if isinstance(d, str) and d]
        parsed = [[pair.split("=", 1) for pair in d.split("|")] for d in distinct]
        names = sorted({_unescape(name) for pairs in parsed for name, _ in pairs})
        column = {name: j for j, name in enumerate(names)}
        self.values = np.full((len(distinct), len(names)), None, dtype=object)
        for i, pairs in enumerate(parsed):
            for name, value in pairs:
                self.values[i, column[_unescape(name)]] = _unescape(value)
        self.index = pd.Index(distinct, dtype=object)
        self.names = np.array(names, dtype=object)

    def covers(self, dims: pd.Series) -> bool:
        distinct = pd.unique(dims.to_numpy(dtype=object))
        positions = self.index.get_indexer(pd.Index(distinct, dtype=object))
        return all(p >= 0 or not d for p, d in zip(positions.tolist(), distinct.tolist()))

    def columns(self, dims: pd.Series) -> dict[str, np.ndarray]:
        positions = _positions(self.index, dims.to_numpy(dtype=object))  # -1: no disaggregation ("")
        present = positions >= 0
        used_rows = np.unique(positions[present])
        if len(used_rows) == 0:
            return {}
        used = np.flatnonzero((self.values[used_rows] != None).any(axis=0))  # noqa: E711 (elementwise)
        block = np.full((len(positions), len(used)), None, dtype=object)
        block[present] = self.values[np.ix_(positions[present], used)]
        return {self.names[j]: block[:, k] for k, j in enumerate(used)}


def _positions(index: pd.Index, values: np.ndarray) -> np.ndarray:
    """``index.get_indexer(values)`` over the distinct values only (an indicator's rows repeat a few
    dozen values): hashing every row into a new Index was most of a table's cost."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    found = index.get_indexer(pd.Index(distinct, dtype=object))
    return np.where(codes >= 0, np.append(found, -1)[codes], -1)


def _dim_lookup(site: Site, dims: pd.Series, column: str = "dims") -> _DimLookup:
    """One lookup per site and kind of pairs (``dims`` as written, ``attributes``): built on first
    use over the rows of every indicator already read (a build prefetches them all), rebuilt only
    when a later indicator brings new values."""
    name = f"_lookup_{column}"
    lookup = site.cache.get(name)
    if not isinstance(lookup, _DimLookup) or not lookup.covers(dims):
        read = [_pairs(frame, column) for frame in site.rows_read()]
        lookup = _DimLookup(pd.concat([dims, *read], ignore_index=True))
        site.cache[name] = lookup
    return lookup


def _pairs(rows: pd.DataFrame, column: str) -> pd.Series:
    """The rows' disaggregations as the source wrote them (``dims`` where it said nothing else),
    or their attributes (blank where the source gave none)."""
    if column == "dims":
        if "source_dims" not in rows:
            return rows["dims"]
        return rows["source_dims"].where(rows["source_dims"].notna(), rows["dims"])
    return rows[column].fillna("") if column in rows else pd.Series([""] * len(rows), dtype=object)


class Table:
    """Columns in order (name -> NumPy object array, None for blank), the headline mask, the names
    of the disaggregation columns and those the source's header gives (kept even when blank)."""

    def __init__(
        self,
        columns: dict[str, np.ndarray],
        headline: np.ndarray,
        dimensions: tuple[str, ...] = (),
        written: tuple[str, ...] = (),
    ):
        self.columns = columns
        self.headline = headline
        self.dimensions = dimensions
        self.written = written

    def __len__(self) -> int:
        return len(self.headline)

    def headline_rows(self) -> "Table":
        mask = self.headline
        # a column the headline rows leave blank says nothing there (a GeoCode only regions have),
        # unless the source's header has it: sdg-build keeps every column that is no breakdown
        keep = [
            c
            for c in self.columns
            if c not in self.dimensions
            and (c in LEADING + ("Value",) or c in self.written or not pd.isna(self.columns[c][mask]).all())
        ]
        return Table(
            {c: self.columns[c][mask] for c in keep}, mask[mask], (), tuple(c for c in keep if c in self.written)
        )


def source_headers(site: Site) -> dict[tuple[str, str], list[str]]:
    """(source file, indicator) -> the header as written (``Workspace.source_columns``), of the site's
    datasets; one SDMX message gives each of its indicators its own header."""

    def make():
        frame = site.workspace.source_columns(site.options.datasets)
        return {
            (str(f), str(i) if isinstance(i, str) else ""): [str(c) for c in cols]
            for f, i, cols in zip(frame["source_file"], frame["indicator"], frame["columns"])
        }

    return site.memo("_source_headers", make)  # type: ignore[return-value]


def _header(site: Site, files: np.ndarray, code: str) -> list[str]:
    """The columns of the source files of indicator ``code``'s rows, in their order (the first file's,
    then the names a later file adds), with ``Year`` and ``Value`` named as Open SDG names them. A
    file's header for ``code`` where it has one per indicator, else the file's header."""
    headers = source_headers(site)

    def first_per_file():
        found: dict[str, list[str]] = {}
        for (file, _), columns in headers.items():
            found.setdefault(file, columns)
        return found

    by_file: dict[str, list[str]] = site.memo("_source_headers_by_file", first_per_file)  # type: ignore[assignment]
    names: dict[str, None] = {}
    for file in sorted({str(f) for f in pd.unique(files) if isinstance(f, str)}):
        for name in headers.get((file, code), by_file.get(file, [])):
            low = name.lower()
            names["Year" if low == "year" else "Value" if low == "value" else name] = None
    return list(names)


def _labels(site: Site, series: np.ndarray) -> np.ndarray:
    labels = series_labels(site)
    index = site.memo(
        "_series_label_index",
        lambda: (pd.Index(list(labels), dtype=object), np.array(list(labels.values()), dtype=object)),
    )
    codes, names = index  # type: ignore[misc]
    positions = _positions(codes, series)
    return np.where(positions >= 0, names[np.maximum(positions, 0)], series)


def open_sdg_table(site: Site, code: str) -> Table:
    """Indicator ``code``'s rows as Open SDG publishes them: Year, [Area, GeoCode], one column per
    disaggregation, the source's other columns, Units, Series, Value; with the store's headline
    decision per row. Rows an Open SDG repository wrote keep its columns in its order (blank
    columns too) and are headline rows where every breakdown as written is blank, as sdg-build
    decides (a region's rows name the region; a GeoCode is no breakdown)."""
    held = site.memo("_tables", dict)
    assert isinstance(held, dict)
    if code in held:
        return held[code]
    rows = site.rows(code)
    text = {c: _objects(rows[c]) for c in ("period", "area", "area_name", "unit", "series")}
    attributes = _pairs(rows, "attributes")
    written = (rows["attributes"].notna() if "attributes" in rows else pd.Series(False, index=rows.index)).to_numpy()
    attribute_columns = _dim_lookup(site, attributes, "attributes").columns(attributes)
    columns: dict[str, np.ndarray] = {"Year": text["period"]}
    many_areas = len(pd.unique(text["area"][~written])) > 1
    if many_areas:  # rows of many areas no GeoCode placed (the UN's)
        names = text["area_name"].copy()
        unnamed = pd.isna(names)
        names[unnamed] = text["area"][unnamed]
        columns["Area"] = names
        geocode = text["area"].copy()
        geocode[written] = attribute_columns.get("GeoCode", np.full(len(rows), None, dtype=object))[written]
        columns["GeoCode"] = geocode
    dims = _pairs(rows, "dims")
    dimensions = _dim_lookup(site, dims).columns(dims)
    columns.update(dimensions)
    for name, values in attribute_columns.items():
        if name not in TRAILING and name not in columns:
            columns[name] = values
    units = text["unit"].copy()
    units[units == ""] = None
    series = _labels(site, text["series"])
    if written.any():  # Units and Series as the source wrote them, blank where it had none
        for name, values in (("Units", units), ("Series", series)):
            given = attribute_columns.get(name, np.full(len(rows), None, dtype=object))
            values[written] = given[written]
    for name, values in (("Units", units), ("Series", series)):
        if not pd.isna(values).all():
            columns[name] = values
    headline = rows["is_headline"].to_numpy(dtype=bool)
    header: list[str] = []
    blank_breakdowns: list[str] = []
    if written.any():
        # a written row is a headline row as sdg-build decides it: every breakdown as written is
        # blank (a total written as text is not; a GeoCode is no breakdown)
        blank = np.ones(len(rows), dtype=bool)
        for values in dimensions.values():
            blank &= pd.isna(values) | (values == "")
        headline = np.where(written, blank, headline)
        # the source's columns in the source's order, blank ones too
        header = _header(site, rows["source_file"].to_numpy(dtype=object)[written], code)
        for name in header:
            if name not in columns and name != "Value":
                columns[name] = np.full(len(rows), None, dtype=object)
                if name not in NOT_DISAGGREGATIONS and not name.upper().startswith("COMMENT_OBS"):
                    # a breakdown no row fills (16.1.3's Type of crime): not in the headline table,
                    # whose columns sdg-build takes from the columns that are no breakdown
                    blank_breakdowns.append(name)
        # with rows of other sources for many areas (the UN's), Year, Area and GeoCode stay first
        # (not a breakdown of the source's own named Area: Canada 1.4.2's Total / Urban / Rural)
        first = [c for c in LEADING + AREA_COLUMNS if c in columns] if many_areas else []
        order = first + [c for c in header if c in columns and c not in first]
        order += [c for c in columns if c not in order]
        columns = {c: columns[c] for c in order}
    columns["Value"] = rows["value"].to_numpy(dtype=float)
    table = Table(columns, headline, (*dimensions, *blank_breakdowns), tuple(c for c in header if c in columns))
    held[code] = table
    return table


def translators(site: Site, lang: str) -> dict:
    """Dataset -> its :class:`~sdgtrack.store.metadata.DataTranslator` into ``lang``, for the site's
    datasets that translate anything into it, in the order of preference."""

    def make():
        shown = site.datasets().index.tolist()
        if site.options.datasets is not None:
            shown = [d for d in shown if d in set(site.options.datasets)]
        found = {d: site.workspace.data_translator(d, lang) for d in shown}
        return {d: t for d, t in found.items() if t}

    return site.memo(f"_translators:{lang}", make)  # type: ignore[return-value]


def translation_key(site: Site, lang: str) -> str:
    """The part of a data file's key that its language decides: the translations into ``lang``
    (equal for every language without any, so those languages share each file's bytes)."""

    def make() -> str:
        found = translators(site, lang)
        if not found:
            return "untranslated"
        words = repr(sorted((d, sorted(t.table.items()), sorted(t.keys)) for d, t in found.items()))
        return hashlib.blake2b(words.encode("utf-8"), digest_size=16).hexdigest()

    return site.memo(f"_translation_key:{lang}", make)  # type: ignore[return-value]


def translated_table(site: Site, code: str, lang: str) -> Table:
    """:func:`open_sdg_table` in ``lang``, as sdg-build writes each language's data files: the rows
    of a dataset with translations (an Open SDG repository's ``translations/``) have their cells
    translated, and the breakdown columns their names, by that dataset's
    :class:`~sdgtrack.store.metadata.DataTranslator` (names by the most preferred such dataset of
    the indicator). The same table where nothing translates."""
    held = site.memo(f"_tables:{lang}", dict)
    assert isinstance(held, dict)
    if code in held:
        return held[code]
    table = open_sdg_table(site, code)
    found = translators(site, lang)
    datasets = site.rows(code)["dataset"].to_numpy(dtype=object) if found else np.array([], dtype=object)
    present = [d for d in found if (datasets == d).any()]
    if not present:
        held[code] = table
        return table
    columns: dict[str, np.ndarray] = {}
    for name, values in table.columns.items():
        out = values
        for dataset in present:
            mask = datasets == dataset
            if mask.all():
                out = found[dataset].column(name, values)
            else:
                given = values[mask]
                part = found[dataset].column(name, given)
                if part is not given:
                    out = out.copy() if out is values else out
                    out[mask] = part
        columns[name] = out
    names = _unique_names([found[present[0]].name(n) for n in columns])
    renamed = dict(zip(columns, names))
    result = Table(
        dict(zip(names, columns.values())),
        table.headline,
        tuple(renamed[n] for n in table.dimensions),
        tuple(renamed[n] for n in table.written),
    )
    held[code] = result
    return result


def _unique_names(names: list[str]) -> list[str]:
    """Names made unique as sdg-build makes them after translating (a repeat gets 1, 2 ... appended)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        n = seen.get(name, 0)
        seen[name] = n + 1
        out.append(name if n == 0 else f"{name}{n}")
    return out


def _objects(column: pd.Series) -> np.ndarray:
    """A text column as a NumPy object array with None for missing (no copy when already objects)."""
    values = column.to_numpy(dtype=object)
    missing = pd.isna(values)
    if missing.any():
        values = values.copy()
        values[missing] = None
    return values


def headline_table(site: Site, code: str, lang: str | None = None) -> Table:
    """The headline rows (every disaggregation a total, as the store decided at load) in ``lang``
    (None: in the source's own words): Year, [Area, GeoCode], Units, Series, Value."""
    table = open_sdg_table(site, code) if lang is None else translated_table(site, code, lang)
    return table.headline_rows()


def number_text(values: np.ndarray) -> np.ndarray:
    """Values as CSV text: integral values without ``.0``, others in their shortest exact form."""
    v = np.asarray(values, dtype=float)
    missing = np.isnan(v)
    out = v.astype(str).astype(object)
    integral = ~missing & (np.abs(v) < 1e15) & (v == np.round(v))
    out[integral] = v[integral].astype(np.int64).astype(str)
    out[missing] = ""
    return out


def to_csv(table: Table) -> bytes:
    """CSV as Open SDG data repositories write it: header, blank cells for missing, quotes only where
    needed (the csv module's C writer)."""
    sink = io.StringIO()
    writer = csv.writer(sink, lineterminator="\n")
    writer.writerow([csvsafe.cell(name) for name in table.columns])
    # text from an upload or a repository that a spreadsheet would run as a formula: marked as text
    cells = [number_text(v) if name == "Value" else csvsafe.column(v) for name, v in table.columns.items()]
    writer.writerows(zip(*cells))
    return sink.getvalue().encode("utf-8")


def _plain(name: str, values: np.ndarray) -> list:
    if name == "Year":  # numbers when every period is a plain year (what Open SDG's charts sort on)
        text = values.astype(str)
        if len(text) and np.char.str_len(text).max() == 4 and np.char.isdigit(text).all():
            return text.astype(int).tolist()
        return values.tolist()
    if name == "Value":
        v = np.asarray(values, dtype=float)
        out = np.empty(len(v), dtype=object)
        out[:] = v.tolist()
        integral = ~np.isnan(v) & (np.abs(v) < 1e15) & (v == np.round(v))
        out[np.flatnonzero(integral)] = v[integral].astype(np.int64).tolist()
        out[np.isnan(v)] = None
        return out.tolist()
    return values.tolist()


def columns_json(table: Table) -> dict[str, list]:
    """``{column: [values ...]}``: sdg-build's data JSON (pandas ``orient='list'``), nulls for blanks."""
    return {name: _plain(name, values) for name, values in table.columns.items()}


def records_json(table: Table) -> list[dict]:
    """``[{column: value ...} ...]``: sdg-build's headline JSON (``orient='records'``)."""
    columns = columns_json(table)
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def dump(document) -> bytes:
    """Compact UTF-8 JSON (the site's files are for programs; sizes add up over thousands of files)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
