"""`sdgtrack city ...` and `sdgtrack framework crosswalk ...` from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import sdgtrack
from tests.conftest import shared_path


def run(*args, db: Path):
    env = {**os.environ, "COLUMNS": "400"}
    return subprocess.run(
        [sys.executable, "-m", "sdgtrack.cli", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=db.parent,
        env=env,
    )


@pytest.fixture(scope="module")
def city_db(tmp_path_factory):
    src = shared_path("u4ssc", "city_values.csv")
    db = tmp_path_factory.mktemp("cities") / "cities.duckdb"
    for city in ("Karmøy", "Asker", "Kristiansund"):
        r = run("city", "import", str(src), "--city", city, db=db)
        assert r.returncode == 0, r.stderr
    return db


def test_import_prints_what_it_stored(city_db):
    r = run("city", "list", "--format", "csv", db=city_db)
    assert "NO-KARMOY,Karmøy,578,Norway,14" in r.stdout
    assert "NO-ASKER,Asker,578,Norway,15" in r.stdout


def test_score_json_has_kpis_and_rollups(city_db):
    r = run("city", "score", "--city", "Karmøy", "--format", "json", db=city_db)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)  # the project's Result document
    assert data["analysis"] == "cities" and data["parameters"]["city"] == "NO-KARMOY"
    assert data["datasets"] == {"city-no-karmoy": 14} and data["data_window"] == {"years": "2020"}
    broadband = next(k for k in data["tables"]["kpis"] if k["key"] == "EC.ICT.ICT.2C")
    assert broadband["points"] == 4 and round(broadband["attainment"], 2) == 140.85 and broadband["target"] == 60
    economy = next(x for x in data["tables"]["rollups"] if x["level"] == "dimension" and x["name"] == "Economy")
    assert (economy["points"], economy["max_points"], economy["band"]) == (28, 28, "95%+ of target")
    assert any("target / value" in n for n in data["notes"])


def test_score_table_and_rollup_csv(city_db):
    r = run("city", "score", "--city", "Asker", db=city_db)
    assert r.returncode == 0 and "Gender Income Equity" in r.stdout and "not reported" in r.stdout
    r = run("city", "score", "--city", "Asker", "--level", "rollup", "--format", "csv", db=city_db)
    assert r.stdout.splitlines()[0].startswith("level,name,dimension,sub_dimension,category,points,max_points")


def test_report_html(city_db, tmp_path):
    out = tmp_path / "karmoy.html"
    r = run("city", "report", "--city", "Karmøy", "--output", str(out), db=city_db)
    assert r.returncode == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    assert "U4SSC Key Performance Indicators: Karmøy" in html
    assert "data:image/svg+xml;base64," in html  # the wheel, embedded
    assert "Fixed Broadband Subscriptions" in html and "140.9%" in html
    assert "KPIs not reported" in html and "SDG links of the reported KPIs" in html
    assert "17.6.2, 17.8.1" in html  # ITU's own references of 2C
    assert "Factsheet Mashhad 2021" in html  # the source of the 60 % target


def test_report_pdf(city_db, tmp_path):
    weasyprint = pytest.importorskip("weasyprint", reason="WeasyPrint (the pdf extra) is not installed")
    out = tmp_path / "asker.pdf"
    r = run("city", "report", "--city", "Asker", "--output", str(out), db=city_db)
    assert r.returncode == 0, r.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    import sdgtrack
    from sdgtrack.cities import city_score
    from sdgtrack.cities.report import render_html, sdg_links

    with sdgtrack.Database(city_db, read_only=True) as db:
        html = render_html(city_score(db, "Asker"), sdg_links(db), for_pdf=True)
    assert "data:image/png;base64," in html
    pages = weasyprint.HTML(string=html).render().pages
    assert len(pages) >= 3


def test_report_bad_suffix(city_db, tmp_path):
    r = run("city", "report", "--city", "Asker", "--output", str(tmp_path / "x.docx"), db=city_db)
    assert r.returncode == 1 and "expected a name ending in .html or .pdf" in r.stderr and "Traceback" not in r.stderr


def test_compare_with_chart(city_db, tmp_path):
    chart = tmp_path / "cmp.svg"
    r = run("city", "compare", "Asker", "Kristiansund", "--format", "csv", "--chart", str(chart), db=city_db)
    assert r.returncode == 0, r.stderr
    assert "SC.SH.SA.8C,Violent Crime Rate" in r.stdout and "393.98" in r.stdout and "811.57" in r.stdout
    assert chart.read_text(encoding="utf-8").startswith("<svg")


def test_unknown_city(city_db):
    r = run("city", "score", "--city", "Norway", db=city_db)
    assert r.returncode == 1 and "is not a city in this store" in r.stderr and "Traceback" not in r.stderr


def test_bad_cell_from_the_cli(city_db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code,value,status,year\nEC.ICT.ICT.1C,140%,reported,2021\n", encoding="utf-8")
    before = run("city", "list", "--format", "csv", db=city_db).stdout
    r = run("city", "import", str(path), "--city", "Bergen", "--country", "NOR", db=city_db)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"{path}, line 2, column 'value': got '140'; expected a percentage between 0 and 100" in r.stderr
    assert run("city", "list", "--format", "csv", db=city_db).stdout == before


def test_template_files(tmp_path):
    for name in ("t.xlsx", "t.csv"):
        r = subprocess.run(
            [sys.executable, "-m", "sdgtrack.cli", "city", "template", "--output", str(tmp_path / name)],
            capture_output=True,
            text=True,
        )
        assert r.returncode == 0 and (tmp_path / name).stat().st_size > 1000
    r = subprocess.run(
        [sys.executable, "-m", "sdgtrack.cli", "city", "template", "--output", str(tmp_path / "t.ods")],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 1 and "expected a name ending in .xlsx or .csv" in r.stderr


def test_crosswalk_import_and_show_both_ways(tmp_path):
    db = tmp_path / "x.duckdb"
    good = tmp_path / "wsis_sdg.csv"
    good.write_text(
        "from_framework,from_code,to_framework,to_code,relation,source\n"
        "wsis,C4,sdg,4.4,related,our office's reading of the WSIS-SDG matrix\n"
        "wsis,C7.e-health,sdg,3.8,,our office\n",
        encoding="utf-8",
    )
    r = run("framework", "crosswalk", "import", str(good), db=db)
    assert r.returncode == 0 and "2 links read, 2 new" in r.stdout
    assert "0 new, 2 already there" in run("framework", "crosswalk", "import", str(good), db=db).stdout
    shown = run("framework", "show", "C4", db=db).stdout
    assert "WSIS action line C4" in shown and "-> sdg 4.4" in shown
    assert "<- wsis C4  Capacity building" in run("framework", "show", "4.4", db=db).stdout
    kpi = run("framework", "show", "EC: ICT: ICT: 1C", db=db).stdout
    assert "-> sdg 17.8.1" in kpi and "sdg_reference" in kpi and "ks_mapping" in kpi
    assert "<- u4ssc EC.ICT.ICT.1C" in run("framework", "show", "17.8.1", db=db).stdout
    counts = run("framework", "crosswalk", "count", "wsis", "--of", "u4ssc", "--format", "csv", db=db).stdout
    assert "C7.e-health,E-health,1,10,3" in counts  # goal 3: ten KPIs carry an SDG 3 link (KS)


def test_crosswalk_bad_rows_load_nothing(tmp_path):
    db = tmp_path / "x.duckdb"
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "from_framework,from_code,to_framework,to_code,relation,source\n"
        "wsis,C4,sdg,4.4,related,x\nwsis,C12,sdg,4.4,related,x\nwsis,C2,sdg,18.1,related,x\n",
        encoding="utf-8",
    )
    r = run("framework", "crosswalk", "import", str(bad), db=db)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"{bad}, line 3, column 'from_code': got 'C12'; expected a code of framework wsis" in r.stderr
    assert f"{bad}, line 4, column 'to_code': got '18.1'; expected a code of framework sdg" in r.stderr
    assert "-> sdg" not in run("framework", "show", "C4", db=db).stdout


def test_web_city_page_and_api(city_db):
    from fastapi.testclient import TestClient

    from sdgtrack.web.app import create_app

    client = TestClient(create_app(city_db))
    cities = {c["name"]: c for c in client.get("/api/cities").json()}
    assert cities["Asker"]["kpi_values"] == 15
    score = client.get("/api/cities/NO-KARMOY/score").json()
    assert score["analysis"] == "cities" and score["summary"]["scored"] == 7
    page = client.get("/cities/Karmøy")
    assert page.status_code == 200 and "Benchmarking wheel" in page.text
    assert client.get("/cities/Oslo").status_code == 404


def test_framework_list_of_other_frameworks(tmp_path):
    db = tmp_path / "l.duckdb"
    sdgtrack.Database(db).close()  # an explicit --db must exist: reading commands never create one
    r = run("framework", "list", "--framework", "u4ssc", "--level", "kpi", "--format", "csv", db=db)
    assert r.returncode == 0 and len(r.stdout.strip().splitlines()) == 92  # header + 91 KPIs
    r = run("framework", "list", "--framework", "wsis", "--parent", "C7", "--format", "csv", db=db)
    assert "C7.e-science,e_application,C7,E-science" in r.stdout
    r = run("framework", "list", "--framework", "wsis", "--level", "goal", db=db)
    assert r.returncode == 1 and "expected one of action_line, e_application" in r.stderr
