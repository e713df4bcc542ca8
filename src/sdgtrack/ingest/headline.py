"""Which observations are the headline (total) value of their series.

A disaggregation pair ``Name=value`` counts as total when
- the value is a total code (``_T``, ``BOTHSEX``, ``ALLAGE``, ``ALLAREA``, SDMX ``_Z``, the DDF
  placeholder ``NOTSPEC``; ``Reporting Type`` ``G``), or
- it defines the series rather than splitting it: every row of the series carries that
  dimension with that same single value (UN ``SH_DYN_MORT`` is always ``Age=<5Y``).
Blank cells never appear in ``dims`` (blank = total, as in Open SDG). A row is headline when all
its pairs are total. The rule runs over distinct (series, dims) combinations of the incoming data
and the rows the same dataset already holds, so it costs little and stays right when a series
grows across loads. It never looks at another dataset: a national file that splits a UN series
by other dimensions cannot change which UN rows are headline.
"""

from __future__ import annotations

TOTAL_CODES = ("_T", "_Z", "BOTHSEX", "ALLAGE", "ALLAREA", "NOTSPEC")
TOTAL_CODES_BY_DIMENSION = {"Reporting Type": ("G",), "REPORTING_TYPE": ("G",)}


def _total_condition() -> str:
    codes = ", ".join(f"'{c}'" for c in TOTAL_CODES)
    per_dim = " OR ".join(
        f"(p.dim = '{d}' AND p.val IN ({', '.join(repr(v) for v in vals)}))"
        for d, vals in TOTAL_CODES_BY_DIMENSION.items()
    )
    return f"(p.val IN ({codes}) OR {per_dim})"


def headline_table(con, incoming: str, out: str, dataset: str, keep_stored: bool = True) -> None:
    """Create ``out(series, dims, is_headline)`` for every combination in ``incoming`` and, unless
    the load replaces the dataset (``keep_stored=False``), in the dataset's stored rows."""
    stored = (
        f"""UNION
            SELECT DISTINCT o.series, o.dims FROM observation o
            WHERE o.dataset = $dataset AND o.series IN (SELECT DISTINCT series FROM {incoming})"""
        if keep_stored
        else ""
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {out} AS
        WITH combos AS (
            SELECT DISTINCT series, dims FROM {incoming}
            {stored}),
        n_combos AS (SELECT series, count(*) AS n FROM combos GROUP BY series),
        pairs AS (
            SELECT series, dims, split_part(pair, '=', 1) AS dim, substr(pair, strpos(pair, '=') + 1) AS val
            FROM (SELECT series, dims, unnest(string_split(dims, '|')) AS pair FROM combos WHERE dims <> '')),
        defining AS (  -- dimensions present in every combination of the series with one value
            SELECT p.series, p.dim FROM pairs p JOIN n_combos n USING (series)
            GROUP BY p.series, p.dim, n.n
            HAVING count(DISTINCT p.val) = 1 AND count(*) = n.n),
        pair_total AS (
            SELECT p.series, p.dims, {_total_condition()} OR d.dim IS NOT NULL AS total
            FROM pairs p LEFT JOIN defining d ON d.series = p.series AND d.dim = p.dim)
        SELECT c.series, c.dims, coalesce(bool_and(pt.total), TRUE) AS is_headline
        FROM combos c LEFT JOIN pair_total pt ON pt.series = c.series AND pt.dims = c.dims
        GROUP BY c.series, c.dims""",
        {"dataset": dataset} if keep_stored else None,
    )
