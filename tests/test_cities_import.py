"""U4SSC KPIs: the framework in the store, the collection template, import with validation, scoring."""

from __future__ import annotations

import pandas as pd
import pytest

from sdgtrack.cities import city_compare, city_import, city_score, city_template
from sdgtrack.errors import InvalidInputError, UserInputError
from sdgtrack.frameworks import u4ssc
from tests.conftest import shared_path


def city_obs(db) -> pd.DataFrame:
    return db.sql("SELECT * FROM observation WHERE starts_with(series, 'U4SSC:')")


# -- the framework ------------------------------------------------------------------------------
def test_the_91_kpis_as_a_framework(db):
    levels = dict(
        db.con.execute("SELECT level, count(*) FROM framework_node WHERE framework = 'u4ssc' GROUP BY level").fetchall()
    )
    assert levels["kpi"] == 91 and levels["dimension"] == 3 and levels["sub_dimension"] == 7
    k = u4ssc.kpi_table()
    assert k["dimension"].value_counts().to_dict() == {"Economy": 45, "Society and Culture": 29, "Environment": 17}
    assert k["type"].value_counts().to_dict() == {"Core": 55, "Advanced": 36}
    # data points are children of their KPI
    points = db.sql("SELECT code FROM framework_node WHERE framework = 'u4ssc' AND parent = 'EN.EN.AQ.1C'")
    assert sorted(points["code"]) == sorted(f"EN.EN.AQ.1C/{p}" for p in ("PM10", "PM2.5", "NO2", "SO2", "O3"))
    # Electronic Health Records is numbered ED but sits in Health, as ITU lists it
    parent = db.con.execute(
        "SELECT parent FROM framework_node WHERE framework = 'u4ssc' AND code = 'SC.EH.ED.5A'"
    ).fetchone()
    assert parent[0] == "SC.EH.H"


def test_sdg_links_mark_itu_apart_from_ks(db):
    links = db.sql("SELECT * FROM crosswalk WHERE from_framework = 'u4ssc'")
    itu = links[links["relation"] == "sdg_reference"]
    assert set(itu["from_code"]) == {
        "EC.ICT.ICT.1C",
        "EC.ICT.ICT.2C",
        "EC.ICT.ES.1C",
        "EC.I.WS.2C",
        "EC.I.ES.1C",
        "EC.I.ES.2C",
        "EC.I.ES.3C",
        "EN.EN.AQ.1C",
    }
    assert set(links.loc[links["relation"] == "ks_mapping", "from_code"]) == set(u4ssc.kpi_table()["code"])
    dangling = db.sql("""SELECT c.to_code FROM crosswalk c LEFT JOIN framework_node n
                         ON n.framework = 'sdg' AND n.code = c.to_code WHERE n.code IS NULL""")
    assert dangling.empty


def test_wsis_action_lines(db):
    rows = db.sql("SELECT code, level, parent FROM framework_node WHERE framework = 'wsis' ORDER BY sort_key")
    assert (rows["level"] == "action_line").sum() == 11
    assert rows.loc[rows["parent"] == "C7", "code"].tolist()[:2] == ["C7.e-government", "C7.e-business"]
    assert (rows["parent"] == "C7").sum() == 8


def test_codes_in_every_spelling():
    assert u4ssc.resolve("EC: ICT: ICT: 1C") == u4ssc.resolve("ec.ict.ict.1c") == "EC.ICT.ICT.1C"
    assert u4ssc.resolve("EC: ICT: ICT: 5A") == "EC.ICT.ICT.5C"  # the KS alias
    assert u4ssc.resolve("XX: 1") is None


# -- the published values --------------------------------------------------------------------
def test_import_published_values_of_karmoy_and_asker(db):
    src = shared_path("u4ssc", "city_values.csv")
    karmoy = city_import(db, src, city="Karmøy")
    asker = city_import(db, src, city="Asker")
    assert (karmoy.rows, karmoy.reported) == (14, 14)
    assert (asker.rows, asker.reported, asker.not_reported) == (15, 14, 1)
    cities = db.areas(kind="city").set_index("name")
    assert cities.loc["Karmøy", "parent"] == "578" and cities.loc["Asker", "code"] == "NO-ASKER"
    obs = city_obs(db)
    assert len(obs) == 29
    broadband = obs[(obs["series"] == "U4SSC:EC.ICT.ICT.2C")].iloc[0]
    assert broadband["value"] == 84.51 and broadband["area"] == "NO-KARMOY" and broadband["year"] == 2020
    coverage = obs[obs["series"] == "U4SSC:EC.ICT.ICT.4C"].sort_values("dims")
    assert coverage["dims"].tolist() == ["data_point=3G", "data_point=4G"]
    food = obs[obs["series"] == "U4SSC:SC.SH.FS.1A"].iloc[0]
    assert pd.isna(food["value"]) and food["obs_status"] == "not_reported"
    resilience = obs[obs["series"] == "U4SSC:SC.SH.SA.3A"].iloc[0]
    assert resilience["value"] == 0 and resilience["unit"] == "yes/no"
    again = city_import(db, src, city="Asker")
    assert "0 new, 0 updated, 15 unchanged" in again.load_summary


