"""Targets (U4SSC "benchmarks") for scoring: the shipped default set or a user's CSV.

Columns: ``kpi`` (code, or ``code/data point``), ``target``; optional ``direction`` (up, down,
target) and ``source``. ITU's own target values are not public (they sit in a locked sheet of
the U4SSC template), so the default set names a source for every row and is marked as defaults.
A target given for a KPI with data points applies to each data point without its own row.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from ..errors import InvalidInputError, Problem
from ..frameworks import u4ssc

DEFAULT_FILE = "u4ssc_targets_default.csv"
DEFAULT_LABEL = "sdgtrack default targets (u4ssc_targets_default.csv)"


def default_targets() -> pd.DataFrame:
    return _default_targets().copy()


@lru_cache(maxsize=1)
def _default_targets() -> pd.DataFrame:
    return load_targets(Path(str(resources.files("sdgtrack.cities") / "data" / DEFAULT_FILE)))


def load_targets(path: str | Path) -> pd.DataFrame:
    """The checked targets, one row per scorable key: key, target, direction, source."""
    path = Path(path)
    fname = str(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInputError([Problem(fname, None, None, None, "an existing targets CSV file")]) from None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InvalidInputError(
            [Problem(fname, None, None, None, f"a UTF-8 CSV with columns kpi, target ({exc.__class__.__name__})")]
        ) from None
    raw.columns = [c.strip().lower() for c in raw.columns]
    missing = [c for c in ("kpi", "target") if c not in raw.columns]
    if missing:
        raise InvalidInputError(
            [
                Problem(
                    fname, None, None, None, f"columns kpi, target [, direction, source]; missing {', '.join(missing)}"
                )
            ]
        )
    rows = u4ssc.rows()
    by_key = rows.set_index("key")
    problems: list[Problem] = []
    parsed: dict[tuple[str, str], dict] = {}
    for line, r in zip(range(2, len(raw) + 2), raw.to_dict("records")):
        kpi, point = u4ssc.split_key(r["kpi"])
        if kpi is None:
            problems.append(Problem(fname, line, "kpi", r["kpi"], "a U4SSC KPI code, or code/data point"))
            continue
        if point and u4ssc.point_name(kpi, point) is None:
            problems.append(Problem(fname, line, "kpi", r["kpi"], f"a data point of {kpi}"))
            continue
        point = u4ssc.point_name(kpi, point) if point else ""
        if (kpi, point) in parsed:
            problems.append(
                Problem(
                    fname,
                    line,
                    "kpi",
                    r["kpi"],
                    f"each KPI or data point once (already on line {parsed[(kpi, point)]['line']})",
                )
            )
            continue
        try:
            target = float(r["target"])
            if not math.isfinite(target):
                raise ValueError
        except ValueError:
            problems.append(Problem(fname, line, "target", r["target"], "a number"))
            continue
        direction = r.get("direction", "").strip().lower()
        if direction and direction not in u4ssc.DIRECTIONS:
            problems.append(Problem(fname, line, "direction", r["direction"], f"one of {', '.join(u4ssc.DIRECTIONS)}"))
            continue
        keys = [f"{kpi}/{point}"] if point else rows.loc[rows["kpi"] == kpi, "key"].tolist()
        if any((direction or by_key.loc[k, "direction"]) in ("down", "target") for k in keys) and target <= 0:
            problems.append(
                Problem(
                    fname,
                    line,
                    "target",
                    r["target"],
                    "a target above 0 where lower is better or a value is aimed at (attainment divides by the target)",
                )
            )
            continue
        parsed[(kpi, point)] = dict(
            line=line,
            keys=keys,
            target=target,
            direction=direction or None,
            source=r.get("source", "").strip() or fname,
        )
    out: dict[str, dict] = {}
    # KPI rows first, then data point rows: a data point's own target wins over its KPI's
    for (_, _point), p in sorted(parsed.items(), key=lambda kv: kv[0][1] != ""):
        for key in p["keys"]:
            out[key] = dict(key=key, target=p["target"], direction=p["direction"], source=p["source"])
    if problems:
        raise InvalidInputError(problems)
    return pd.DataFrame(list(out.values()), columns=["key", "target", "direction", "source"])
