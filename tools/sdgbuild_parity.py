"""Compare sdgtrack's site data files with sdg-build's on the same Open SDG repository.

    python tools/sdgbuild_parity.py uk canada rwanda          # build sdgtrack's files, compare, print tables
    python tools/sdgbuild_parity.py uk --indicator 3-2-1       # ... and list 3-2-1's unexplained differences
    python tools/sdgbuild_parity.py uk --site SITE             # compare an existing sdgtrack build instead

sdg-build's outputs come from ``tools/run_sdgbuild.sh`` (``--reference``, default
``/work/sdgbuild-out``: one folder per repository). For each repository the script ingests the
repository (``--data``, default ``../shared/data/opensdg``) into a fresh store with
``--skip-invalid``, builds the site for the repository's languages that sdgtrack has, and compares
per language, per file kind and per indicator:

- ``data/ID.csv``, ``headline/ID.csv``, ``headline/all.json`` (per indicator), ``comb/ID.json``
  (its data part): **sets of records** (row order and column order free; duplicate rows counted),
  numbers compared exactly as numbers (``5`` equals ``5.0``);
- ``edges/ID.json`` and the edges of ``comb/ID.json``: sets of (From, To) pairs;
- ``meta/ID.json`` and ``meta/all.json`` (per indicator): field by field;
- ``stats/reporting.json``, ``stats/disaggregation.json``: every number at its path.

Each comparison is *identical*, *listed* (every difference is one of :data:`EXPLAINED`, a short
list of known, reasoned differences mirrored in docs/site.md) or *unexplained*. Whole files are
read with pandas and compared as whole columns (value counts of row keys), never row by row.
"""

from __future__ import annotations

import argparse
import ast
import functools
import json
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
REFERENCE = Path("/work/sdgbuild-out")
DATA = REPO.parent / "shared" / "data" / "opensdg"

# Differences that are known and reasoned: what sdg-build does, and why sdgtrack's output is kept.
# Keep this list and the table in docs/site.md ("sdg-build parity") the same.
EXPLAINED = {
    "float-digits": "sdg-build's pandas float parser alters some 16-17-digit decimals (e.g. "
    "0.30000000000000004 read as 0.3000000000000001) and cuts values at 16 decimal places "
    "(0.00044312295332585934 written 0.0004431229533258); sdgtrack keeps the source's decimal exactly",
    "numeric-label": "sdg-build reads a column of numbers as floats and writes a breakdown `5` as `5.0`; "
    "sdgtrack keeps the label as written",
    "blank-value": "sdg-build keeps rows without a value; sdgtrack stores no observation without a value "
    "(a blank Value cell is not an observation)",
    "year-float": "a year written `2021.0` (a float from the source's own tools) is the year 2021: sdgtrack "
    "stores and writes `2021`, sdg-build copies `2021.0`",
    "exact-repeat": "a row the source repeats exactly (every column the same) is one observation: sdgtrack "
    "stores and writes it once and the load report counts the repeats; sdg-build writes every copy",
    "value-number": "the data package types Value `number` always; sdg-build types it `integer` when every cell "
    "of the release is written as a whole number, a type the next release with a decimal breaks",
    "blank-column-type": "a column no row fills (a `Unit multiplier` left blank) is typed `string` in the data "
    "package; sdg-build types it `number` (pandas reads an empty column as floats)",
    "json-rounding": "sdg-build's JSON files round values to 10 decimals; sdgtrack's JSON holds the CSV's exact value",
    "meta-additions": "sdgtrack's meta adds fields sdg-build does not have (series, datasets, years, "
    "links to the data files ...); Open SDG ignores fields it does not know",
    "safe-html": "metadata text is published as sanitised HTML (scripts and event handlers removed, "
    "Markdown rendered, the ends trimmed); sdg-build copies the text as written",
    "framework-titles": "goal, target and indicator titles (and the chart title a repository leaves to them) "
    "are the current official UN titles in the site's language; sdg-build shows the repository's own "
    "wording, often of an older edition of the framework",
    "git-dates": "sdg-build dates each file from the repository's git history (national_data_updated_date, "
    "national_metadata_updated_date); sdgtrack reads files, not git history, and does not publish them",
    "blank-settings": "a setting the repository leaves blank or out (graph_type, graph_title, computation_units, "
    "indicator_sort_order) is published with the value Open SDG falls back to (a line chart, the indicator's title, "
    "the units of its series, the code's sort order); sdg-build publishes null",
    "trimmed": "texts inside settings (a translation's series name in data_start_values, graph_titles ...) and "
    "data cells a translation gives (Canada's French 15.2.1 Series) are trimmed at their ends; sdg-build keeps a "
    "YAML block's closing line break (`...indépendante\\n`)",
    "translations-once": "sdg-build's meta in the repository's first language also holds each other language's "
    "meta-file fields under the language's code (`fr: {...}`), the values its `fr/meta/ID.json` holds again; "
    "sdgtrack publishes each language once, in its own folder (compared there)",
    "empty-data-columns": "sdg-build counts an expected disaggregation as there when the data file has its column, "
    "even without one value (UK 17-18-3: a header and the line 'This is a non-statistical indicator'; Canada "
    "9.1.2's Mode of transport); sdgtrack counts the disaggregations of the indicator's values",
    "stats-additions": "sdgtrack's reporting statistics add each goal's title and its disaggregation counts",
    "package-field-names": "sdg-build names a data package field of an SDMX repository by its code (REF_AREA) and "
    "titles it by the column's name (Reference area), the name its own data.csv has: its descriptor does not "
    "describe its file; sdgtrack names each field as the CSV's column",
    "unplaced-series": "a series of the repository's SDMX data that its own DSD does not list (Rwanda's "
    "SH_SAN_HNDWSH, 4 rows): sdg-build cannot place it and drops it silently; sdgtrack keeps it under the "
    "indicator the UN's series list gives it (6.2.1), which then has data and is reported complete",
    "deleted-indicators": "metadata of indicators deleted from the framework (Rwanda's 1.a.3 and 13.3.2, "
    "removed in the 2020 review) is counted in sdg-build's reporting statistics; sdgtrack reports on the "
    "current framework only (the files are in the 'only sdg-build' column)",
    "archived-titles": "an archived indicator (UK archived-11-6-1) is named as it was when archived (the repository's "
    "archived_indicators.csv); sdg-build names it by its meta file's translation key, the title of the current "
    "indicator that now has its number (another indicator)",
    "non-finite": "a value written `Inf` (a division by zero in the source's tools; Canada 9.b.1) is no "
    "measurement: sdgtrack rejects the row at load with a message naming file, line and value (the load report "
    "and the rejected-rows file list it); sdg-build publishes `inf`, which no chart can draw",
    "observation-attributes": "a note column the repository declares an observation attribute (COMMENT_OBS, "
    "COMMENT_OBS_0 ...) but leaves out of its non-disaggregation columns (Canada) is a note, not a breakdown: "
    "sdgtrack keeps a total with a note in the headline (with its note) and nests no note under a breakdown; "
    "sdg-build takes it for a breakdown (Canada 2.1.1's headline is empty because each total has a note)",
    "package-names": "a translated language's data package names its fields as the data.csv beside it (`Géographie`), "
    "so the package describes its own file (a Frictionless validator checks the header against the names); "
    "sdg-build names them in the source's words (`Geography`) above a file whose header is translated; the "
    "titles are the same",
    "out-of-scope": "indicators expecting no disaggregation are left out of the disaggregation statistics "
    "(as the UK and Canada configure sdg-build); sdg-build counts them as notapplicable where the repository "
    "does not set ignore_out_of_scope_disaggregation_stats (Rwanda)",
}