def test_a_value_the_verifier_withheld_is_not_verified(db, tmp_path):
    """Bizerte's report prints "Not verified" in place of its Gini coefficient. Marked `reported` with
    no number (as the published file has it), the file is refused naming the line; marked
    `not_verified`, it loads with that status and no number, and the city report says so."""
    src = shared_path("u4ssc", "city_values.csv")
    with pytest.raises(InvalidInputError) as exc:
        city_import(db, src, city="Bizerte")
    (problem,) = exc.value.problems
    assert str(problem).startswith(f"{src}, line 45, column 'value'") and "not_verified" in str(problem)
    table = pd.read_csv(src, dtype=str, keep_default_na=False)
    withheld = (table["city"] == "Bizerte") & (table["value"] == "") & (table["status"] == "reported")
    assert withheld.sum() == 1
    table.loc[withheld, "status"] = "not_verified"
    fixed = tmp_path / "bizerte.csv"
    table.to_csv(fixed, index=False)
    report = city_import(db, fixed, city="Bizerte")
    assert (report.rows, report.not_verified) == (15, 1)
    gini = city_obs(db).query("series == 'U4SSC:SC.SH.SI.2C'").iloc[0]
    assert pd.isna(gini["value"]) and gini["obs_status"] == "not_verified"
    from sdgtrack.cities.report import report_context, sdg_links

    context = report_context(city_score(db, "TN-BIZERTE"), sdg_links(db))
    assert [(r["key"], r["value_text"]) for r in context["not_verified"]] == [("SC.SH.SI.2C", "Not verified")]


def test_score_karmoy_with_the_default_targets(db):
    city_import(db, shared_path("u4ssc", "city_values.csv"), city="Karmøy")
    score = city_score(db, "Karmøy")
    k = score.kpis.set_index("key")
    assert k.loc["EC.ICT.ICT.2C", "attainment"] == pytest.approx(140.85)
    assert k.loc["EC.ICT.ICT.2C", "points"] == 4
    assert k.loc["EC.ICT.ICT.5C", "note"] == "no target (N/A)"  # as in the report: benchmark N/A
    assert k.loc["EN.EN.AQ.1C/PM10", "status"] == "no_data"
    dim = score.rollups[(score.rollups["level"] == "dimension") & (score.rollups["name"] == "Economy")].iloc[0]
    assert (dim["points"], dim["max_points"]) == (28, 28)
    assert "7 of 112 KPIs and data points scored" in score.describe()


def test_score_with_own_targets_lower_is_better(db, tmp_path):
    city_import(db, shared_path("u4ssc", "city_values.csv"), city="Asker")
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "kpi,target,source\nSC.SH.SA.8C,300,city plan\nSC.SH.SI.4C,80,city plan\n"
        "SC.SH.SI.3C,2,city plan\nSC.SH.FS.1A,50,city plan\n",
        encoding="utf-8",
    )
    score = city_score(db, "NO-ASKER", targets)
    k = score.kpis.set_index("key")
    assert k.loc["SC.SH.SA.8C", "attainment"] == pytest.approx(300 / 393.98 * 100)  # violent crime, lower is better
    assert k.loc["SC.SH.SA.8C", "points"] == 3
    assert k.loc["SC.SH.SI.3C", "points"] == 2  # poverty 4.27 vs 2: 46.8 %
    assert k.loc["SC.SH.FS.1A", "note"] == "not reported" and pd.isna(k.loc["SC.SH.FS.1A", "points"])
    cat = score.rollups.set_index(["level", "name"]).loc[("category", "Social Inclusion")]
    assert (cat["points"], cat["max_points"]) == (2 + 3, 8)  # 67.94/80 = 84.9 % -> 3


def test_compare_two_cities(db):
    src = shared_path("u4ssc", "city_values.csv")
    city_import(db, src, city="Asker")
    city_import(db, src, city="Kristiansund")
    c = city_compare(db, ["Asker", "Kristiansund"])
    row = c.table.set_index("key").loc["SC.SH.SA.8C"]
    assert (row["Asker"], row["Kristiansund"]) == (393.98, 811.57)
    assert set(c.rollups["city"]) == {"Asker", "Kristiansund"}
    with pytest.raises(UserInputError, match="two or more"):
        city_compare(db, ["Asker"])


