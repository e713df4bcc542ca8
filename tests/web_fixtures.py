"""A small store for the web tests: two SDG series for four areas over 2005-2022 (one with a
Sex disaggregation), a kept progress assessment and two entities' published contributions."""

from __future__ import annotations

from pathlib import Path

from sdgtrack.workspace import Workspace

FIXTURES = Path(__file__).resolve().parent / "fixtures"
AREAS = {"AFG": 70.0, "NOR": 4.0, "NPL": 40.0, "World": 45.0}


def tidy_rows(years=range(2005, 2023), scale: float = 1.0) -> str:
    lines = ["series,area,year,value,unit,Sex"]
    for area, start in AREAS.items():
        for i, year in enumerate(years):
            u5 = round(start * scale * (0.97**i), 2)
            lines.append(f"SH_DYN_MORT,{area},{year},{u5},PER_1000_LIVE_BIRTHS,")
            lines.append(f"SH_DYN_MORT,{area},{year},{round(u5 * 0.9, 2)},PER_1000_LIVE_BIRTHS,FEMALE")
            lines.append(f"SH_DYN_IMRT,{area},{year},{round(u5 * 0.7, 2)},PER_1000_LIVE_BIRTHS,")
    return "\n".join(lines) + "\n"


def small_store(path: Path) -> Path:
    data = path.with_name("small.csv")
    data.write_text(tidy_rows(), encoding="utf-8")
    with Workspace(path) as ws:
        ws.ingest(data, dataset="small")
        ws.assess("unsd")  # kept in the store
        for name, year in (("crp-2025.txt", 2025), ("wwco-2024.txt", 2024)):
            ws.contributions.import_file(FIXTURES / "contributions" / name, year=year)
    return path