# meta fields sdgtrack adds (publish/outputs/meta.py); a field of these only in sdgtrack's file is listed
META_ADDITIONS = frozenset(
    {"indicator", "slug", "language", "sdg_goal", "target_id", "goal_name", "series", "datasets", "observations",
     "areas", "years", "disaggregations", "data", "national_metadata", "archived", "archive_type"}
)  # fmt: skip

KINDS = ("data", "headline", "comb", "edges", "meta", "meta/all", "headline/all", "stats", "data-packages")
LABELS = {
    "data": "data/ID.csv",
    "headline": "headline/ID.csv",
    "comb": "comb/ID.json",
    "edges": "edges/ID.json",
    "meta": "meta/ID.json",
    "meta/all": "meta/all.json",
    "headline/all": "headline/all.json",
    "stats": "stats/*.json",
    "data-packages": "data-packages/ID/datapackage.json",
}
MAX_ROWS = 8  # rows listed per side in --indicator details


@dataclass
class Outcome:
    """The comparison of one file (or one indicator's entry of an all.json) in one language."""

    kind: str
    lang: str
    item: str  # indicator id (3-2-1), or the stats file name
    status: str  # identical | listed | unexplained | only-sdgbuild | only-sdgtrack
    reasons: set[str] = field(default_factory=set)  # keys of EXPLAINED seen
    details: list[str] = field(default_factory=list)  # the unexplained differences, readable


# -- reading ----------------------------------------------------------------------------------------
def read_csv(path: Path) -> pd.DataFrame:
    """Every cell as text, blank as "" (sdg-build's ``There is no data ...`` placeholder is one row)."""
    if path.stat().st_size == 0:
        return pd.DataFrame()
    return pd.read_csv(path, dtype=object, keep_default_na=False, na_filter=False, skip_blank_lines=True)


def read_json(path: Path):
    with open(path, encoding="utf-8") as stream:
        return json.load(stream)


def _cell_text(values: pd.Series) -> pd.Series:
    """JSON values as CSV text: None -> "", booleans and numbers as Python writes them."""
    cells = values.to_numpy(dtype=object)
    missing = pd.isna(cells)
    out = cells.astype(str).astype(object)
    out[missing] = ""
    return pd.Series(out, index=values.index, dtype=object)


def frame_from_json(document) -> pd.DataFrame:
    """A data JSON (``{column: [values]}``) or a headline JSON (``[{column: value}]``) as text cells."""
    if not document:
        return pd.DataFrame()
    frame = pd.DataFrame(document)
    return pd.DataFrame({c: _cell_text(frame[c]) for c in frame.columns}, dtype=object)


# -- records ----------------------------------------------------------------------------------------
NUMERIC_LABEL = re.compile(r"^-?\d+\.0$")
NON_FINITE = ("inf", "-inf", "infinity", "-infinity", "nan")
# columns of notes (Open SDG's observation attributes), which a repository may leave out of its
# non-disaggregation columns (Canada): sdg-build then takes them for breakdowns
OBSERVATION_ATTRIBUTE = re.compile(r"^COMMENT_OBS(_\d+)?$")
YEAR_FLOAT = re.compile(r"^\d{4}\.0$")


def _number_keys(values: pd.Series, digits: int | None) -> pd.Series:
    """Value cells as comparable text: numbers by their float value (exact: repr; else rounded to
    ``digits`` significant digits, or to ``-digits`` decimals), other text as written."""
    numbers = pd.to_numeric(values.replace("", np.nan), errors="coerce").to_numpy(dtype=float)
    numeric = ~np.isnan(numbers)
    out = values.to_numpy(dtype=object).copy()
    if numeric.any():
        picked = numbers[numeric]
        if digits is None:
            out[numeric] = picked.astype(str)
        elif digits < 0:  # rounded to -digits decimals, as sdg-build's JSON writes them
            out[numeric] = np.char.mod("%.15g", np.round(picked, -digits)).astype(object)
        else:
            out[numeric] = np.char.mod(f"%.{digits}g", picked).astype(object)
    return pd.Series(out, index=values.index, dtype=object)


def _row_hashes(frame: pd.DataFrame, columns: list[str], digits: int | None) -> np.ndarray:
    """One 64-bit hash per row over ``columns`` (Value by its number), so whole files compare as
    sorted integer arrays."""
    if frame.empty or not columns:
        return np.array([], dtype=np.uint64)
    cells = {c: _number_keys(frame[c], digits) if c == "Value" else frame[c].astype(object) for c in columns}
    return pd.util.hash_pandas_object(pd.DataFrame(cells), index=False).to_numpy()