# -- the template and bad cells -----------------------------------------------------------------
def filled_template(tmp_path, edits: dict[str, dict], name="return.csv"):
    path = tmp_path / "template.csv"
    city_template(path, year=2023)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["key"] = frame["code"] + frame["data_point"].map(lambda p: f"/{p}" if p else "")
    for key, cells in edits.items():
        for col, val in cells.items():
            frame.loc[frame["key"] == key, col] = val
    out = tmp_path / name
    frame.drop(columns="key").to_csv(out, index=False)
    return out, {k: int(frame.index[frame["key"] == k][0]) + 2 for k in edits}


GOOD = {
    "EC.ICT.ICT.1C": {"value": "91.5", "status": "reported", "data_source": "national statistics"},
    "EC.ICT.ICT.2C": {"numerator": "30000", "denominator": "40000"},
    "EN.EN.AQ.1C/PM2.5": {"value": "7.1"},
    "SC.SH.SA.3A": {"value": "yes"},
    "SC.SH.FS.1A": {"status": "not_reported"},
}


def test_template_rows_and_a_good_return(db, tmp_path):
    path, _ = filled_template(tmp_path, GOOD)
    template = pd.read_csv(tmp_path / "template.csv", dtype=str, keep_default_na=False)
    assert len(template) == 112 and list(template.columns)[:3] == ["code", "data_point", "name"]
    report = city_import(db, path, city="Bergen", country="578")
    assert (report.rows, report.reported, report.not_reported) == (5, 4, 1)
    obs = city_obs(db).set_index("series")
    assert obs.loc["U4SSC:EC.ICT.ICT.2C", "value"] == pytest.approx(75.0)  # 30000 / 40000 x 100
    assert obs.loc["U4SSC:SC.SH.SA.3A", "value"] == 1
    assert obs.loc["U4SSC:EN.EN.AQ.1C", "dims"] == "data_point=PM2.5"
    assert (obs["year"] == 2023).all()


@pytest.mark.parametrize(
    "key, cells, column, expected",
    [
        ("EC.ICT.ICT.1C", {"value": "about ninety"}, "value", "got 'about ninety'; expected a number in %"),
        ("EC.ICT.ICT.1C", {"value": "140%"}, "value", "got '140'; expected a percentage between 0 and 100"),
        (
            "EC.ICT.ICT.2C",
            {"numerator": "50000", "denominator": "40000"},
            "numerator",
            "got '50000'; expected at most the denominator (40000)",
        ),
        ("SC.SH.SI.2C", {"value": "27"}, "value", "got '27'; expected a value between 0 and 1"),
        ("EC.ICT.ICT.1C", {"value": "90", "status": "not_reported"}, "status", "expected reported or not_verified"),
    ],
)
def test_one_bad_cell_one_message_nothing_stored(db, tmp_path, key, cells, column, expected):
    edits = {**GOOD, key: {**GOOD.get(key, {}), **cells}}
    if key == "EC.ICT.ICT.2C" and "value" not in cells:
        edits[key] = cells
    path, lines = filled_template(tmp_path, edits)
    with pytest.raises(InvalidInputError) as exc:
        city_import(db, path, city="Bergen", country="NOR")
    assert len(exc.value.problems) == 1
    message = str(exc.value.problems[0])
    assert message.startswith(f"{path}, line {lines[key]}, column '{column}'")
    assert expected in message
    assert city_obs(db).empty and db.areas(kind="city").empty and not db.datasets()["id"].str.startswith("city-").any()


def test_unknown_code_one_message_nothing_stored(db, tmp_path):
    path, _ = filled_template(tmp_path, GOOD)
    text = path.read_text(encoding="utf-8") + "EC: ICT: ICT: 99C,,Made up KPI,,,,,,,,12,reported,,2023,\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError) as exc:
        city_import(db, path, city="Bergen", country="NOR")
    assert [str(p) for p in exc.value.problems] == [
        f"{path}, line 114, column 'code': got 'EC: ICT: ICT: 99C'; expected a U4SSC KPI code such as EC.ICT.ICT.1C "
        "or 'EC: ICT: ICT: 1C' (the codes are listed by `sdgtrack city template`)"
    ]
    assert city_obs(db).empty and db.areas(kind="city").empty and not db.datasets()["id"].str.startswith("city-").any()


