"""Statistical interlinkages: Spearman correlations between pairs of series within each area.

Method (Pradhan et al. 2017, with the care asked for since): for each area, every pair of series
with at least ``min_years`` years where both have a value gets Spearman's rho on those years and
its t-approximation p-value; each series is first aligned to its desired direction (negated when a
decrease is desired) and transformed (levels, detrended, or first differences). A pair is a
synergy when rho > threshold and p < alpha, a trade-off when rho < -threshold and p < alpha.
A shuffled null (years permuted within each series) estimates how many classifications chance
alone would give. Work is one NumPy computation per area over its series x year matrix
(:mod:`.spearman`), never a loop over pairs.
"""

from __future__ import annotations

import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from ..errors import UserInputError
from .directions import SOURCE as DIRECTION_SOURCE
from .directions import directions as direction_table
from .options import LinkParameters
from .spearman import critical_rho, pairwise_spearman, spearman_pvalue
from .transforms import TRANSFORMS

CLASSES = ["none", "synergy", "tradeoff"]
PAIR_COLUMNS = ["area", "series_a", "series_b", "n", "rho", "p", "class"]
METHOD = (
    "Spearman rank correlation per area over pairwise-complete years (average ranks for ties), "
    "two-sided p-value by the t-approximation with n-2 degrees of freedom; series aligned to "
    "their desired direction (Pradhan et al. 2017)"
)


@dataclass
class LinkResult:
    """Pairs (one row per tested pair of series in an area) and what was done to get them."""

    pairs: pd.DataFrame
    meta: dict = field(default_factory=dict)


# Headline values a run reads from the store at once: a store with more reads its areas in groups
# of about this many values (the table is in (series, area) order, so each group's read is one scan
# of the rows asked, and an area filter prunes nothing). About 100 bytes a value in memory.
VALUES_PER_READ = 4_000_000


def statistical_links(
    db,
    *,
    areas=None,
    series=None,
    start: int | None = None,
    end: int | None = None,
    targets=None,
    datasets=None,
    write: Callable[[pd.DataFrame], None] | None = None,
    area_group: int | None = None,
    **parameters,
) -> LinkResult:
    """Interlinkages between series in each area, from the store's headline values.

    ``areas``: area codes or names (default: every country); ``series``: series, indicator,
    target or goal codes (default: all); ``start``/``end``: years; ``targets``: a targets CSV whose
    directions extend or override the progress assessment's defaults; ``datasets``: datasets to
    read, in order of preference (default: all, one per series and area). ``parameters``: the fields
    of :class:`LinkParameters`.

    The values are read some areas at a time (``area_group``; default: as many as hold about
    :data:`VALUES_PER_READ` values, every area on a national store) and each area's matrices are
    computed alone, so the run holds one group's values, never every area's. ``write``: called with
    each area's pairs (in area order, the columns of the result) as soon as they are computed; the
    result then holds no pairs (its meta counts them all), so a run whose pairs outgrow memory
    streams them to files (:func:`parquet_writer`). Without it the result holds every pair.
    """
    params = LinkParameters(**parameters)
    params.check()
    directions = direction_table(db, targets)
    reading = {"series": series, "start": start, "end": end, "datasets": datasets}
    codes = _link_areas(db, areas)
    # the main unit of a series is decided over every area the run reads, as one read would
    units = db.main_units(series, areas=areas, start=start, end=end, datasets=datasets)
    if area_group is None:
        total = int(units["n"].sum()) if len(units) else 0
        area_group = len(codes) if total <= VALUES_PER_READ else len(codes) * VALUES_PER_READ // total
    area_group = max(1, area_group)
    parts: list[LinkPart] = []
    used: dict[str, set] = {}
    for k in range(0, len(codes), area_group):
        values = db.headline_values(series, areas=codes[k : k + area_group], units=units, **_but_series(reading))
        for dataset, names in values.groupby("dataset")["series"].unique().items():
            used.setdefault(str(dataset), set()).update(names)
        if not len(values):
            continue
        area = values["area"].to_numpy()
        # pairs written away go one area at a time, so that one area's pairs are held, not a group's
        pieces = (values[area == code] for code in sorted(pd.unique(area), key=_area_key)) if write else [values]
        for piece in pieces:
            part = area_links(piece, directions, params)
            if write is not None:
                part.counts = _counts(part.pairs)
                if len(part.pairs):
                    write(part.pairs)
                part.pairs = part.pairs.iloc[:0].copy()  # a slice would keep the arrays alive
            parts.append(part)
        del values, area
    counted = write is not None and bool(parts)
    result = finish_links(parts or [area_links(_NO_VALUES, directions, params)], params, counted=counted)
    return with_sources(result, {d: len(s) for d, s in sorted(used.items())}, areas, targets)


