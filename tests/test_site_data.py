"""The site's data outputs and the static build, on the real UK Open SDG repository plus the UN's
Goal 14 file: files checked against the store, incremental rebuilds, refusals, the local server."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import threading
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import duckdb
import pytest
import yaml

import sdgtrack
from sdgtrack.cli import run
from sdgtrack.errors import UserInputError
from sdgtrack.frameworks.reference import data_dir
from sdgtrack.publish import build as build_module
from sdgtrack.publish.build import MANIFEST, build_site
from sdgtrack.publish.outputs.tables import series_labels
from sdgtrack.publish.serve import make_server
from sdgtrack.publish.site import Site, SiteOptions
from sdgtrack.workspace import Workspace

from .conftest import shared_path

SITE_FIELDS = ("Year", "Area", "GeoCode", "Units", "Series", "Value")
DATA_FOLDERS = ("data", "headline", "meta", "stats", "zip", "geojson")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """UK Open SDG data (loaded strictly: its 57 keys given two values are kept) and the UN's Goal 14 file."""
    uk, goal14 = shared_path("opensdg", "uk"), shared_path("unsd", "Goal14.xlsx")
    folder = tmp_path_factory.mktemp("site-store")
    with sdgtrack.open(folder / "store.duckdb") as db:
        db.ingest(uk)
        db.ingest(goal14)
    return folder / "store.duckdb"


@pytest.fixture(scope="module")
def built(store, tmp_path_factory):
    """The site built once in English and French from a read-only store, every area's rows (by
    default a site publishes its own area's: tests/test_site_never_crashes.py)."""
    out = tmp_path_factory.mktemp("site") / "out"
    with Workspace(store, read_only=True) as ws:
        report = build_site(ws, out, SiteOptions(langs=("en", "fr"), all_areas=True))
    return out, report


@pytest.fixture
def ws(store):
    with Workspace(store, read_only=True) as workspace:
        yield workspace


def is_data_output(path: str) -> bool:
    """A file of the data producers (publish/outputs), not a page or a page asset."""
    parts = path.split("/")
    return path in ("observations.parquet", "datapackage.json") or (
        len(parts) >= 2 and (parts[1] in DATA_FOLDERS or parts[1:] == ["datapackage.json"])
    )


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))


def as_store_rows(rows: list[dict], labels_to_code: dict[str, str], areas: str | None = None) -> list[tuple]:
    """CSV rows back to the store's (series, area, period, dims, unit, value)."""
    out = []
    for row in rows:
        dims = "|".join(f"{k}={v}" for k, v in sorted(row.items()) if k not in SITE_FIELDS and v != "")
        out.append(
            (
                labels_to_code[row["Series"]],
                row.get("GeoCode") or areas,
                row["Year"],
                dims,
                row["Units"],
                float(row["Value"]) if row["Value"] else None,
            )
        )
    return sorted(out, key=repr)


def source_records(rows: list[dict]) -> list[tuple]:
    """Rows as sets of their non-blank cells (column order aside), values as numbers; a source row
    without a value is no observation."""
    out = []
    for row in rows:
        if not (row.get("Value") or "").strip():
            continue
        cells = {k: v for k, v in row.items() if v not in ("", None) and k != "Value"}
        out.append((tuple(sorted(cells.items())), float(row["Value"])))
    return sorted(out, key=repr)


def store_rows(frame) -> list[tuple]:
    return sorted(
        (
            (r.series, r.area, r.period, r.dims, r.unit, None if r.value != r.value else float(r.value))
            for r in frame.itertuples()
        ),
        key=repr,
    )