def _minus(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The hashes of ``a`` left after taking away ``b`` (with multiplicity), and how many of each."""
    ua, ca = np.unique(a, return_counts=True)
    ub, cb = np.unique(b, return_counts=True)
    if len(ub) == 0:
        return ua, ca
    at = np.minimum(np.searchsorted(ub, ua), len(ub) - 1)
    left = ca - np.where(ub[at] == ua, cb[at], 0)
    return ua[left > 0], left[left > 0]


def compare_records(
    ours: pd.DataFrame, ref: pd.DataFrame, out: Outcome, rounded_json: bool = False, headline: bool = False
) -> None:
    """``ours`` and ``ref`` (sdg-build) as sets of records; fills ``out`` with reasons and details."""
    if "Value" in ref.columns and len(ref):
        blank = ref["Value"].eq("")
        if blank.any():
            ref = ref[~blank]
            out.reasons.add("blank-value")
        infinite = ref["Value"].str.lower().isin(NON_FINITE)
        if infinite.any() and not ours["Value"].str.lower().isin(NON_FINITE).any():
            ref = ref[~infinite]
            out.reasons.add("non-finite")
    if headline:
        # notes sdg-build takes for breakdowns: it leaves a total with a note out of the headline
        noted = [c for c in ours.columns if OBSERVATION_ATTRIBUTE.match(c) and c not in ref.columns]
        if noted:
            ours = ours[ours[noted].eq("").all(axis=1)].drop(columns=noted)
            out.reasons.add("observation-attributes")
    if len(ref) == 0 and len(ours) == 0:
        return
    ours_cols, ref_cols = list(ours.columns), list(ref.columns)
    only_ref = [c for c in ref_cols if c not in ours_cols]
    only_ours = [c for c in ours_cols if c not in ref_cols]
    if only_ref:
        out.details.append(f"columns only in sdg-build: {only_ref}")
    if only_ours:
        out.details.append(f"columns only in sdgtrack: {only_ours}")
    common = sorted(c for c in ref_cols if c in ours_cols)
    labels = [c for c in common if c not in ("Year", "Value")]
    ours, ref = ours.reset_index(drop=True), ref.reset_index(drop=True)
    for column in labels:  # `5.0` written for a label `5`
        floated = ref[column].str.match(NUMERIC_LABEL)
        if floated.any():
            ref = ref.copy()
            ref.loc[floated, column] = ref.loc[floated, column].str[:-2]
            mine = ours[column].str.match(NUMERIC_LABEL)
            if mine.any():
                ours = ours.copy()
                ours.loc[mine, column] = ours.loc[mine, column].str[:-2]
            if floated.sum() > mine.sum():
                out.reasons.add("numeric-label")
    for column in labels:  # a translation's closing line break (a YAML block) that sdg-build keeps
        padded = ref[column].ne(ref[column].str.strip())
        if padded.any() and not ours[column].ne(ours[column].str.strip()).any():
            ref = ref.copy()
            ref.loc[padded, column] = ref.loc[padded, column].str.strip()
            out.reasons.add("trimmed")
    if "Year" in common:  # a year written `2021.0` by the source's own tools
        floated = ref["Year"].str.match(YEAR_FLOAT)
        if floated.any() and not ours["Year"].str.match(YEAR_FLOAT).any():
            ref = ref.copy()
            ref.loc[floated, "Year"] = ref.loc[floated, "Year"].str[:-2]
            out.reasons.add("year-float")
    exact_ours, exact_ref = _row_hashes(ours, common, None), _row_hashes(ref, common, None)
    if len(exact_ours) == len(exact_ref) and np.array_equal(np.sort(exact_ours), np.sort(exact_ref)):
        return
    # a row the source repeats exactly (every column): sdg-build writes each copy, sdgtrack one
    missing, _ = _minus(exact_ref, exact_ours)
    repeated = missing[np.isin(missing, exact_ours)]
    if len(repeated):
        copies = pd.Series(exact_ref).duplicated().to_numpy() & np.isin(exact_ref, repeated)
        ref, exact_ref = ref[~copies].reset_index(drop=True), exact_ref[~copies]
        out.reasons.add("exact-repeat")
        if len(exact_ours) == len(exact_ref) and np.array_equal(np.sort(exact_ours), np.sort(exact_ref)):
            return
    extra, _ = _minus(exact_ours, exact_ref)
    missing, _ = _minus(exact_ref, exact_ours)
    left_ours = ours[np.isin(exact_ours, extra)].reset_index(drop=True)
    left_ref = ref[np.isin(exact_ref, missing)].reset_index(drop=True)
    # rows that differ only in the last digits of the value (sdg-build's float parser)
    n_ours, n_ref = len(left_ours), len(left_ref)
    left_ours, left_ref = _close_rows(left_ours, left_ref, common, rtol=1e-13, atol=1e-16)
    if len(left_ours) < n_ours or len(left_ref) < n_ref:
        out.reasons.add("float-digits")
    if rounded_json and (len(left_ours) or len(left_ref)):  # sdg-build's JSON rounds values to 10 decimals
        n_ours, n_ref = len(left_ours), len(left_ref)
        left_ours, left_ref = _close_rows(left_ours, left_ref, common, rtol=1e-13, atol=5.000001e-11)
        if len(left_ours) < n_ours or len(left_ref) < n_ref:
            out.reasons.add("json-rounding")
    if len(left_ours) == 0 and len(left_ref) == 0:
        return
    out.details.append(
        f"rows only in sdg-build: {len(left_ref)}, only in sdgtrack: {len(left_ours)} (of {len(ref)} and"
        f" {len(ours)}; compared on {len(common)} common columns)"
    )
    out.details.extend(f"  sdg-build: {row}" for row in _listed(left_ref, common))
    out.details.extend(f"  sdgtrack:  {row}" for row in _listed(left_ours, common))


def _listed(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    picked = frame[columns].drop_duplicates().head(MAX_ROWS)
    return [", ".join(f"{c}={v!r}" for c, v in zip(columns, row) if v != "") for row in picked.itertuples(index=False)]


def _close_rows(
    ours: pd.DataFrame, ref: pd.DataFrame, columns: list[str], rtol: float, atol: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of each side left after pairing rows equal in every column but Value whose values
    are close: within each group of equal other columns, both sides' values sorted and paired in
    order; a group pairs when it has as many rows on each side and every pair is close."""
    if "Value" not in columns or ours.empty or ref.empty:
        return ours, ref
    others = [c for c in columns if c != "Value"]

    def keyed(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        keys = (
            pd.util.hash_pandas_object(frame[others], index=False).to_numpy()
            if others
            else np.zeros(len(frame), dtype=np.uint64)
        )
        values = pd.to_numeric(frame["Value"].replace("", np.nan), errors="coerce").to_numpy(dtype=float)
        order = np.lexsort((values, keys))
        return keys[order], values[order], order

    ko, vo, oo = keyed(ours)
    kr, vr, orr = keyed(ref)
    uo, co = np.unique(ko, return_counts=True)
    ur, cr = np.unique(kr, return_counts=True)
    both, io, ir = np.intersect1d(uo, ur, return_indices=True)
    same = both[co[io] == cr[ir]]  # groups with as many rows on each side
    in_o, in_r = np.isin(ko, same), np.isin(kr, same)
    close = np.isclose(vo[in_o], vr[in_r], rtol=rtol, atol=atol, equal_nan=True)
    # a group pairs only when every one of its pairs is close
    bad = np.unique(ko[in_o][~close])
    paired = same[~np.isin(same, bad)]
    keep_o = np.ones(len(ours), dtype=bool)
    keep_r = np.ones(len(ref), dtype=bool)
    keep_o[oo[np.isin(ko, paired)]] = False
    keep_r[orr[np.isin(kr, paired)]] = False
    return ours[keep_o].reset_index(drop=True), ref[keep_r].reset_index(drop=True)


def compare_edges(ours, ref, out: Outcome) -> None:
    def pairs(document) -> Counter:
        if not document:
            return Counter()
        return Counter(zip(document.get("From", []), document.get("To", [])))

    mine, theirs = pairs(ours), pairs(ref)
    noted = Counter({p: n for p, n in theirs.items() if any(OBSERVATION_ATTRIBUTE.match(c) for c in p)})
    if noted and not any(OBSERVATION_ATTRIBUTE.match(c) for p in mine for c in p):
        theirs -= noted  # sdg-build nests a note column under a breakdown
        out.reasons.add("observation-attributes")
    if mine != theirs:
        out.details.append(
            f"edges only in sdg-build: {sorted(theirs - mine)}; only in sdgtrack: {sorted(mine - theirs)}"
        )


# -- metadata ---------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _render(value: str) -> str:
    from sdgtrack.publish.metadata import render_text

    return render_text(value)


TITLES = frozenset({"goal_name", "target_name", "indicator_name", "graph_title"})
DEFAULTED = frozenset({"graph_type", "graph_title", "computation_units", "indicator_sort_order"})
LANG_KEY = re.compile(r"^[a-z]{2,3}([-_][A-Za-z]{2,4})?$")  # a translation folder's name (fr, zh-Hans)
GIT_DATES = frozenset({"national_data_updated_date", "national_metadata_updated_date"})


def _empty(value) -> bool:
    return value is None or value == [] or value == {} or (isinstance(value, str) and not value.strip())


def compare_meta(ours: dict, ref: dict, out: Outcome) -> None:
    for key in sorted(set(ref) - set(ours)):
        if _empty(ref[key]):  # an empty field and no field say the same
            continue
        if key in GIT_DATES:
            out.reasons.add("git-dates")
            continue
        if LANG_KEY.match(key) and isinstance(ref[key], dict) and key != ours.get("language"):
            out.reasons.add("translations-once")
            continue
        out.details.append(f"field only in sdg-build: {key}={_short(ref[key])}")
    extras = set(ours) - set(ref)
    if extras & META_ADDITIONS:
        out.reasons.add("meta-additions")
    for key in sorted(extras - META_ADDITIONS):
        if _empty(ours[key]):
            continue
        if key in TITLES:
            out.reasons.add("archived-titles" if ours.get("archived") else "framework-titles")
            continue
        if key in DEFAULTED:
            out.reasons.add("blank-settings")
            continue
        out.details.append(f"field only in sdgtrack: {key}={_short(ours[key])}")
    for key in sorted(set(ref) & set(ours)):
        a, b = ours[key], ref[key]
        if a == b or (_empty(a) and _empty(b)):
            continue
        if key in DEFAULTED and _empty(b):  # the repository left it blank; sdgtrack publishes the default
            out.reasons.add("blank-settings")
            continue
        if key in TITLES and isinstance(a, str) and isinstance(b, str):
            out.reasons.add("archived-titles" if ours.get("archived") else "framework-titles")
            continue
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and float(a) == float(b):
            continue
        if isinstance(b, str) and a == _render(b.strip()):  # sdgtrack trims a text's ends, as YAML folds it
            out.reasons.add("safe-html")
            continue
        if isinstance(b, (list, dict)) and a == _trimmed(b):
            out.reasons.add("trimmed")
            continue
        out.details.append(f"field {key}: sdg-build {_short(b)}, sdgtrack {_short(a)}")


def _trimmed(value):
    """``value`` with every text in it trimmed at its ends."""
    if isinstance(value, list):
        return [_trimmed(v) for v in value]
    if isinstance(value, dict):
        return {k: _trimmed(v) for k, v in value.items()}
    return value.strip() if isinstance(value, str) else value


def _short(value, limit: int = 90) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- data packages --------------------------------------------------------------------------------
def _fields(package: dict) -> list[dict]:
    return ((package.get("resources") or [{}])[0].get("schema") or {}).get("fields") or []


def _schema(package: dict) -> dict[str, tuple[str, frozenset]]:
    return {
        f["name"]: (f.get("type"), frozenset(str(v) for v in (f.get("constraints") or {}).get("enum", [])))
        for f in _fields(package)
    }


def _package_names(ours: dict, ref: dict, header: list[str], out: Outcome) -> dict[str, str]:
    """sdgtrack's field name -> sdg-build's, for the fields sdg-build names in the source's words
    while its own data.csv (``header``) names the column in the language's: paired by equal title."""
    mine = {f["name"]: f.get("title") for f in _fields(ours)}
    theirs = {f["name"]: f.get("title") for f in _fields(ref)}
    renamed = {}
    for name, title in theirs.items():
        if name in mine or name in header:
            continue
        match = [m for m, t in mine.items() if t == title and m not in theirs and m in header]
        if len(match) == 1:
            renamed[match[0]] = name
    if renamed:
        out.reasons.add("package-names")
    return renamed


def compare_package(ours: dict, ref: dict, out: Outcome, ref_rows: pd.DataFrame | None = None) -> None:
    """An indicator's data package: each field's type and the set of its listed values
    (``ref_rows``: sdg-build's data file, to tell values only its rows without a value have)."""
    rows = ref_rows if ref_rows is not None else pd.DataFrame()
    renamed = _package_names(ours, ref, list(rows.columns), out)
    mine, theirs = {renamed.get(k, k): v for k, v in _schema(ours).items()}, _schema(ref)
    # sdg-build's data.csv names the column as sdgtrack's field does
    rows = rows.rename(columns=renamed)
    fields = ((ref.get("resources") or [{}])[0].get("schema") or {}).get("fields") or []
    for field_ in fields:  # named by code, titled by the column name its own data.csv has
        name, title = field_.get("name"), field_.get("title")
        by_code = title and name != title and name not in mine and title in mine and title not in theirs
        if by_code and title in rows.columns and name not in rows.columns:
            theirs[title] = theirs.pop(name)
            out.reasons.add("package-field-names")
    valued = rows[rows["Value"].ne("")] if "Value" in rows.columns else rows
    for name in sorted(set(mine) | set(theirs)):
        if name not in mine:
            if len(rows) and valued.empty:  # every row of sdg-build's has no value: sdgtrack's file has none
                out.reasons.add("blank-value")
                continue
            out.details.append(f"field only in sdg-build: {name}")
        elif name not in theirs:
            out.details.append(f"field only in sdgtrack: {name}")
        elif mine[name][0] != theirs[name][0]:
            if name in rows.columns and rows[name].eq("").all() and theirs[name][0] == "number":
                out.reasons.add("blank-column-type")  # no row fills it: pandas reads floats
                continue
            if name == "Value" and (mine[name][0], theirs[name][0]) == ("number", "integer"):
                out.reasons.add("value-number")
                continue
            blanks = "Value" in rows.columns and rows["Value"].eq("").any()
            if blanks and name in ("Year", "Value") and (name == "Value" or valued.empty):
                # sdg-build's rows without a value (its `There is no data` placeholder) make its
                # Value floats and its Year text
                out.reasons.add("blank-value")
                continue
            floated_year = name == "Year" and name in rows.columns and rows[name].str.match(YEAR_FLOAT).any()
            if floated_year and (mine[name][0], theirs[name][0]) == ("integer", "number"):
                out.reasons.add("year-float")
                continue
            out.details.append(f"field {name}: type {theirs[name][0]} in sdg-build, {mine[name][0]} in sdgtrack")
        elif mine[name][1] != theirs[name][1]:
            if OBSERVATION_ATTRIBUTE.match(name) and not mine[name][1]:
                out.reasons.add("observation-attributes")  # sdg-build lists a note's values as a breakdown's
                continue
            if {v.strip() for v in theirs[name][1]} == set(mine[name][1]):
                out.reasons.add("trimmed")  # a translation's closing line break
                continue
            floated = {v[:-2] if NUMERIC_LABEL.match(v) else v for v in theirs[name][1]}
            if floated == set(mine[name][1]):
                out.reasons.add("numeric-label")
                continue
            extra, missing = sorted(mine[name][1] - theirs[name][1]), sorted(theirs[name][1] - mine[name][1])
            if not extra and name in valued.columns and not set(missing) & set(valued[name]):
                out.reasons.add("blank-value")  # values only rows without a value have
                continue
            out.details.append(f"field {name}: values only in sdg-build: {missing[:6]}; only in sdgtrack: {extra[:6]}")
    if ours.get("title") != ref.get("title"):
        out.reasons.add("archived-titles" if str(ours.get("name", "")).startswith("archived-") else "framework-titles")


# -- stats ------------------------------------------------------------------------------------------
def _flatten(document, prefix: str = "") -> dict[str, object]:
    """Every leaf at a path; list items are named by their identifying field (goal, status, value)."""
    out: dict[str, object] = {}
    if isinstance(document, dict):
        for key, value in document.items():
            out.update(_flatten(value, f"{prefix}/{key}"))
    elif isinstance(document, list):
        for i, item in enumerate(document):
            name = str(i)
            if isinstance(item, dict):
                for ident in ("goal", "status", "value"):
                    if ident in item and not isinstance(item[ident], (dict, list)):
                        name = f"{ident}={item[ident]}"
                        break
            out.update(_flatten(item, f"{prefix}/{name}"))
    else:
        out[prefix] = document
    return out


def _disaggregation_status(expected: list, actual: set) -> str:
    if expected and set(expected) <= actual:
        return "complete"
    return "inprogress" if set(expected) & actual else "notstarted"


def _empty_data_columns(ref_dir: Path) -> dict[str, tuple[str, str, str]]:
    """Indicator -> (its goal, the status sdg-build gave it, the status of its values), for the
    indicators whose sdg-build data file has a column of an expected disaggregation without one
    value (UK 17-18-3: ``Year,Funding,Value`` and the line "This is a non-statistical indicator";
    Canada 9-1-2's ``Mode of transport``): sdg-build counts the column as the disaggregation being there."""
    out = {}
    for path in sorted((ref_dir / "meta").glob("*.json")):
        if path.stem in ("all", "schema"):
            continue
        expected = read_json(path).get("expected_disaggregations") or []
        data = ref_dir / "data" / f"{path.stem}.csv"
        if not expected or not isinstance(expected, list) or not data.is_file():
            continue
        frame = read_csv(data)
        if "Value" not in frame.columns:
            continue
        valued = frame[frame["Value"].ne("")]
        filled = {c for c in valued.columns if valued[c].ne("").any()}
        theirs = _disaggregation_status(expected, set(frame.columns))
        values = _disaggregation_status(expected, filled)
        if theirs != values:
            out[path.stem] = (path.stem.split("-")[0], theirs, values)
    return out


def _without_empty_columns(ref: dict, ref_dir: Path, out: Outcome) -> dict:
    """sdg-build's disaggregation statistics with the indicators of :func:`_empty_data_columns` counted
    as sdgtrack counts them (by the disaggregations of their values), reason listed."""
    empty = _empty_data_columns(ref_dir)
    if not empty:
        return ref
    ref = json.loads(json.dumps(ref))

    def move(part: dict, moved: Counter) -> None:
        statuses = {s["status"]: s for s in part.get("statuses", [])}
        for (old, new), n in moved.items():
            if old in statuses and new in statuses:
                statuses[old]["count"] -= n
                statuses[new]["count"] += n
        total = part.get("totals", {}).get("total") or 0
        for s in statuses.values():
            s["percentage"] = 100 * s["count"] / total if total else 0

    for goal in ref.get("goals", []):
        move(goal, Counter((old, new) for g, old, new in empty.values() if g == str(goal.get("goal"))))
    move(ref.get("overall", {}), Counter((old, new) for _, old, new in empty.values()))
    out.reasons.add("empty-data-columns")
    return ref


def compare_stats(ours, ref, out: Outcome) -> None:
    mine, theirs = _flatten(ours), _flatten(ref)
    if out.item == "disaggregation":
        counted = [p for p in theirs if "status=notapplicable" in p and p.startswith(("/goals", "/overall"))]
        if counted and not any("status=notapplicable" in p and p.startswith(("/goals", "/overall")) for p in mine):
            # sdg-build counted the out-of-scope indicators: their counts, the totals and shares differ
            out.reasons.add("out-of-scope")
            theirs = {p: v for p, v in theirs.items() if p.endswith("/count") and "notapplicable" not in p}
            mine = {p: v for p, v in mine.items() if p.endswith("/count")}
    added = [p for p in set(mine) - set(theirs) if "/disaggregation/" in p or p.endswith("/title")]
    if added:
        out.reasons.add("stats-additions")
        mine = {p: v for p, v in mine.items() if p not in set(added)}
    for path in sorted(set(mine) | set(theirs)):
        a, b = mine.get(path), theirs.get(path)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
            if float(a) == float(b):
                continue
        elif str(a) == str(b) and (path in mine) == (path in theirs):
            continue
        if path not in theirs:
            out.details.append(f"{path}: only in sdgtrack ({a})")
        elif path not in mine:
            out.details.append(f"{path}: only in sdg-build ({b})")
        else:
            out.details.append(f"{path}: sdg-build {b}, sdgtrack {a}")


# -- what a repository's SDMX input holds that its DSD does not list ------------------------------------
def unlisted_series(repo: Path | None) -> frozenset[str]:
    """Series codes of the repository's SDMX data (config_data.yml's InputSdmxMl inputs) that its
    DSD's CL_SERIES does not list: sdg-build cannot place their rows under any indicator."""
    if repo is None or not (repo / "config_data.yml").is_file():
        return frozenset()
    import yaml

    config = yaml.safe_load((repo / "config_data.yml").read_text("utf-8")) or {}
    found: set[str] = set()
    for spec in config.get("inputs") or []:
        if not (isinstance(spec, dict) and str(spec.get("class", "")).startswith("InputSdmxMl") and spec.get("dsd")):
            continue
        dsd = (repo / spec["dsd"]).read_text("utf-8")
        block = re.search(r'<(?:\w+:)?Codelist id="CL_SERIES".*?</(?:\w+:)?Codelist>', dsd, re.S)
        listed = set(re.findall(r'<(?:\w+:)?Code id="([^"]+)"', block.group(0))) if block else set()
        for message in repo.glob(spec.get("path_pattern") or "sdmx-data/*.xml"):
            found |= set(re.findall(r'\bSERIES="([^"]+)"', message.read_text("utf-8"))) - listed
    return frozenset(found)


def _without_unlisted(frame: pd.DataFrame, unlisted: frozenset[str], out: Outcome) -> pd.DataFrame:
    """sdgtrack's rows without those of :func:`unlisted_series` (reason listed when there were any)."""
    column = next((c for c in ("SERIES", "Series") if c in frame.columns), None)
    if not unlisted or column is None:
        return frame
    drop = frame[column].isin(unlisted)
    if not drop.any():
        return frame
    out.reasons.add("unplaced-series")
    kept = frame[~drop].reset_index(drop=True)
    return kept if len(kept) else pd.DataFrame(columns=["Year", "Value"])


def _reporting_adjusted(ref: dict, moved: dict[str, str], removed: dict[str, str], out: Outcome) -> dict:
    """sdg-build's reporting statistics with the indicators of ``moved`` (id -> sdgtrack's status)
    counted with sdgtrack's status (``unplaced-series``) and those of ``removed`` (id -> sdg-build's
    status) not counted (``deleted-indicators``)."""
    if not moved and not removed:
        return ref
    ref = json.loads(json.dumps(ref))

    def adjust(part: dict, goal: str | None) -> None:
        statuses = {s["status"]: s for s in part.get("statuses", [])}
        totals = part.setdefault("totals", {})
        for code, status in moved.items():
            if goal in (None, code.split("-")[0]) and status in statuses and "notstarted" in statuses:
                statuses["notstarted"]["count"] -= 1
                statuses[status]["count"] += 1
        for code, status in removed.items():
            if goal in (None, code.split("-")[0]) and status in statuses:
                statuses[status]["count"] -= 1
                totals["total"] = (totals.get("total") or 0) - 1
        total = totals.get("total") or 0
        for s in statuses.values():  # sdg-build rounds its shares to 3 decimals
            s["percentage"] = round(100 * s["count"] / total, 3) if total else 0

    for goal in ref.get("goals", []):
        adjust(goal, str(goal.get("goal")))
    adjust(ref.get("overall", {}), None)
    if moved:
        out.reasons.add("unplaced-series")
    if removed:
        out.reasons.add("deleted-indicators")
    return ref


def _as_not_started(mine, theirs, out: Outcome):
    """sdgtrack's meta with sdg-build's ``notstarted`` where only an unplaced series made it complete."""
    if not (isinstance(mine, dict) and isinstance(theirs, dict)):
        return mine
    if mine.get("reporting_status") == "complete" and theirs.get("reporting_status") == "notstarted":
        out.reasons.add("unplaced-series")
        return {**mine, "reporting_status": "notstarted"}
    return mine


def _fields_of(package: dict, other: dict) -> dict:
    """``package`` with only the schema fields ``other`` also names."""
    names = set(_schema(other))
    package = json.loads(json.dumps(package))
    for resource in package.get("resources") or []:
        schema = resource.get("schema") or {}
        schema["fields"] = [f for f in schema.get("fields") or [] if f.get("name") in names]
    return package


def _status_changes(ours: Path, ref: Path, placed: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(indicator -> sdgtrack's status for the ``placed`` ones sdg-build did not start, indicator ->
    sdg-build's status for the goal indicators only sdg-build has meta for and no data rows of:
    those deleted from the framework, such as Rwanda's 1.a.3)."""
    moved, removed = {}, {}
    for code in sorted(placed):
        mine, theirs = ours / "meta" / f"{code}.json", ref / "meta" / f"{code}.json"
        if mine.is_file() and theirs.is_file():
            a, b = read_json(mine).get("reporting_status"), read_json(theirs).get("reporting_status")
            if a != b and b == "notstarted":
                moved[code] = a
    for path in sorted((ref / "meta").glob("*.json")):
        code = path.stem
        if not re.fullmatch(r"\d{1,2}-[0-9a-z]{1,2}-\d{1,2}", code) or (ours / "meta" / path.name).is_file():
            continue
        data = ref / "data" / f"{code}.csv"
        if not data.is_file() or len(read_csv(data)) == 0:
            removed[code] = read_json(path).get("reporting_status") or "notstarted"
    return moved, removed


# -- one site against the other ---------------------------------------------------------------------
def _status(out: Outcome) -> Outcome:
    out.status = "unexplained" if out.details else ("listed" if out.reasons else "identical")
    return out


def _stems(folder: Path, suffix: str, skip: tuple[str, ...] = ()) -> set[str]:
    if not folder.is_dir():
        return set()
    return {p.name[: -len(suffix)] for p in folder.glob(f"*{suffix}") if p.name[: -len(suffix)] not in skip}


def compare_lang(
    ours: Path, ref: Path, lang: str, kinds=KINDS, only: str | None = None, repo: Path | None = None
) -> list[Outcome]:
    """Every comparison of one language folder of both sites (``ours``/``lang`` against ``ref``/``lang``;
    ``repo``: the repository both were built from, for what its SDMX input holds)."""
    results: list[Outcome] = []
    a, b = ours / lang, ref / lang
    unlisted = unlisted_series(repo)
    placed: set[str] = set()  # indicators sdgtrack has unlisted series' rows for
    per_file = {
        "data": ("data", ".csv", lambda p: read_csv(p)),
        "headline": ("headline", ".csv", lambda p: read_csv(p)),
        "comb": ("comb", ".json", read_json),
        "edges": ("edges", ".json", read_json),
        "meta": ("meta", ".json", read_json),
    }
    for kind in kinds:
        if kind in per_file:
            folder, suffix, read = per_file[kind]
            skip = ("all", "schema")
            mine, theirs = _stems(a / folder, suffix, skip), _stems(b / folder, suffix, skip)
            for item in sorted(mine | theirs):
                if only and item != only:
                    continue
                out = Outcome(kind, lang, item, "")
                if item not in mine:
                    out.status = "only-sdgbuild"
                elif item not in theirs:
                    out.status = "only-sdgtrack"
                else:
                    x, y = read(a / folder / f"{item}{suffix}"), read(b / folder / f"{item}{suffix}")
                    if kind in ("data", "headline"):
                        x = _without_unlisted(x, unlisted, out)
                    elif kind == "comb" and isinstance(x, dict):
                        data = _without_unlisted(frame_from_json(x.get("data")), unlisted, out)
                        x = {**x, "data": data.to_dict("list")}
                    if kind == "meta" and item in placed:
                        x = _as_not_started(x, y, out)
                    rows = b / "data" / f"{item}.csv"
                    valued = read_csv(rows) if kind in ("edges", "comb") and rows.is_file() else None
                    _compare_kind(kind, x, y, out, valued)
                    if "unplaced-series" in out.reasons and kind == "data":
                        placed.add(item)
                    _status(out)
                results.append(out)
        elif kind in ("meta/all", "headline/all"):
            folder = kind.split("/")[0]
            x = read_json(a / folder / "all.json") if (a / folder / "all.json").is_file() else None
            y = read_json(b / folder / "all.json") if (b / folder / "all.json").is_file() else None
            x, y = x or {}, y or {}
            for item in sorted(set(x) | set(y)):
                if only and item != only:
                    continue
                out = Outcome(kind, lang, item, "")
                if item not in x:
                    out.status = "only-sdgbuild"
                elif item not in y:
                    out.status = "only-sdgtrack"
                elif kind == "meta/all":
                    mine = _as_not_started(x[item], y[item], out) if item in placed else x[item]
                    compare_meta(mine, y[item], out)
                    _status(out)
                else:
                    rows = _without_unlisted(frame_from_json(x[item]), unlisted, out)
                    compare_records(rows, frame_from_json(y[item]), out, rounded_json=True, headline=True)
                    _status(out)
                results.append(out)
        elif kind == "data-packages":
            mine = {p.parent.name for p in (a / kind).glob("*/datapackage.json")}
            theirs = {p.parent.name for p in (b / kind).glob("*/datapackage.json")}
            for item in sorted(mine | theirs):
                if only and item != only:
                    continue
                out = Outcome(kind, lang, item, "")
                if item not in mine:
                    out.status = "only-sdgbuild"
                elif item not in theirs:
                    out.status = "only-sdgtrack"
                else:
                    path = f"{kind}/{item}/datapackage.json"
                    data = b / "data" / f"{item}.csv"
                    mine_package, theirs_package = read_json(a / path), read_json(b / path)
                    if item in placed:  # the columns of the unlisted series' rows only sdgtrack has
                        mine_package = _fields_of(mine_package, theirs_package)
                        out.reasons.add("unplaced-series")
                    compare_package(mine_package, theirs_package, out, read_csv(data) if data.is_file() else None)
                    _status(out)
                results.append(out)
        elif kind == "stats" and not only:
            for item in sorted(_stems(a / "stats", ".json") | _stems(b / "stats", ".json")):
                out = Outcome(kind, lang, item, "")
                if not (a / "stats" / f"{item}.json").is_file():
                    out.status = "only-sdgbuild"
                elif not (b / "stats" / f"{item}.json").is_file():
                    out.status = "only-sdgtrack"
                else:
                    ref_stats = read_json(b / "stats" / f"{item}.json")
                    if item == "disaggregation":
                        ref_stats = _without_empty_columns(ref_stats, b, out)
                    if item == "reporting":
                        moved, removed = _status_changes(a, b, placed)
                        ref_stats = _reporting_adjusted(ref_stats, moved, removed, out)
                    compare_stats(read_json(a / "stats" / f"{item}.json"), ref_stats, out)
                    _status(out)
                results.append(out)
    return results


def _compare_kind(kind: str, x, y, out: Outcome, ref_rows: pd.DataFrame | None = None) -> None:
    if kind in ("data", "headline"):
        compare_records(x, y, out, headline=kind == "headline")
    elif kind == "comb":
        compare_records(
            frame_from_json((x or {}).get("data")), frame_from_json((y or {}).get("data")), out, rounded_json=True
        )
        before = len(out.details)
        compare_edges((x or {}).get("edges"), (y or {}).get("edges"), out)
        valueless = ref_rows is not None and "Value" in ref_rows and ref_rows["Value"].eq("").all()
        if len(out.details) > before and not (x or {}).get("edges") and valueless:
            del out.details[before:]  # the breakdowns of sdg-build's rows without a value
            out.reasons.add("blank-value")
    elif kind == "edges":
        compare_edges(x, y, out)
        if out.details and not x and ref_rows is not None and "Value" in ref_rows and ref_rows["Value"].eq("").all():
            # sdg-build nests the breakdowns of rows without a value; sdgtrack has no such row
            out.details.clear()
            out.reasons.add("blank-value")
    elif kind == "meta":
        compare_meta(x, y, out)


def compare_sites(
    ours: Path, ref: Path, langs: list[str] | None = None, only: str | None = None, repo: Path | None = None
) -> list[Outcome]:
    """Compare every language folder both sites have (or ``langs``); ``repo``: the repository."""
    if langs is None:
        langs = sorted(p.name for p in ref.iterdir() if p.is_dir() and (ours / p.name).is_dir())
    results: list[Outcome] = []
    for lang in langs:
        results.extend(compare_lang(ours, ref, lang, only=only, repo=repo))
    return results


# -- the table --------------------------------------------------------------------------------------
COLUMNS = ("in both", "identical", "listed", "unexplained", "only sdg-build", "only sdgtrack")


def table(results: list[Outcome]) -> pd.DataFrame:
    """Per language and file kind: how many indicators (stats: files) are identical, listed, unexplained."""
    if not results:
        return pd.DataFrame(columns=["lang", "file", *COLUMNS])
    frame = pd.DataFrame({"lang": [r.lang for r in results], "kind": [r.kind for r in results],
                          "status": [r.status for r in results]})  # fmt: skip
    counts = frame.groupby(["lang", "kind", "status"]).size().unstack(fill_value=0)
    for status in ("identical", "listed", "unexplained", "only-sdgbuild", "only-sdgtrack"):
        if status not in counts.columns:
            counts[status] = 0
    counts["in both"] = counts["identical"] + counts["listed"] + counts["unexplained"]
    counts = counts.rename(columns={"only-sdgbuild": "only sdg-build", "only-sdgtrack": "only sdgtrack"})
    counts = counts[list(COLUMNS)].reset_index()
    counts["order"] = counts["kind"].map({k: i for i, k in enumerate(KINDS)})
    counts = counts.sort_values(["lang", "order"]).drop(columns="order")
    counts.insert(1, "file", counts.pop("kind").map(LABELS))
    return counts.reset_index(drop=True)


def reasons_summary(results: list[Outcome]) -> list[str]:
    seen: Counter = Counter()
    for r in results:
        for reason in r.reasons:
            seen[(r.lang, LABELS[r.kind], reason)] += 1
    return [f"  {lang} {label}: {reason} ({n})" for (lang, label, reason), n in sorted(seen.items())]


def _causes(line: str) -> list[str]:
    """Short names of what an unexplained difference is, to count indicators by cause."""
    for prefix, name in (
        ("columns only in sdg-build: ", "column missing"),
        ("columns only in sdgtrack: ", "column added"),
    ):
        if line.startswith(prefix):
            return [f"{name}: {c}" for c in ast.literal_eval(line[len(prefix) :])]
    match = re.match(r"field only in (sdg-build|sdgtrack): ([^=]+)(=|$)", line)
    if match:
        return [f"field {'missing' if match.group(1) == 'sdg-build' else 'added'}: {match.group(2)}"]
    match = re.match(r"field (.+?): (sdg-build|type|values)", line)
    if match:
        return [f"field differs: {match.group(1)}"]
    if line.startswith("rows only in"):
        return ["rows differ"]
    if line.startswith("edges only in"):
        return ["edges differ"]
    if line.startswith("/"):
        return ["numbers differ"]
    return []


def causes_summary(results: list[Outcome], top: int = 12) -> list[str]:
    """Per file kind, the most frequent causes of unexplained differences and how many indicators have each."""
    counts: dict[str, Counter] = {}
    for r in results:
        seen = {cause for line in r.details for cause in _causes(line)}
        counts.setdefault(f"{r.lang} {LABELS[r.kind]}", Counter()).update(seen)
    lines = []
    for label, counter in counts.items():
        if counter:
            lines.append(f"  {label}: " + "; ".join(f"{cause} ({n})" for cause, n in counter.most_common(top)))
    return lines


def format_table(frame: pd.DataFrame) -> str:
    return frame.to_string(index=False)


# -- sdgtrack's side: ingest and build --------------------------------------------------------------
def repository_languages(repo: Path) -> list[str]:
    import yaml

    from sdgtrack.frameworks.reference import LANGUAGES

    config = yaml.safe_load((repo / "config_data.yml").read_text(encoding="utf-8")) or {}
    langs = [str(lang) for lang in config.get("languages") or ["en"]]
    return [lang for lang in langs if lang in LANGUAGES] or ["en"]


def build_sdgtrack(repo: Path, work: Path) -> tuple[Path, float, float]:
    """Ingest ``repo`` into a fresh store under ``work`` and build its site there; (site, s, s)."""
    import sdgtrack
    from sdgtrack.publish.build import build_site
    from sdgtrack.publish.site import SiteOptions

    work.mkdir(parents=True, exist_ok=True)
    store, site = work / "store.duckdb", work / "site"
    for stale in (store, work / "store.duckdb.wal"):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    with sdgtrack.open(store) as ws:
        ws.ingest(repo, skip_invalid=True, rejected_path=work / "rejected.csv")
    ingested = time.perf_counter() - started
    started = time.perf_counter()
    with sdgtrack.open(store, read_only=True) as ws:
        build_site(ws, site, SiteOptions(langs=tuple(repository_languages(repo))))
    return site, ingested, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("repos", nargs="+", help="repository folder names under --data (uk, canada, rwanda)")
    parser.add_argument(
        "--reference", type=Path, default=REFERENCE, help="sdg-build's outputs, one folder per repository"
    )
    parser.add_argument("--data", type=Path, default=DATA, help="the Open SDG repositories")
    parser.add_argument(
        "--work", type=Path, default=None, help="where sdgtrack's store and site go (default: a temporary folder)"
    )
    parser.add_argument(
        "--site", type=Path, default=None, help="compare this sdgtrack site instead of building one (one repository)"
    )
    parser.add_argument("--indicator", default=None, help="list the differences of this indicator (e.g. 3-2-1)")
    parser.add_argument("--unexplained", action="store_true", help="list every unexplained difference")
    args = parser.parse_args(argv)
    if args.site and len(args.repos) != 1:
        parser.error("--site compares one repository")
    work_root = args.work or Path(tempfile.mkdtemp(prefix="sdgbuild-parity-"))
    for name in args.repos:
        ref = args.reference / name
        if not ref.is_dir():
            print(f"no sdg-build output at {ref} (run tools/run_sdgbuild.sh {name})", file=sys.stderr)
            return 2
        if args.site:
            site = args.site
            note = f"sdgtrack site {site}"
        else:
            site, ingested, built = build_sdgtrack(args.data / name, work_root / name)
            note = f"sdgtrack site {site} (ingest {ingested:.0f} s, build {built:.0f} s)"
        started = time.perf_counter()
        results = compare_sites(site, ref, repo=args.data / name)
        print(f"\n== {name}: sdg-build {ref} against {note}; compared in {time.perf_counter() - started:.1f} s")
        print(format_table(table(results)))
        listed = reasons_summary(results)
        if listed:
            print("listed differences (indicators):")
            print("\n".join(listed))
        causes = causes_summary(results)
        if causes:
            print("unexplained, by cause (indicators):")
            print("\n".join(causes))
        if args.indicator or args.unexplained:
            for r in results:
                if (args.indicator and r.item != args.indicator) or (not args.indicator and r.status != "unexplained"):
                    continue
                reasons = f" [{', '.join(sorted(r.reasons))}]" if r.reasons else ""
                print(f"-- {r.lang} {LABELS[r.kind]} {r.item}: {r.status}{reasons}")
                for line in r.details:
                    print(f"   {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