def _but_series(reading: dict) -> dict:
    return {k: v for k, v in reading.items() if k != "series"}


_NO_VALUES = pd.DataFrame({"series": [], "area": [], "year": pd.Series([], dtype="int64"), "value": []})


def _link_areas(db, areas) -> list[str]:
    """The area codes a run reads, in the order of its result: those asked, else every country."""
    codes = db.resolve_areas(areas) if areas else db.areas(kind="country")["code"].tolist()
    return sorted(dict.fromkeys(str(c) for c in codes or []), key=_area_key)


def parquet_writer(folder: str | Path) -> Callable[[pd.DataFrame], None]:
    """A ``write`` for :func:`statistical_links`: each area's pairs as ``part-NNNNN.parquet`` in
    ``folder`` (created; it must be new or empty), the categories as plain text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(folder)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserInputError(f"{out}: expected a new or empty folder for the pairs")
    out.mkdir(parents=True, exist_ok=True)
    count = [0]

    def write(pairs: pd.DataFrame) -> None:
        frame = pairs.astype({c: str for c in ("area", "series_a", "series_b", "class")})
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), out / f"part-{count[0]:05d}.parquet")
        count[0] += 1

    return write


def link_values(db, *, areas=None, series=None, start=None, end=None, datasets=None) -> pd.DataFrame:
    """The headline values the analysis reads: of ``areas`` (default: every country)."""
    values = db.headline_values(series, areas=areas, start=start, end=end, datasets=datasets)
    if not areas:
        countries = set(db.areas(kind="country")["code"])
        values = values[values["area"].isin(countries)]
    return values


def series_datasets(values: pd.DataFrame) -> dict[str, int]:
    """Dataset -> how many series the values took from it. A distributed run never splits a series
    between its parts, so the parts' counts add up."""
    return {d: int(n) for d, n in values.groupby("dataset")["series"].nunique().items()}


def with_sources(result: LinkResult, datasets: dict[str, int], areas, targets) -> LinkResult:
    """What a run read, in its meta: the areas asked for, the datasets, where directions came from."""
    result.meta["areas_requested"] = "every country" if not areas else list(areas)
    result.meta["datasets"] = dict(datasets)
    result.meta["direction_source"] = DIRECTION_SOURCE + (
        f" with {targets}" if isinstance(targets, (str, Path)) else ""
    )
    return result


@dataclass
class LinkPart:
    """The pairs of some areas and what the run's meta is made of. A run over every area is one
    part; a distributed run has one per group of areas, and :func:`finish_links` joins them."""

    pairs: pd.DataFrame
    null_counts: np.ndarray  # tests, synergies, trade-offs under the null
    years: tuple[float, float]  # first and last year of the series used
    series_used: set
    unknown: set  # series of the values without a desired direction
    areas: list  # every area and series of the values (the categories of the joined pairs)
    series: list
    counts: dict = field(default_factory=dict)  # of pairs written elsewhere (finish_links' counted)


def links_from_values(values: pd.DataFrame, directions: pd.DataFrame, params: LinkParameters) -> LinkResult:
    """The computation on plain tables: ``values`` (series, area, year, value) and
    ``directions`` (series, direction in {1, -1, 0})."""
    return finish_links([area_links(values, directions, params)], params)