def test_build_writes_the_layout(built, ws):
    out, report = built
    site = Site(ws, SiteOptions(langs=("en", "fr")))
    codes = site.indicators()
    assert "3.2.2" in codes and "14.5.1" in codes and codes.index("3.2.2") < codes.index("14.5.1")
    # every indicator with data or with national metadata (the UK's text-only ones) has its data
    # files, as in sdg-build: header-only for those without data
    with_metadata = {c for c, level, *_ in ws.current_nodes() if level == "indicator" and site.has_metadata(c)}
    # and the UK's 29 archived indicators, under their own ids (archived-11-6-1), as sdg-build
    archived = set(site.archived())
    assert len(archived) == 29 and "archived-11-6-1" in archived
    listed = {c.replace(".", "-") for c in set(codes) | with_metadata} | archived
    for lang in ("en", "fr"):
        for folder, ext in (
            ("data", "csv"),
            ("data", "json"),
            ("headline", "csv"),
            ("headline", "json"),
            ("edges", "csv"),
            ("edges", "json"),
            ("comb", "json"),
        ):
            assert {p.stem for p in (out / lang / folder).glob(f"*.{ext}")} - {"all"} == listed, (lang, folder, ext)
        assert {p.parent.name for p in (out / lang / "data-packages").glob("*/datapackage.json")} == listed
        for code in sorted(with_metadata - set(codes))[:3]:
            assert (out / lang / "data" / f"{code.replace('.', '-')}.csv").read_text("utf-8") == "Year,Value\n"
        # a meta file for every indicator with data or with national metadata
        assert {p.stem for p in (out / lang / "meta").glob("*.json")} - {"all"} == listed
        assert len(with_metadata - set(codes)) > 50  # the UK's metadata without data
        for name in (
            "meta/all.json",
            "headline/all.json",
            "stats/reporting.json",
            "stats/disaggregation.json",
            "data-packages/all.json",
            "zip/all_indicators.zip",
            "datapackage.json",
            "geojson/countries/indicator_14-5-1.geojson",
        ):
            assert (out / lang / name).is_file(), name
    assert (out / "observations.parquet").is_file() and (out / "datapackage.json").is_file()
    assert report.written == report.files and report.unchanged == report.removed == 0
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))["files"]
    assert len(manifest) == report.files and report.total_bytes == sum((out / p).stat().st_size for p in manifest)


def test_indicator_csv_rows_are_the_stores_rows(built, ws):
    out, _ = built
    site = Site(ws)
    labels_to_code = {v: k for k, v in series_labels(site).items()}
    # a UK indicator with many disaggregations and GeoCodes: the rows the repository wrote, as it
    # wrote them (its columns, its Series labels, its GeoCodes; no Area column)
    uk = shared_path("opensdg", "uk", "data")
    rows = read_csv(out / "en" / "data" / "3-2-2.csv")
    # the source's columns in the source's order (sdg-build's order: Open SDG nests breakdowns by it)
    assert list(rows[0]) == list(read_csv(uk / "indicator_3-2-2.csv")[0])
    assert "Area" not in rows[0] and {"Age", "Sex", "Region", "GeoCode", "Observation status"} <= set(rows[0])
    frame = ws.observations("3.2.2", all_disaggregations=True)
    assert len(rows) == len(frame) > 1000
    assert source_records(rows) == source_records(read_csv(uk / "indicator_3-2-2.csv"))
    # an indicator with UK and UN rows for many areas: Area and GeoCode, one dataset per series and
    # area; the UN's rows are the store's, the UK's as its repository wrote them
    rows = read_csv(out / "fr" / "data" / "14-5-1.csv")
    frame = ws.observations("14.5.1", all_disaggregations=True)
    assert list(rows[0])[:3] == ["Year", "Area", "GeoCode"] and len({r["GeoCode"] for r in rows}) > 200
    un_rows = [r for r in rows if r["GeoCode"]]
    un = frame[frame["attributes"].isna()]
    assert as_store_rows(un_rows, labels_to_code) == store_rows(un) and len(un) > 1000
    uk_rows = [{k: v for k, v in r.items() if k not in ("Area", "GeoCode")} for r in rows if not r["GeoCode"]]
    assert source_records(uk_rows) == source_records(read_csv(uk / "indicator_14-5-1.csv"))
    assert {r["Area"] for r in rows if not r["GeoCode"]} == {ws.area_names(["826"])["826"]}
    # the JSON is the same table by columns; the headline the rows the store marks as totals
    columns = json.loads((out / "en" / "data" / "14-5-1.json").read_text("utf-8"))
    assert list(columns) == list(rows[0]) and len(columns["Value"]) == len(rows)
    # the headline: the country's totals (the regions' all-blank rows are their own headline, not
    # the repository's), with the columns the source gives them
    headline = json.loads((out / "en" / "headline" / "3-2-2.json").read_text("utf-8"))
    totals = ws.observations("3.2.2", areas=["826"])
    assert sorted((h["Year"], h["Value"]) for h in headline) == sorted(zip(totals["year"], totals["value"]))
    # (6 of the 16 national rows give the UK's own GeoCode K02000001: it stays the country)
    assert list(headline[0]) == ["Year", "Series", "Units", "Unit multiplier", "Observation status", "GeoCode", "Value"]
    assert sorted({h["GeoCode"] for h in headline}, key=str) == ["K02000001", None]
    assert len(read_csv(out / "en" / "headline" / "3-2-2.csv")) == len(totals)


