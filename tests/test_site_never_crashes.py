"""Never crash, never mislead: the site built, and the live app's pages answered, from random subsets
and load orders of the real sources (small real-data subsets of each: UN CSV and Excel, the UK's,
Canada's and Rwanda's Open SDG repositories, the SDR panel, a U4SSC city, examples/); and two
ingests and builds of the same inputs give byte-identical sites."""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import sdgtrack
from sdgtrack.errors import UserInputError
from sdgtrack.publish.build import MANIFEST, build_site
from sdgtrack.publish.site import Site, SiteOptions

from .conftest import shared_path

ROOT = Path(__file__).resolve().parents[1]
AREAS = ("1", "826", "646", "124", "404")  # World, UK, Rwanda, Canada, Kenya (examples/data.csv)
UN_SERIES = ("SH_DYN_MORT", "SH_DYN_IMRT", "SH_DYN_NMRT", "SN_ITK_DEFC", "EG_ELC_ACCS", "SI_POV_DAY1", "EN_MAT_DOMCMPC")
UK_INDICATORS = ("3-2-1", "3-2-2", "7-1-1", "16-6-2", "1-2-1")
CANADA_INDICATORS = ("3-2-1", "3-2-2", "7-1-1")
SUBSETS = int(os.environ.get("SDGTRACK_SITE_SUBSETS", "3"))  # random ones, beside the two fixed


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, Path]:
    """Small real-data subsets of every kind of source, written once for the module."""
    folder = tmp_path_factory.mktemp("sources")
    out: dict[str, Path] = {}
    un = shared_path("unsd", "sdg_global_2020.csv.gz")
    con = duckdb.connect()
    areas = ", ".join(f"'{a}'" for a in AREAS)
    series = ", ".join(f"'{s}'" for s in UN_SERIES)
    con.execute(
        f"""COPY (SELECT * FROM read_csv('{un}', all_varchar = true, header = true)
                  WHERE GeoAreaCode IN ({areas}) AND SeriesCode IN ({series}))
            TO '{folder / "un_subset.csv"}' (HEADER, DELIMITER ',')"""
    )
    out["un-csv"] = folder / "un_subset.csv"
    goal14 = pd.read_excel(shared_path("unsd", "Goal14.xlsx"), dtype=str)
    goal14 = goal14[goal14["GeoAreaCode"].isin(AREAS)]
    out["un-excel"] = folder / "goal14_subset.xlsx"
    goal14.to_excel(out["un-excel"], index=False)
    out["uk"] = _repository(shared_path("opensdg", "uk"), folder / "uk", UK_INDICATORS, "md")
    out["canada"] = _repository(shared_path("opensdg", "canada"), folder / "canada", CANADA_INDICATORS, "yml")
    out["rwanda"] = shared_path("opensdg", "rwanda")
    sdr = pd.read_csv(shared_path("sdr", "sdr2024_indicators.csv"), dtype=str, keep_default_na=False)
    out["sdr"] = folder / "sdr2024_indicators.csv"  # the reader knows the SDR panel by its name and columns
    sdr[sdr["id"].isin(["GBR", "RWA", "CAN", "KEN"])].to_csv(out["sdr"], index=False)
    out["city"] = shared_path("u4ssc", "city_values.csv")
    out["examples"] = ROOT / "examples" / "data.csv"
    return out


def _repository(source: Path, target: Path, indicators: tuple[str, ...], meta: str) -> Path:
    """A copy of an Open SDG repository holding a few indicators (data, configs, metadata)."""
    target.mkdir(parents=True)
    for entry in source.iterdir():
        if entry.is_file():
            shutil.copy(entry, target / entry.name)
    for name in ("translations",):
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
    for code in indicators:
        for relative in (
            f"data/indicator_{code}.csv",
            f"meta/{code}.{meta}",
            f"meta/fr/{code}.yml",
            f"indicator-config/{code}.yml",
        ):
            if (source / relative).is_file():
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source / relative, target / relative)
    return target


