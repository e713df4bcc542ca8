"""Build statcan-method inputs from Canada's Open SDG repository (read directly with pandas: CSV data
and indicator-config YAML), and read Canada's published progress outputs to compare with."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

SIMPLE_KEYS = {"direction", "target", "limit", "base_year", "target_year"}


def simple_indicators(root: Path) -> dict[str, dict]:
    """Indicators whose progress options are one headline series: direction, maybe target/limit/years."""
    out = {}
    for cfg_path in sorted((root / "indicator-config").glob("*.yml")):
        cfg = yaml.safe_load(cfg_path.read_text(encoding="utf-8-sig")) or {}
        options = cfg.get("progress_calculation_options") or []
        if len(options) != 1 or not set(options[0]) <= SIMPLE_KEYS or "direction" not in options[0]:
            continue
        if not (root / "data" / f"indicator_{cfg_path.stem}.csv").exists():
            continue
        out[cfg_path.stem] = options[0]
    return out


def headline_values(root: Path, indicator: str) -> pd.DataFrame:
    """The headline rows (every disaggregation blank) of one indicator CSV, one value per year."""
    data = pd.read_csv(root / "data" / f"indicator_{indicator}.csv")
    dims = [
        c
        for c in data.columns
        if c
        not in (
            "Year",
            "Value",
            "GeoCode",
            "Units",
            "Series",
            "Progress",
            "Unit multiplier",
            "Unit measure",
            "Observation status",
        )
    ]
    if dims:
        data = data[data[dims].isna().all(axis=1)]
    for col in ("Units", "Series"):
        if col in data and data[col].nunique(dropna=False) > 1:
            return pd.DataFrame(columns=["series", "area", "year", "value"])
    data = data[data["Value"].notna()]
    year = pd.to_numeric(data["Year"].astype(str).str[:4], errors="coerce")
    out = pd.DataFrame({"series": indicator, "area": "CAN", "year": year, "value": data["Value"].astype(float)})
    return out.dropna().groupby(["series", "area", "year"], as_index=False)["value"].mean()


def targets_frame(options: dict[str, dict]) -> pd.DataFrame:
    rows = []
    for ind, opt in options.items():
        rows.append(
            {
                "series": ind,
                "area": "",
                "direction": {"positive": "increase", "negative": "decrease", "up": "increase", "down": "decrease"}[
                    opt["direction"]
                ],
                "target": float(opt["target"]) if opt.get("target") is not None else float("nan"),
                "target_kind": "absolute",
                "target_year": int(opt.get("target_year") or 2030),
                "base_year": float(opt["base_year"]) if opt.get("base_year") else float("nan"),
                "limit": float(opt["limit"]) if opt.get("limit") is not None else float("nan"),
                "source": "Statistics Canada indicator-config",
            }
        )
    return pd.DataFrame(rows)


def published(root: Path) -> dict[str, dict]:
    """Canada's published components of single-series indicators: status, score, years, values."""
    comps = yaml.safe_load((root / "indicator_calculation_components.yml").read_text(encoding="utf-8"))
    out = {}
    for ind, entry in comps.items():
        inner = {k: v for k, v in entry.items() if isinstance(v, dict)}
        if list(inner) == [ind]:
            out[ind] = inner[ind]
    return out


SERIES_KEYS = SIMPLE_KEYS | {"series"}
DIRECTIONS = {"positive": "increase", "negative": "decrease", "up": "increase", "down": "decrease"}


def store_targets(con, root: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """Canada's progress options as a target table over the series codes of a store holding Canada's
    repository (loaded by the Open SDG reader), and the component name of each series code
    ("1-3-1" or "1-3-1 / <series name>"), for indicators whose options are whole series only."""
    described = con.execute("SELECT code, description FROM series WHERE code LIKE 'CA:%'").df()
    rows, names = [], {}
    for cfg_path in sorted((root / "indicator-config").glob("*.yml")):
        ind = cfg_path.stem
        cfg = yaml.safe_load(cfg_path.read_text(encoding="utf-8-sig")) or {}
        options = cfg.get("progress_calculation_options") or []
        if not options or not all(set(o) <= SERIES_KEYS and "direction" in o for o in options):
            continue
        prefix = "CA:" + ind.replace("-", ".")
        for opt in options:
            if "series" in opt:
                match = described[
                    described["code"].str.startswith(prefix + ":") & (described["description"] == opt["series"])
                ]
                if len(match) != 1:
                    continue
                code, name = match["code"].item(), f"{ind} / {opt['series']}"
            else:
                if prefix not in set(described["code"]):
                    continue
                code, name = prefix, ind
            names[code] = name
            rows.append(
                {
                    "series": code,
                    "direction": DIRECTIONS[opt["direction"]],
                    "target": "" if opt.get("target") is None else opt["target"],
                    "target_year": opt.get("target_year") or "",
                    "base_year": opt.get("base_year") or "",
                    "limit": "" if opt.get("limit") is None else opt["limit"],
                    "source": "Statistics Canada indicator-config",
                }
            )
    return pd.DataFrame(rows), names


def published_components(root: Path) -> dict:
    return yaml.safe_load((root / "indicator_calculation_components.yml").read_text(encoding="utf-8"))