def test_metadata_titles_and_statistics(built, ws):
    out, _ = built
    french = yaml.safe_load((data_dir() / "translations" / "fr" / "global_indicators.yml").read_text("utf-8"))
    meta = json.loads((out / "fr" / "meta" / "3-2-2.json").read_text("utf-8"))
    assert meta["indicator_name"] == french["3-2-2-title"] and meta["sdg_goal"] == "3" and meta["target_id"] == "3.2"
    assert meta["series"] == [
        {
            "code": "GB:3.2.2:neonatal-mortality-rate",
            "label": "Neonatal mortality rate",
            "description": "Neonatal mortality rate",
            "unit": "Rate per 1,000 live births",
            "dataset": "opensdg-uk",
        }
    ]
    assert meta["observations"] == len(ws.observations("3.2.2", all_disaggregations=True))
    assert {"Age", "Sex"} <= set(meta["disaggregations"]) and meta["indicator_sort_order"] == "03-02-02"
    english = json.loads((out / "en" / "meta" / "all.json").read_text("utf-8"))
    assert (
        english["3-2-2"]["indicator_name"] == ws.current_nodes()[[c for c, *_ in ws.current_nodes()].index("3.2.2")][3]
    )
    site = Site(ws)
    assert set(english) == {p.stem for p in (out / "en" / "meta").glob("*.json")} - {"all"}
    headlines = json.loads((out / "en" / "headline" / "all.json").read_text("utf-8"))
    assert headlines["3-2-2"] == json.loads((out / "en" / "headline" / "3-2-2.json").read_text("utf-8"))
    # as sdg-build: every indicator with a meta file, [] for those without data
    assert list(headlines) == list(english)
    assert all(headlines[c] == [] for c, m in english.items() if m["data"] is None)
    # reporting status: each indicator's own reporting_status (3.b.3 has data, the UK says not started)
    assert english["3-b-3"]["reporting_status"] == "notstarted" and "3.b.3" in site.indicators()
    text_only = next(c for c, m in english.items() if m["data"] is None and m["reporting_status"] == "complete")
    assert text_only.replace("-", ".") not in site.indicators()
    stats = json.loads((out / "en" / "stats" / "reporting.json").read_text("utf-8"))
    goal3 = next(g for g in stats["goals"] if g["goal"] == 3)
    statuses3 = [m["reporting_status"] for c, m in english.items() if c.split("-")[0] == "3"]
    counts = {s["status"]: s["count"] for s in goal3["statuses"]}
    assert goal3["totals"]["total"] == len(statuses3) and counts["complete"] == statuses3.count("complete") > 10
    assert counts["notstarted"] == statuses3.count("notstarted") >= 1
    assert goal3["disaggregation"]["by_name"]["Sex"] >= 1
    # archived indicators are in no statistic (two UK ones read `standalone` as text: their YAML folds
    # the line into the text above it)
    counted = [
        c
        for c, m in english.items()
        if m.get("standalone") is not True and not m.get("placeholder") and not m.get("archived")
    ]
    assert stats["overall"]["totals"]["total"] == sum(g["totals"]["total"] for g in stats["goals"]) == len(counted)
    assert len(counted) == 247  # the UK's 248 meta files, one a placeholder (sdg-build counts 247 too)
    # disaggregation status: the expected breakdowns of each indicator against its data's
    disaggregation = json.loads((out / "en" / "stats" / "disaggregation.json").read_text("utf-8"))
    expected = {c: english[c].get("expected_disaggregations") or [] for c in counted}
    assert disaggregation["overall"]["totals"]["total"] == sum(bool(e) for e in expected.values()) > 20


