"""`sdg_index`: the SDG Index and Dashboards (SDSN SDR method) over observations in the store."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import Problem, UserInputError
from . import dashboard, scores, trends
from .codebook import IndexInputError, load_codebook
from .regions import load_regions

METHOD = "SDG Index and Dashboards (SDSN Sustainable Development Report method)"


@dataclass
class IndexResult:
    areas: pd.DataFrame  # one row per area: index, rank, goal scores, colours, trends
    indicators: pd.DataFrame  # one row per (area, indicator) with a value
    excluded: pd.DataFrame  # areas without an index and why
    method: dict = field(default_factory=dict)

    def describe(self) -> str:
        m = self.method
        return (
            f"{m['method']}; codebook {m['codebook']} ({m['indicators']} indicators, {m['index_indicators']} "
            f"in the index, {m['goals']} goals); regions {m['regions'] or 'none (no imputation)'}; "
            f"latest value per indicator up to {m['data_window']}; areas with more than "
            f"{m['max_missing'] * 100:g}% of index indicators missing get no index; trends {m['trend_start']}"
            f" (or nearest year) to latest vs. the rate needed to reach green by {m['target_year']}; "
            f"{m['areas_with_index']} of {m['areas']} areas have an index; data from "
            + (", ".join(f"{d} ({n} indicators)" for d, n in m.get("datasets", {}).items()) or "no dataset")
        )


def sdg_index(
    db,
    codebook,
    regions=None,
    *,
    year: int | None = None,
    max_missing: float = 0.2,
    areas: list[str] | None = None,
    trend_start: int = 2015,
    target_year: int = 2030,
    datasets: list[str] | None = None,
) -> IndexResult:
    """Compute the index, goal scores, dashboards and trends.

    ``codebook`` / ``regions``: CSV paths or DataFrames (see ``codebook.py``, ``regions.py``).
    ``year``: use the latest value up to this year (default: all years). ``areas``: report only these
    areas; scores, regional imputation and ranks are always computed over every area with a value for a
    codebook indicator, so an area's figures do not depend on which others are shown.
    ``max_missing``: share (0-1). ``datasets``: datasets to read, in order of preference (default:
    all, one per indicator and area).
    """
    if not 0 <= max_missing <= 1:
        raise UserInputError(f"max_missing {max_missing!r}: expected a share between 0 and 1 (0.2 = 20%)")
    book = load_codebook(codebook)
    _check_indicators_known(db, book)
    region_table = load_regions(db, regions) if regions is not None else None
    area_codes = db.resolve_areas(areas)

    values = _values(db, book, year, datasets)
    if values.empty:
        if year is not None and not datasets:
            first = db.first_year(book["indicator"].tolist())
            if first is not None and first > year:
                raise UserInputError(
                    f"no values of the codebook's indicators up to {year}; their data start in "
                    f"{first}: choose a later --year"
                )
        raise UserInputError(
            "no values for the codebook's indicators"
            + (f" up to {year}" if year else "")
            + (f" in dataset(s) {', '.join(datasets)}" if datasets else "")
            + ": load the SDR data (`sdgtrack ingest sdr2024_indicators.csv`) or choose another "
            "--dataset (see `sdgtrack datasets list`)"
        )
    universe = sorted(set(values["area"].unique().tolist()) | set(area_codes or []))
    latest = scores.latest_values(values)
    scored = scores.normalise(latest, book)
    scored["colour"] = dashboard.indicator_colour(scored["score_unclipped"], scored["green_score"], scored["red_score"])
    scored["scale"] = dashboard.scale_0_4(scored["score_unclipped"], scored["green_score"], scored["red_score"])

    not_applicable = _not_applicable(region_table, universe)
    region = (
        region_table.set_index("area")["region"] if region_table is not None else pd.Series(dtype=object)
    ).reindex(universe)
    goal_frame = scores.goal_scores(scored, universe, not_applicable)
    missing = scores.missing_share(scored, book, universe, not_applicable)
    index_goals = sorted(book.loc[book["in_index"], "goal"].unique().tolist())
    index = scores.index_with_imputation(goal_frame, region, not_applicable, index_goals, missing, max_missing)

    ind_trends = trends.indicator_trends(values, latest, book, trend_start, target_year)
    goal_trends = trends.goal_trends(ind_trends, book)
    # Every codebook indicator colours the dashboard, in the index or not (SDR does so: 88% of SDR 2023
    # goal colours agree this way, 84% with index indicators only).
    dashboard_rows = scored
    if not not_applicable.empty:  # a goal that is not scored is not coloured either (grey)
        dashboard_rows = dashboard_rows.merge(not_applicable.assign(na=True), on=["area", "goal"], how="left")
        dashboard_rows = dashboard_rows[dashboard_rows["na"].isna()]
        goal_trends = goal_trends.merge(not_applicable.assign(na=True), on=["area", "goal"], how="left")
        goal_trends = goal_trends[goal_trends["na"].isna()]
    goal_colours = dashboard.goal_colours(dashboard_rows)

    names = _area_names(db, universe)
    area_frame = _area_table(universe, names, region, index, missing, goal_frame, goal_colours, goal_trends)
    indicator_frame = _indicator_table(scored, ind_trends, book, names)
    # which dataset each value came from (one per indicator and area, see Database.headline_values)
    sources = values.drop_duplicates(["indicator", "area"]).set_index(["indicator", "area"])["dataset"]
    indicator_frame["dataset"] = sources.reindex(
        pd.MultiIndex.from_frame(indicator_frame[["indicator", "area"]])
    ).to_numpy()
    excluded = (
        area_frame.loc[area_frame["index"].isna(), ["area", "area_name", "no_index_reason"]]
        .rename(columns={"no_index_reason": "reason"})
        .reset_index(drop=True)
    )
    if area_codes:
        area_frame = area_frame[area_frame["area"].isin(area_codes)].reset_index(drop=True)
        indicator_frame = indicator_frame[indicator_frame["area"].isin(area_codes)].reset_index(drop=True)
        excluded = excluded[excluded["area"].isin(area_codes)].reset_index(drop=True)
    years = latest["year"]
    method = {
        "datasets": {d: int(n) for d, n in values.groupby("dataset")["indicator"].nunique().items()},
        "method": METHOD,
        "codebook": book.attrs.get("source"),
        "regions": None
        if regions is None
        else (str(regions) if not isinstance(regions, pd.DataFrame) else "<regions table>"),
        "indicators": int(len(book)),
        "index_indicators": int(book["in_index"].sum()),
        "goals": len(index_goals),
        "max_missing": max_missing,
        "year": year,
        "trend_start": trend_start,
        "target_year": target_year,
        "data_window": (f"{year}" if year else "the latest year")
        + (f" (values from {int(years.min())} to {int(years.max())})" if len(years) else " (no values)"),
        "areas": len(area_frame),
        "areas_with_index": int(area_frame["index"].notna().sum()),
        "areas_computed": len(universe),
    }
    return IndexResult(area_frame, indicator_frame, excluded, method)


def _check_indicators_known(db, book: pd.DataFrame) -> None:
    known = set(db.series_codes())
    unknown = book[~book["indicator"].isin(known)]
    if len(unknown):
        raise IndexInputError(
            [
                Problem(
                    book.attrs.get("source", "codebook"),
                    int(r.line),
                    "indicator",
                    r.indicator,
                    "a series in the store (load its data first, e.g. `sdgtrack ingest`)",
                )
                for r in unknown.itertuples()
            ]
        )


def _values(db, book: pd.DataFrame, year: int | None, datasets) -> pd.DataFrame:
    """One value per indicator, area and year, by the store's headline rule (the same for every analysis)."""
    values = db.headline_values(book["indicator"].tolist(), end=year, datasets=datasets)
    return values.rename(columns={"series": "indicator"})[["indicator", "area", "year", "value", "dataset"]]