def area_links(values: pd.DataFrame, directions: pd.DataFrame, params: LinkParameters) -> LinkPart:
    """The pairs of every area in ``values``. Each area is computed alone (its own matrix, its own
    null draws, seeded by the area's code), so any grouping of areas gives the same rows."""
    params.check()
    values = values[["series", "area", "year", "value"]].dropna(subset=["value"])
    # Work on integer codes: string columns are mapped once per distinct code, not per row.
    s_code, s_uniques = pd.factorize(values["series"], sort=True)
    a_code, a_uniques = pd.factorize(values["area"])
    s_uniques = np.asarray(s_uniques, dtype=object)
    direction = pd.Series(s_uniques).map(directions.set_index("series")["direction"]).fillna(0).astype(int)
    sign = direction.to_numpy()[s_code]
    keep = sign != 0 if params.unknown_direction == "drop" else np.ones(len(sign), dtype=bool)
    val = values["value"].to_numpy(dtype=float)[keep] * np.where(sign[keep] == -1, -1.0, 1.0)
    year = values["year"].to_numpy(dtype=np.int64)[keep]
    s_code, a_code = s_code[keep], a_code[keep]
    series_codes, s_idx = np.unique(s_code, return_inverse=True)
    series_codes = s_uniques[series_codes]  # sorted, as factorize(sort=True) sorted them
    area_present, a_code = np.unique(a_code, return_inverse=True)
    area_names = np.asarray(a_uniques, dtype=object)[area_present]
    area_order = sorted(range(len(area_names)), key=lambda k: _area_key(area_names[k]))
    area_codes = area_names[area_order]
    a_idx = np.argsort(area_order)[a_code]
    order = np.lexsort((year, s_idx, a_idx))
    s_idx, a_idx, year, val = s_idx[order], a_idx[order], year[order], val[order]
    bounds = np.flatnonzero(np.diff(a_idx)) + 1
    starts = np.concatenate([[0], bounds]) if len(a_idx) else np.array([], dtype=int)
    stops = np.concatenate([bounds, [len(a_idx)]]) if len(a_idx) else np.array([], dtype=int)

    transform = TRANSFORMS[params.transform]
    chunks: list[tuple] = []
    null_counts = np.zeros(3, dtype=np.int64)  # tests, synergies, trade-offs under the null
    years_used = [np.inf, -np.inf]
    series_used: set[int] = set()
    for lo, hi in zip(starts, stops):
        area_series, x, first_year = _area_matrix(s_idx[lo:hi], year[lo:hi], val[lo:hi], params.min_years)
        if len(area_series) < 2:
            continue
        x = transform(x)
        keep = (~np.isnan(x)).sum(axis=1) >= params.min_years
        area_series, x = area_series[keep], x[keep]
        if len(area_series) < 2:
            continue
        i, j, n, rho, p, p_adj, klass = _test_area(x, params)
        if len(i) == 0:
            continue
        chunks.append((a_idx[lo], area_series[i], area_series[j], n, rho, p, p_adj, klass))
        used = np.unique(np.concatenate([i, j]))
        series_used.update(area_series[used].tolist())
        cols = np.flatnonzero((~np.isnan(x[used])).any(axis=0))
        years_used[0] = min(years_used[0], first_year + cols.min())
        years_used[1] = max(years_used[1], first_year + cols.max())
        if params.null_permutations:
            rng = np.random.default_rng([params.seed, zlib.crc32(str(area_codes[a_idx[lo]]).encode("utf-8"))])
            for _ in range(params.null_permutations):
                null_counts += _null_counts(x, i, j, params, rng)

    return LinkPart(
        pairs=_assemble(chunks, area_codes, series_codes, params),
        null_counts=null_counts,
        years=(years_used[0], years_used[1]),
        series_used={str(series_codes[k]) for k in series_used},
        unknown={str(c) for c in s_uniques[(direction == 0).to_numpy()]},
        areas=[str(c) for c in area_codes],
        series=[str(c) for c in series_codes],
    )