def test_zip_and_parquet_hold_the_stores_rows(built, ws):
    out, _ = built
    codes = Site(ws).indicators()
    with zipfile.ZipFile(out / "en" / "zip" / "all_indicators.zip") as archive:
        names = archive.namelist()
        assert names == [c.replace(".", "-") + ".csv" for c in codes]
        assert archive.read("3-2-2.csv") == (out / "en" / "data" / "3-2-2.csv").read_bytes()
        unpacked = out.parent / "unzipped"
        archive.extractall(unpacked)
    con = duckdb.connect()
    n_zip = con.execute(
        f"SELECT count(*) FROM read_csv('{unpacked}/*.csv', union_by_name=true, all_varchar=true)"
    ).fetchone()[0]
    every = ws.observations(None, all_disaggregations=True)
    coverage = ws.indicator_coverage()
    assert n_zip == int(coverage["rows"].sum())
    parquet = out / "observations.parquet"
    assert con.execute(f"SELECT count(*) FROM '{parquet}'").fetchone()[0] == len(every)
    assert con.execute(
        f"SELECT count(*) FROM '{parquet}' WHERE series = 'GB:3.2.2:neonatal-mortality-rate'"
    ).fetchone()[0] == len(ws.observations("3.2.2", all_disaggregations=True))
    package = json.loads((out / "en" / "datapackage.json").read_text("utf-8"))
    resource = next(r for r in package["resources"] if r["path"] == "data/3-2-2.csv")
    header = (out / "en" / "data" / "3-2-2.csv").read_text("utf-8").splitlines()[0].split(",")
    assert [f["name"] for f in resource["schema"]["fields"]] == header
    root = json.loads((out / "datapackage.json").read_text("utf-8"))
    columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM '{parquet}'").fetchall()]
    assert [f["name"] for f in root["resources"][0]["schema"]["fields"]] == columns


def test_country_maps(built, ws):
    out, _ = built
    collection = json.loads((out / "en" / "geojson" / "countries" / "indicator_14-5-1.geojson").read_text("utf-8"))
    features = {f["properties"]["geocode"]: f for f in collection["features"]}
    frame = ws.observations("14.5.1", all_disaggregations=True)
    assert set(features) <= set(frame["area"]) and len(features) > 100 and "826" in features
    uk = features["826"]["properties"]
    assert uk["name"] == ws.area_names(["826"])["826"] and features["826"]["geometry"]["type"] == "MultiPolygon"
    # every value of the area appears once, under its selectors; the first entry is the least disaggregated
    assert sum(len(v) for v in uk["values"]) == int((frame["area"] == "826").sum())
    assert sum(v is not None for v in uk["disaggregations"][0].values()) == 2  # Units and Series only


def changed_release(tmp_path: Path) -> Path:
    """A new release of one UK file: every value of neonatal mortality (3.2.2) one higher."""
    rows = read_csv(shared_path("opensdg", "uk", "data", "indicator_3-2-2.csv"))
    changed = tmp_path / "release" / "data" / "indicator_3-2-2.csv"
    changed.parent.mkdir(parents=True)
    with changed.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**r, "Value": str(float(r["Value"]) + 1) if r["Value"] else ""} for r in rows)
    return changed