def load(ws, name: str, path: Path, folder: Path) -> None:
    if name == "city":
        ws.city_import(path, city="Karmøy")
    elif name == "uk":  # 2 ONS keys of these files hold two values: the tour loads it with --skip-invalid
        ws.ingest(path, skip_invalid=True, rejected_path=folder / "rejected.csv")
    else:
        ws.ingest(path)


def combinations() -> list[tuple[str, ...]]:
    """The README tour and its reverse order, then random subsets in random orders (seeded: a failure
    names its combination, and the same one runs again)."""
    names = ["un-csv", "un-excel", "uk", "canada", "rwanda", "sdr", "city", "examples"]
    chosen = [("un-csv", "uk", "rwanda"), ("rwanda", "examples", "uk", "un-csv")]
    rng = random.Random(20)
    while len(chosen) < SUBSETS + 2:
        picked = rng.sample(names, rng.randint(1, 4))
        if tuple(picked) not in chosen:
            chosen.append(tuple(picked))
    return chosen


@pytest.mark.parametrize("combination", combinations(), ids="+".join)
def test_any_subset_of_the_sources_builds_and_serves(sources, tmp_path, combination):
    from fastapi.testclient import TestClient

    from sdgtrack.web.app import create_app

    store = tmp_path / "store.duckdb"
    with sdgtrack.open(store) as ws:
        for name in combination:
            load(ws, name, sources[name], tmp_path)
        out = tmp_path / "site"
        langs = ("en", "fr") if "uk" in combination else ("en",)
        report = build_site(ws, out, SiteOptions(langs=langs))
        assert report.files > 50 and (out / MANIFEST).is_file() and not list(out.rglob("*.sdgtrack-tmp"))
        indicators = [p.name for p in sorted((out / "en" / "indicators").iterdir())]
        mains = ws.main_areas()
        names = ws.area_names(mains["area"].tolist())
    if len(mains):  # the preferred (largest) national dataset gives the site its country, whatever the order
        assert report.area.startswith(names[mains["area"].iloc[0]])
    home = (out / "en" / "index.html").read_text("utf-8")
    assert "Data for " in home
    with_data = {p.stem for p in (out / "en" / "data").glob("*.csv")}
    sample = sorted(with_data)[:4] + [i for i in indicators if i not in with_data][:2] + ["3-2-1"]
    app = create_app(store)
    try:
        with TestClient(app) as client:
            for path in ["/en/", *(f"/en/indicators/{code}/" for code in dict.fromkeys(sample))]:
                answer = client.get(path)
                assert answer.status_code < 500, (combination, path, answer.text[:300])
            assert client.get("/en/indicators/3-2-1/").status_code in (200, 404)
    finally:
        app.state.owner.close()


def test_a_wrong_site_option_is_one_message_and_no_folder(sources, tmp_path):
    store = tmp_path / "store.duckdb"
    with sdgtrack.open(store) as ws:
        ws.ingest(sources["examples"])
        for options, message in (
            (SiteOptions(area="Atlantis"), "Atlantis"),
            (SiteOptions(datasets=("opensdg-uk",)), "opensdg-uk"),
            (SiteOptions(langs=("en", "xx")), "xx"),
        ):
            with pytest.raises(UserInputError, match=message):
                build_site(ws, tmp_path / "site", options)
            assert not (tmp_path / "site").exists()