def _not_applicable(region_table: pd.DataFrame | None, universe: list[str]) -> pd.DataFrame:
    if region_table is None:
        return pd.DataFrame({"area": pd.Series(dtype=object), "goal": pd.Series(dtype=int)})
    pairs = region_table[["area", "goals_not_applicable"]].explode("goals_not_applicable").dropna()
    pairs = pairs.rename(columns={"goals_not_applicable": "goal"})
    pairs["goal"] = pairs["goal"].astype(int)
    return pairs[pairs["area"].isin(universe)].reset_index(drop=True)


def _area_names(db, codes: list[str]) -> pd.Series:
    return pd.Series(db.area_names(codes), dtype=object).reindex(codes)


def _area_table(universe, names, region, index, missing, goals, colours, goal_trends) -> pd.DataFrame:
    out = pd.DataFrame({"area": universe, "area_name": names.to_numpy(), "region": region.to_numpy()})
    out = out.join(index[["index", "rank"]], on="area")
    out = out.join(missing[["n_applicable", "n_values", "missing_share"]], on="area")
    out = out.join(index[["imputed_goals", "no_index_reason"]], on="area")
    out = out.join(goals, on="area")
    colour_wide = (
        colours.pivot(index="area", columns="goal", values="colour")
        .reindex(index=universe, columns=range(1, 18))
        .astype(object)
    )
    trend_wide = (
        goal_trends.pivot(index="area", columns="goal", values="trend")
        .reindex(index=universe, columns=range(1, 18))
        .astype(object)
    )
    extra = {f"goal_{g}_colour": colour_wide[g].where(colour_wide[g].notna(), "grey").to_numpy() for g in range(1, 18)}
    extra |= {f"goal_{g}_trend": trend_wide[g].where(trend_wide[g].notna(), None).to_numpy() for g in range(1, 18)}
    out = pd.concat([out, pd.DataFrame(extra, index=out.index)], axis=1)
    return out.sort_values(["rank", "area"], na_position="last").reset_index(drop=True)


def _indicator_table(scored, ind_trends, book, names) -> pd.DataFrame:
    out = scored.merge(
        ind_trends[["indicator", "area", "start_year", "rate", "needed_rate", "trend"]],
        on=["indicator", "area"],
        how="left",
    )
    out["area_name"] = names.reindex(out["area"]).to_numpy()
    out["trend_arrow"] = out["trend"].map(trends.ARROWS)
    cols = [
        "area",
        "area_name",
        "indicator",
        "goal",
        "in_index",
        "year",
        "value",
        "score",
        "colour",
        "trend",
        "trend_arrow",
        "start_year",
        "rate",
        "needed_rate",
    ]
    return out[cols].sort_values(["area", "goal", "indicator"]).reset_index(drop=True)