def test_incremental_rebuild_rewrites_only_what_changed(store, tmp_path):
    copy = Path(shutil.copy(store, tmp_path / "store.duckdb"))
    out = tmp_path / "site"
    with Workspace(copy) as ws:
        first = build_site(ws, out, SiteOptions(langs=("en",)))
        again = build_site(ws, out, SiteOptions(langs=("en",)))
        assert (again.written, again.removed, again.unchanged) == (0, 0, first.files)
        report = ws.ingest(changed_release(tmp_path), dataset="opensdg-uk", area="GBR")
        assert report.updated > 1000
        rebuilt = build_site(ws, out, SiteOptions(langs=("en",)))
    per_indicator = {
        f"en/{folder}/3-2-2.{ext}"
        for folder, ext in (
            ("data", "csv"),
            ("data", "json"),
            ("headline", "csv"),
            ("headline", "json"),
            ("meta", "json"),
            ("edges", "csv"),
            ("edges", "json"),
            ("comb", "json"),
        )
    } | {"en/data-packages/3-2-2/data.csv", "en/data-packages/3-2-2/datapackage.json"}
    gathering = {
        "en/headline/all.json",
        "en/meta/all.json",
        "en/stats/reporting.json",
        "en/stats/disaggregation.json",
        "en/data-packages/all.json",
        "en/zip/all_indicators.zip",
        "en/datapackage.json",
        "datapackage.json",
        "observations.parquet",
    }
    # the pages: the indicator's page, data file and chart; its target's other indicator (which lists it);
    # its goal's page; the pages gathering every indicator (home, reporting status, search)
    pages = {
        "en/indicators/3-2-2/index.html",
        "assets/indicators/3-2-2.json",
        "assets/charts/3-2-2.svg",
        "en/indicators/3-2-1/index.html",
        "en/goals/3/index.html",
        "en/index.html",
        "en/reporting/index.html",
        "en/search/index.html",
    }
    expected = per_indicator | gathering | {"en/geojson/countries/indicator_3-2-2.geojson"} | pages
    assert set(rebuilt.written_paths) == expected
    assert (
        rebuilt.written == len(expected) and rebuilt.unchanged == first.files - len(expected) and rebuilt.removed == 0
    )
    new_rows = read_csv(out / "en" / "data" / "3-2-2.csv")
    assert new_rows[0]["Value"] == "4.5"  # 3.5 in the repository, plus one


def test_removed_language_and_reused_files(built, ws, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(built[0], out)
    report = build_site(ws, out, SiteOptions(langs=("en",), all_areas=True))  # the options of `built`, less French
    assert report.written == 0 and report.removed == built[1].files - report.unchanged > 0
    assert not (out / "fr").exists() and all(p.startswith("fr/") for p in report.removed_paths)
    # French again: its tables are the English bytes (same keys), reused from disk, not rendered
    both = build_site(ws, out, SiteOptions(langs=("en", "fr"), all_areas=True))
    assert both.written == report.removed
    assert (out / "fr" / "data" / "3-2-2.csv").read_bytes() == (out / "en" / "data" / "3-2-2.csv").read_bytes()


def disk_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_language_neutral_files_are_stored_once(built):
    out, report = built
    # the tables and maps are the same bytes in each language: one file on disk, two paths
    for name in (
        "data/3-2-2.csv",
        "headline/3-2-2.json",
        "zip/all_indicators.zip",
        "geojson/countries/indicator_14-5-1.geojson",
    ):
        assert (out / "en" / name).samefile(out / "fr" / name), name
    # pages and metadata differ by language: never linked
    for name in ("indicators/3-2-2/index.html", "meta/3-2-2.json"):
        assert not (out / "en" / name).samefile(out / "fr" / name)
        assert (out / "en" / name).read_bytes() != (out / "fr" / name).read_bytes()
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))["files"]
    inodes = {(out / p).stat().st_ino: (out / p).stat().st_size for p in manifest}
    assert report.linked > 300 and report.written == report.files
    assert report.disk_bytes == sum(inodes.values()) < report.total_bytes
    assert len(inodes) == report.files - report.linked


def kill_at_rename(monkeypatch, n: int):
    """Make the build's ``n``-th rename raise KeyboardInterrupt, as if the build were killed between
    writing a temporary file and renaming it into place; returns the real ``os.replace`` to restore."""
    real_replace = build_module.os.replace
    calls = {"n": 0}

    def dies(src, dst):
        calls["n"] += 1
        if calls["n"] == n:
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(build_module.os, "replace", dies)
    return real_replace