def test_excel_template_round_trip_and_row_numbers(db, tmp_path):
    import openpyxl

    path = tmp_path / "return.xlsx"
    city_template(path)
    book = openpyxl.load_workbook(path)
    sheet = book["KPIs"]
    header = [c.value for c in sheet[1]]
    col = {name: i + 1 for i, name in enumerate(header)}
    sheet.cell(row=2, column=col["value"], value=88.2)  # EC.ICT.ICT.1C, a number cell
    sheet.cell(row=2, column=col["year"], value=2022)
    sheet.cell(row=3, column=col["value"], value="n/a")  # EC.ICT.ICT.2C, text in a number
    book.save(path)
    with pytest.raises(InvalidInputError) as exc:
        city_import(db, path, city="Stavanger", country="Norway", year=2022)
    assert [str(p) for p in exc.value.problems] == [f"{path}, row 3, column 'value': got 'n/a'; expected a number in %"]
    sheet.cell(row=3, column=col["value"]).value = None
    book.save(path)
    report = city_import(db, path, city="Stavanger", country="Norway", year=2022)
    assert report.rows == 1 and city_obs(db)["value"].tolist() == [88.2]


def test_file_level_problems(db, tmp_path):
    src = shared_path("u4ssc", "city_values.csv")
    with pytest.raises(InvalidInputError, match="expected a city named in the file"):
        city_import(db, src, city="Oslo")
    # Bizerte's Gini is 'reported' with no value (the report shows "Not verified"): refused, by line
    with pytest.raises(
        InvalidInputError, match=r"line 45, column 'value': expected a value for a KPI with status reported"
    ):
        city_import(db, src, city="Bizerte")
    other = tmp_path / "x.txt"
    other.write_text("a", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="expected a .csv or .xlsx file"):
        city_import(db, other, city="Oslo", country="NOR")
    assert city_obs(db).empty


def test_each_city_is_its_own_dataset(db):
    src = shared_path("u4ssc", "city_values.csv")
    city_import(db, src, city="Karmøy")
    city_import(db, src, city="Asker")
    d = db.datasets().set_index("id")
    assert d.loc["city-no-karmoy", "kind"] == "city" and d.loc["city-no-asker", "title"] == "U4SSC KPIs of Asker"
    obs = city_obs(db)
    assert set(obs.loc[obs["area"] == "NO-KARMOY", "dataset"]) == {"city-no-karmoy"}
    # --replace: a later return without a KPI removes it from the city's dataset (history keeps it)
    path = db.path.parent / "asker.csv"
    path.write_text("code,value,status,year\nSC.SH.SI.1C,0.66,reported,2020\n", encoding="utf-8")
    city_import(db, path, city="Asker", replace=True)
    asker = city_obs(db)[lambda o: o["area"] == "NO-ASKER"]
    assert asker["series"].tolist() == ["U4SSC:SC.SH.SI.1C"] and asker["value"].tolist() == [0.66]
    assert len(city_obs(db)[lambda o: o["area"] == "NO-KARMOY"]) == 14


def test_a_unit_other_than_the_kpis_is_refused(db, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(
        "code,unit,value,year\nSC.SH.SA.8C,per 1000 inhabitants,3.9,2021\n"
        "SC.SH.SI.1C,ratio (female:male),0.7,2021\nEC.ICT.ICT.1C,%,80,2021\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInputError) as exc:
        city_import(db, path, city="Bergen", country="NOR")
    assert [str(p) for p in exc.value.problems] == [
        f"{path}, line 2, column 'unit': got 'per 1000 inhabitants'; expected the KPI's unit, per 100 000 "
        "inhabitants (convert the value; nothing is converted on import)"
    ]
    assert city_obs(db).empty


def test_workspace_cities_returns_a_result(tmp_path):
    from sdgtrack.results import Result
    from sdgtrack.workspace import Workspace

    with Workspace(tmp_path / "w.duckdb") as ws:
        src = shared_path("u4ssc", "city_values.csv")
        ws.city_import(src, city="Asker")
        ws.city_import(src, city="Kristiansund")
        one = ws.cities("Asker")
        assert isinstance(one, Result) and one.analysis == "cities" and list(one.tables) == ["kpis", "rollups"]
        assert one.summary["reported"] == 14 and one.summary["not_reported"] == 1
        assert "Asker (NO-ASKER, Norway)" in one.describe()
        both = ws.cities(["Asker", "Kristiansund"])
        assert list(both.tables) == ["side_by_side", "kpis", "rollups"]
        assert both.datasets == {"city-no-asker": 15, "city-no-kristiansund": 13}
        doc = both.to_json()
        assert (
            doc["parameters"]["cities"] == ["NO-ASKER", "NO-KRISTIANSUND"] and len(doc["tables"]["side_by_side"]) == 14
        )


def test_a_failed_load_leaves_no_new_city_behind(db, monkeypatch):
    src = shared_path("u4ssc", "city_values.csv")

    def broken_ingest(*args, **kwargs):
        raise UserInputError("disk full (simulated)")

    monkeypatch.setattr("sdgtrack.cities.importer.load_files", broken_ingest)
    with pytest.raises(UserInputError, match="simulated"):
        city_import(db, src, city="Asker", country="Norway")
    assert db.cities_named("Asker") == [] and db.areas(kind="city").empty