def test_the_site_publishes_its_area_and_its_parts_only(sources, tmp_path):
    """UN rows of the UK, Rwanda, Canada, Kenya and the World beside Rwanda's repository (its provinces
    are areas under Rwanda): a Rwanda site holds Rwanda's and its provinces' rows only; --all-areas all."""
    store = tmp_path / "store.duckdb"
    with sdgtrack.open(store) as ws:
        ws.ingest(sources["un-csv"])
        world = Site(ws, SiteOptions())  # no national dataset: a World site, every area published
        assert world.area() == "1" and world.published_areas() is None and world.title() == "SDG data for World"
        ws.ingest(sources["rwanda"])
        build_site(ws, tmp_path / "rw", SiteOptions())
        build_site(ws, tmp_path / "kenya", SiteOptions(area="Kenya", title="Kenya"))
        build_site(ws, tmp_path / "all", SiteOptions(all_areas=True))
        parts = set(ws.area_and_parts("646"))
    rwanda = pd.read_parquet(tmp_path / "rw" / "observations.parquet")
    assert set(rwanda["area"]) <= parts and "646" in set(rwanda["area"]) and len(parts) > 30
    assert {"unsd", "opensdg-rwanda"} <= set(rwanda["dataset"])  # the UN's figures for Rwanda, compared
    kenya = pd.read_parquet(tmp_path / "kenya" / "observations.parquet")
    assert set(kenya["area"]) == {"404"}
    assert "Data for Kenya" in (tmp_path / "kenya" / "en" / "index.html").read_text("utf-8")
    everything = pd.read_parquet(tmp_path / "all" / "observations.parquet")
    assert set(everything["area"]) >= {"1", "826", "646", "124", "404"}
    page = (tmp_path / "rw" / "en" / "indicators" / "3-2-1" / "index.html").read_text("utf-8")
    # the comparison: Rwanda's under-5 rate beside the UN's, headers in words, never a code as a value
    assert "Under-five mortality rate" in page and "UN SDG Global Database" in page
    # each column of the comparison one number of decimals ('50' beside '47.60' was), the difference
    # as many as the more precise value ('0.110' for 6.30 - 6.19 was)
    table = page[page.index('id="compare-h"') :].split("</table>")[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', table)
    assert len(cells) >= 9 and len(cells) % 3 == 0, cells
    decimals = [{len(c.split(".")[1]) if "." in c else 0 for c in cells[k::3] if c != "–"} for k in range(3)]
    assert all(len(d) == 1 for d in decimals), decimals
    assert decimals[2] == {max(decimals[0] | decimals[1])}, decimals


def test_two_ingests_and_builds_of_the_same_inputs_are_byte_identical(sources, tmp_path):
    sites = []
    for run in ("a", "b"):
        folder = tmp_path / run
        folder.mkdir()
        with sdgtrack.open(folder / "store.duckdb") as ws:
            # the UN's and Rwanda's shared series codes are where order crept in (2-1-1's series named
            # with either dataset); French pages are the same code as English ones: one language
            for name in ("uk", "un-csv", "rwanda", "examples"):
                load(ws, name, sources[name], folder)
            build_site(ws, folder / "site", SiteOptions(langs=("en",)))
        sites.append({p.relative_to(folder / "site").as_posix(): p.read_bytes()
                      for p in sorted((folder / "site").rglob("*")) if p.is_file()})  # fmt: skip
    a, b = sites
    assert a.keys() == b.keys() and len(a) > 100
    differ = sorted(path for path in a if a[path] != b[path])
    assert not differ, differ[:10]


def test_a_page_follows_the_settings_of_the_dataset_it_shows(sources, tmp_path):
    """The UK's and Rwanda's repositories in one store, a UK site: under the chart, the UK's 3.2.1
    shows the UK's footer (its source organisation), not the one of whichever repository the store
    prefers, and its metadata section opens on the UK's metadata (each repository's is listed under
    its own name)."""
    store = tmp_path / "store.duckdb"
    with sdgtrack.open(store) as ws:
        load(ws, "uk", sources["uk"], tmp_path)
        load(ws, "rwanda", sources["rwanda"], tmp_path)
        build_site(ws, tmp_path / "uk", SiteOptions(area="GBR"))
    page = (tmp_path / "uk" / "en" / "indicators" / "3-2-1" / "index.html").read_text("utf-8")
    footer = page[page.index('id="national-footer"') :].split("</dl>")[0]
    assert "Office for National Statistics (ONS)" in footer
    assert "Rwanda" not in footer
    national = page[page.index('id="panel-national"') :].split('role="tabpanel"')[0]
    repositories = re.findall(r"<h3>([^<]*)</h3>", national)
    assert len(repositories) == 2 and "rwanda" in repositories[1], repositories