def test_linked_files_through_rebuilds_and_a_killed_build(store, tmp_path, monkeypatch):
    copy = Path(shutil.copy(store, tmp_path / "store.duckdb"))
    out, fresh = tmp_path / "site", tmp_path / "fresh"
    both = SiteOptions(langs=("en", "fr"))
    with Workspace(copy) as ws:
        build_site(ws, out, both)
        old_en = (out / "en" / "data" / "3-2-2.csv").read_bytes()
        ws.ingest(changed_release(tmp_path), dataset="opensdg-uk", area="GBR")
        # killed while renaming the changed files into place (links included): a rebuild mends all
        real_replace = kill_at_rename(monkeypatch, 12)
        with pytest.raises(KeyboardInterrupt):
            build_site(ws, out, both)
        monkeypatch.setattr(build_module.os, "replace", real_replace)
        rebuilt = build_site(ws, out, both)
        assert rebuilt.linked > 0 and "fr/data/3-2-2.csv" in rebuilt.written_paths
        # the changed tables are new files shared by both languages; the old bytes are gone everywhere
        en, fr = out / "en" / "data" / "3-2-2.csv", out / "fr" / "data" / "3-2-2.csv"
        assert en.samefile(fr) and en.read_bytes() != old_en and read_csv(en)[0]["Value"] == "4.5"
        # every data file (the linked kind) is what a build into an empty folder writes; pages are left
        # out: some headline figures pick between two units of a year by the store's row order
        build_site(ws, fresh, both)
        mended, clean = disk_files(out), disk_files(fresh)
        assert mended.keys() == clean.keys()
        differ = [p for p, b in clean.items() if is_data_output(p) and mended[p] != b]
        assert not differ, differ[:5]
        # dropping French leaves the English files whole
        build_site(ws, out, SiteOptions(langs=("en",)))
        assert not (out / "fr").exists() and read_csv(en)[0]["Value"] == "4.5"
        # no French link left: only the English data package's copy of the table shares its bytes
        assert en.stat().st_nlink == 2 and en.samefile(out / "en" / "data-packages" / "3-2-2" / "data.csv")


def test_files_are_copied_where_links_are_refused(ws, tmp_path, monkeypatch):
    def refuse(src, dst):
        raise OSError(95, "Operation not supported")

    monkeypatch.setattr(build_module.os, "link", refuse)
    out = tmp_path / "site"
    report = build_site(ws, out, SiteOptions(langs=("en", "fr")))
    assert report.linked == 0 and report.disk_bytes == report.total_bytes
    en, fr = out / "en" / "data" / "3-2-2.csv", out / "fr" / "data" / "3-2-2.csv"
    assert not en.samefile(fr) and en.read_bytes() == fr.read_bytes()
    assert not list(out.rglob("*.sdgtrack-tmp"))


def test_a_killed_build_leaves_whole_files(store, tmp_path, monkeypatch):
    out = tmp_path / "site"
    with Workspace(store, read_only=True) as ws:
        build_site(ws, out, SiteOptions(langs=("en",)))
        before = (out / MANIFEST).read_bytes()
        real_replace = kill_at_rename(monkeypatch, 3)
        with pytest.raises(KeyboardInterrupt):
            build_site(ws, out, SiteOptions(langs=("en",), title="Another title"))
        monkeypatch.setattr(build_module.os, "replace", real_replace)
        assert (out / MANIFEST).read_bytes() == before  # the manifest still describes the old build
        assert not list(out.rglob("*.sdgtrack-tmp"))  # the interrupted build removed its temporaries
        report = build_site(ws, out, SiteOptions(langs=("en",), title="Another title"))
    assert not list(out.rglob("*.sdgtrack-tmp")) and report.written == report.files