def finish_links(parts: list[LinkPart], params: LinkParameters, counted: bool = False) -> LinkResult:
    """One result from the parts of a run (disjoint groups of areas): their pairs in area order, and
    the meta counted over all of them. ``counted``: the parts' pairs were written elsewhere
    (:func:`statistical_links`' ``write``); the meta counts them from each part's ``counts``."""
    pairs = _join_pairs(parts)
    null_counts = np.sum([p.null_counts for p in parts], axis=0) if parts else np.zeros(3, dtype=np.int64)
    first = min((p.years[0] for p in parts), default=np.inf)
    last = max((p.years[1] for p in parts), default=-np.inf)
    counts = {k: sum(p.counts[k] for p in parts) for k in parts[0].counts} if counted and parts else _counts(pairs)
    n_tests = counts["tests"]
    meta = {
        "method": METHOD,
        "transform": params.transform,
        "parameters": asdict(params),
        "classification": (
            f"synergy if rho > {params.rho_threshold} and {'BH-adjusted ' if params.bh else ''}"
            f"p < {params.alpha}; tradeoff if rho < -{params.rho_threshold} and "
            f"{'BH-adjusted ' if params.bh else ''}p < {params.alpha}; else none"
        ),
        "window": None if not np.isfinite(first) else [int(first), int(last)],
        "areas": counts["areas"],
        "series": len(set().union(*(p.series_used for p in parts))),
        "pairs": counts["pairs"],
        "tests": n_tests,
        "undefined": int(counts["pairs"] - n_tests),
        "synergies": counts["synergies"],
        "tradeoffs": counts["tradeoffs"],
        "synergy_rate": _rate(counts["synergies"], n_tests),
        "tradeoff_rate": _rate(counts["tradeoffs"], n_tests),
        "null": {
            "permutations": params.null_permutations,
            "tests": int(null_counts[0]),
            "synergy_rate": _rate(null_counts[1], null_counts[0]),
            "tradeoff_rate": _rate(null_counts[2], null_counts[0]),
            "what": "share of tests classified synergy/tradeoff after permuting the years within each "
            "series (same gaps, same thresholds): the rate expected by chance alone",
        },
        "series_without_direction": len(set().union(*(p.unknown for p in parts))),
        "unknown_direction": ("kept unaligned" if params.unknown_direction == "keep" else "dropped"),
    }
    return LinkResult(pairs, meta)


def _counts(pairs: pd.DataFrame) -> dict[str, int]:
    """What the meta counts of some pairs (areas with a pair, pairs, tests, classes)."""
    observed = pairs["class"].value_counts()
    return {
        "areas": int(pairs["area"].nunique()),
        "pairs": len(pairs),
        "tests": int(pairs["rho"].notna().sum()),
        "synergies": int(observed.get("synergy", 0)),
        "tradeoffs": int(observed.get("tradeoff", 0)),
    }


def _join_pairs(parts: list[LinkPart]) -> pd.DataFrame:
    """The parts' pairs as one frame, areas in code order, with the categories one part over every
    area would have had (every area and series of the values, tested or not). Each part's
    category codes are mapped onto the joined categories: no pair is turned into text."""
    if len(parts) == 1:
        return parts[0].pairs
    filled = [p.pairs for p in parts if len(p.pairs)]
    if not filled:
        return parts[0].pairs
    areas = sorted(set().union(*(p.areas for p in parts)), key=_area_key)
    series = sorted(set().union(*(p.series for p in parts)))
    columns = {}
    for column, categories in (("area", areas), ("series_a", series), ("series_b", series), ("class", CLASSES)):
        position = pd.Index(categories)
        codes = []
        for frame in filled:
            values = frame[column]
            if isinstance(values.dtype, pd.CategoricalDtype):
                # a part's categories are strings of the joined ones; -1 (no value) stays -1
                mapping = np.append(position.get_indexer(values.cat.categories.astype(str)), -1)
                codes.append(mapping[values.cat.codes.to_numpy()])
            else:
                codes.append(position.get_indexer(values.astype(str)))
        columns[column] = pd.Categorical.from_codes(np.concatenate(codes), categories=categories)
    frame = pd.DataFrame(
        {
            c: columns[c] if c in columns else np.concatenate([f[c].to_numpy() for f in filled])
            for c in filled[0].columns
        }
    )
    order = np.argsort(frame["area"].cat.codes.to_numpy(), kind="stable")
    return frame.iloc[order].reset_index(drop=True)


def _area_key(code: str):
    return (0, int(code), "") if str(code).isdigit() else (1, 0, str(code))


def _rate(count, total) -> float | None:
    return None if not total else float(count) / float(total)


def _area_matrix(s_idx: np.ndarray, year: np.ndarray, val: np.ndarray, min_years: int):
    """The area's (series x consecutive years) matrix, only series with >= min_years values."""
    series, first, counts = np.unique(s_idx, return_index=True, return_counts=True)
    keep = counts >= min_years
    if keep.sum() < 2:
        return series[keep], None, 0
    rows = np.repeat(keep, counts)
    s_idx, year, val = s_idx[rows], year[rows], val[rows]
    series = series[keep]
    y0, y1 = int(year.min()), int(year.max())
    x = np.full((len(series), y1 - y0 + 1), np.nan)
    x[np.searchsorted(series, s_idx), year - y0] = val
    return series, x, y0