def fail_at_render(monkeypatch, n: int) -> None:
    """Make the ``n``-th file the build renders raise, as a bug in a producer would."""
    from sdgtrack.publish import site as site_module

    real_content = site_module.Site.content
    calls = {"n": 0}

    def broken(self, file):
        calls["n"] += 1
        if calls["n"] == n:
            raise ValueError("could not convert string to float: 'SN_ITK_DEFC'")
        return real_content(self, file)

    monkeypatch.setattr(site_module.Site, "content", broken)


def test_a_failed_rebuild_leaves_the_last_build_as_it_was(ws, tmp_path, monkeypatch):
    out = tmp_path / "site"
    build_site(ws, out, SiteOptions(langs=("en",)))
    before = disk_files(out)
    fail_at_render(monkeypatch, 40)  # files rendered before it are not put in place
    with pytest.raises(ValueError, match="SN_ITK_DEFC"):
        build_site(ws, out, SiteOptions(langs=("en",), title="Another title"))
    assert disk_files(out) == before


def test_a_failed_first_build_leaves_no_folder(ws, tmp_path, monkeypatch):
    out, empty = tmp_path / "site", tmp_path / "empty"
    empty.mkdir()
    fail_at_render(monkeypatch, 40)
    with pytest.raises(ValueError):
        build_site(ws, out, SiteOptions(langs=("en",)))
    assert not out.exists()
    fail_at_render(monkeypatch, 2)
    with pytest.raises(ValueError):
        build_site(ws, empty, SiteOptions(langs=("en",)))
    assert empty.is_dir() and not any(empty.iterdir())  # the user's folder stays, empty as given


def test_the_cli_says_one_message_when_a_build_fails(store, tmp_path, monkeypatch, capsys):
    out = tmp_path / "site"
    fail_at_render(monkeypatch, 5)
    monkeypatch.delenv("SDGTRACK_DEBUG", raising=False)
    assert run(["site", "build", str(out), "--db", str(store)]) == 1
    err = capsys.readouterr().err
    assert "site build stopped" in err and "SN_ITK_DEFC" in err and f"no site was written to {out}" in err
    assert "Traceback" not in err and not out.exists()


def test_a_first_build_killed_half_way_leaves_no_half_site(ws, tmp_path, monkeypatch):
    """Interrupted while putting its files in place, a first build takes them away again: the
    folder is not left half-written, and the next build makes the whole site."""
    out = tmp_path / "site"
    real_replace = kill_at_rename(monkeypatch, 50)
    with pytest.raises(KeyboardInterrupt):
        build_site(ws, out, SiteOptions(langs=("en",)))
    monkeypatch.setattr(build_module.os, "replace", real_replace)
    assert not out.exists()
    report = build_site(ws, out, SiteOptions(langs=("en",)))
    assert report.written == report.files > 50 and not list(out.rglob("*.sdgtrack-tmp"))


def test_refusals_change_nothing(ws, tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine", "utf-8")
    with pytest.raises(UserInputError, match="is a file"):
        build_site(ws, a_file, SiteOptions())
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "index.html").write_text("my page", "utf-8")
    with pytest.raises(UserInputError, match="holds no sdgtrack site"):
        build_site(ws, mine, SiteOptions())
    assert [p.name for p in mine.iterdir()] == ["index.html"]
    empty = tmp_path / "empty"
    with pytest.raises(UserInputError, match="shipped translations.*en, fr, es, ar, ru, zh-Hans"):
        build_site(ws, empty, SiteOptions(langs=("en", "xx")))
    with pytest.raises(UserInputError, match="--dataset nope: expected datasets of the store: opensdg-uk, unsd"):
        build_site(ws, empty, SiteOptions(datasets=("nope",)))
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection",\n "features": [}', "utf-8")
    with pytest.raises(UserInputError, match="broken.geojson, line 2, column"):
        build_site(ws, empty, SiteOptions(boundaries=broken))
    nowhere = tmp_path / "nowhere.geojson"
    nowhere.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {"code": "ZZ-9"}, "geometry": None}],
            }
        ),
        "utf-8",
    )
    with pytest.raises(UserInputError, match="no feature names an area of the store"):
        build_site(ws, empty, SiteOptions(boundaries=nowhere))
    assert not empty.exists()


def test_one_dataset_only(ws, tmp_path):
    report = build_site(ws, tmp_path / "uk", SiteOptions(datasets=("opensdg-uk",)))
    rows = read_csv(tmp_path / "uk" / "en" / "data" / "14-5-1.csv")
    assert "GeoCode" not in rows[0] and len(rows) == 69  # the UK's own rows, no UN country
    # an indicator with UN data only: none of its rows; the UK's meta file gives it header-only files
    assert (tmp_path / "uk" / "en" / "data" / "14-7-1.csv").read_text("utf-8") == "Year,Value\n"
    assert report.files > 0


def test_sub_national_boundaries(tmp_path):
    """Rwanda's SDMX data has provinces (RW-1 ...): a boundary file naming them by ISO code draws them."""
    with sdgtrack.open(tmp_path / "rw.duckdb") as db:
        db.ingest(shared_path("opensdg", "rwanda"))
    square = {"type": "Polygon", "coordinates": [[[30, -2], [30.2, -2], [30.2, -1.8], [30, -1.8], [30, -2]]]}
    boundaries = tmp_path / "provinces.geojson"
    boundaries.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"shapeISO": "RW-1", "shapeName": "Kigali"}, "geometry": square},
                    {"type": "Feature", "properties": {"shapeISO": "RW-5", "shapeName": "East"}, "geometry": square},
                    {
                        "type": "Feature",
                        "properties": {"shapeISO": "XX-1", "shapeName": "Elsewhere"},
                        "geometry": square,
                    },
                ],
            }
        )
    )
    with Workspace(tmp_path / "rw.duckdb", read_only=True) as ws:
        report = build_site(ws, tmp_path / "site", SiteOptions(boundaries=boundaries))
        regions = sorted((tmp_path / "site" / "en" / "geojson" / "regions").glob("*.geojson"))
        assert regions and report.files > 0
        collection = json.loads(regions[0].read_text("utf-8"))
        code = regions[0].stem.removeprefix("indicator_").replace("-", ".")
        frame = ws.observations(code, all_disaggregations=True)
        drawn = {f["properties"]["geocode"] for f in collection["features"]}
        assert drawn and drawn <= {"RW-1", "RW-5"} and drawn <= set(frame["area"])
        feature = collection["features"][0]["properties"]
        assert sum(len(v) for v in feature["values"]) == int((frame["area"] == feature["geocode"]).sum())


def test_cli_build_and_serve(store, tmp_path, capfd):
    out = tmp_path / "site"
    assert run(["site", "build", str(out), "--lang", "en", "--db", str(store)]) == 0
    assert "written" in capfd.readouterr().out
    assert run(["site", "build", str(out), "--lang", "en", "--db", str(store)]) == 0
    assert "0 written" in capfd.readouterr().out
    assert run(["site", "build", str(out), "--lang", "en,klingon", "--db", str(store)]) == 1
    assert "--lang klingon: expected languages of the shipped translations" in capfd.readouterr().err
    server = make_server(out, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(f"{base}/en/data/3-2-2.csv") as response:
            assert response.read() == (out / "en" / "data" / "3-2-2.csv").read_bytes()
            assert response.headers["Content-Type"].startswith("text/csv")
        for path in ("/../store.duckdb", "/en/%2e%2e/%2e%2e/store.duckdb", f"/{MANIFEST}", "/en/nothing.csv"):
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(base + path)
            assert caught.value.code == 404, path
    finally:
        server.shutdown()
        server.server_close()
    with pytest.raises(UserInputError, match="no site built there"):
        make_server(tmp_path, "127.0.0.1", 0)


def test_linking_a_file_already_linked_leaves_no_temporary(tmp_path):
    """A build killed after linking fr/ to en/ and before its manifest: the next links again."""
    from sdgtrack.publish.build import link_atomic

    holder, target = tmp_path / "en.csv", tmp_path / "fr.csv"
    holder.write_text("a,b\n", encoding="utf-8")
    os.link(holder, target)
    assert link_atomic(holder, target) and target.samefile(holder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["en.csv", "fr.csv"]