def _test_area(x: np.ndarray, params: LinkParameters):
    rho_m, n_m = pairwise_spearman(x)
    i, j = np.triu_indices(len(x), 1)
    n = n_m[i, j]
    enough = n >= params.min_years
    i, j, n = i[enough], j[enough], n[enough]
    rho = rho_m[i, j]
    p = spearman_pvalue(rho, n)
    p_adj = benjamini_hochberg(p) if params.bh else None
    klass = classify(rho, p if p_adj is None else p_adj, params.rho_threshold, params.alpha)
    return i, j, n, rho, p, p_adj, klass


def classify(rho: np.ndarray, p: np.ndarray, threshold: float, alpha: float) -> np.ndarray:
    """Class codes (index into CLASSES): 1 synergy, 2 trade-off, 0 none (also for NaN)."""
    significant = p < alpha  # False for NaN
    out = np.zeros(len(rho), dtype=np.int8)
    out[significant & (rho > threshold)] = 1
    out[significant & (rho < -threshold)] = 2
    return out


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """BH-adjusted p-values (q-values) over the non-NaN entries; NaN stays NaN."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        from scipy import stats  # only with --bh: scipy.stats takes a while to import

        out[ok] = stats.false_discovery_control(p[ok], method="bh")
    return out


def permute_within_rows(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each row's values shuffled among the row's own non-missing columns (gaps stay put)."""
    valid = ~np.isnan(x)
    rows = np.arange(len(x))[:, None]
    shuffled = np.argsort(np.where(valid, rng.random(x.shape), np.inf), axis=1)
    in_place = np.argsort(~valid, axis=1, kind="stable")
    out = np.full(x.shape, np.nan)
    out[rows, in_place] = x[rows, shuffled]
    return out


def _null_counts(x, i, j, params: LinkParameters, rng) -> np.ndarray:
    rho_m, n_m = pairwise_spearman(permute_within_rows(x, rng))
    rho, n = rho_m[i, j], n_m[i, j]
    if params.bh:
        klass = classify(rho, benjamini_hochberg(spearman_pvalue(rho, n)), params.rho_threshold, params.alpha)
    else:
        # the same test as p < alpha, without computing p: |rho| above the critical value for n
        significant = np.abs(rho) > critical_rho(params.alpha, int(n.max()))[n]
        klass = np.zeros(len(rho), dtype=np.int8)
        klass[significant & (rho > params.rho_threshold)] = 1
        klass[significant & (rho < -params.rho_threshold)] = 2
    return np.array([np.count_nonzero(~np.isnan(rho)), np.count_nonzero(klass == 1), np.count_nonzero(klass == 2)])


def _assemble(chunks, area_codes, series_codes, params: LinkParameters) -> pd.DataFrame:
    if not chunks:
        cols = PAIR_COLUMNS if not params.bh else PAIR_COLUMNS[:-1] + ["p_adj", "class"]
        return pd.DataFrame(
            {c: pd.Series(dtype=object if c in ("area", "series_a", "series_b", "class") else float) for c in cols}
        )
    area = np.concatenate([np.full(len(c[1]), c[0]) for c in chunks])
    series_cat = pd.CategoricalDtype(list(series_codes))
    frame = {
        "area": pd.Categorical.from_codes(area, categories=list(area_codes)),
        "series_a": pd.Categorical.from_codes(np.concatenate([c[1] for c in chunks]), dtype=series_cat),
        "series_b": pd.Categorical.from_codes(np.concatenate([c[2] for c in chunks]), dtype=series_cat),
        "n": np.concatenate([c[3] for c in chunks]),
        "rho": np.concatenate([c[4] for c in chunks]),
        "p": np.concatenate([c[5] for c in chunks]),
    }
    if params.bh:
        frame["p_adj"] = np.concatenate([c[6] for c in chunks])
    frame["class"] = pd.Categorical.from_codes(np.concatenate([c[7] for c in chunks]), categories=CLASSES)
    return pd.DataFrame(frame)
