"""Datasets and history on small fixtures: defaults, one dataset per time series, preference,
re-load reports, --replace, history and as-of, compare, and the CLI."""

from __future__ import annotations

import datetime as dt
import time

import pytest

import sdgtrack
from sdgtrack.errors import InvalidInputError, UserInputError
from sdgtrack.ingest import load

from .conftest import FIXTURES
from .test_ingest_core import run_cli

INGEST = FIXTURES / "ingest"
HEADER = "series,area,year,value\n"


def write(path, rows: list[str]):
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_default_dataset_is_the_file_stem_and_kind_can_be_given(db):
    report = load(db, INGEST / "tidy_good.csv", dataset_info={"kind": "national", "title": "Good data"})
    assert report.dataset == "tidy_good"
    listed = db.datasets().set_index("id")
    assert listed.loc["tidy_good", "kind"] == "national"
    assert listed.loc["tidy_good", "title"] == "Good data"
    assert listed.loc["tidy_good", "observations"] == 7


def test_bad_dataset_id_and_kind_are_refused(db):
    with pytest.raises(UserInputError, match="dataset id 'Bad Id'"):
        load(db, INGEST / "tidy_good.csv", dataset="Bad Id")
    with pytest.raises(UserInputError, match="dataset kind 'planet'"):
        load(db, INGEST / "tidy_good.csv", dataset_info={"kind": "planet"})
    assert db.datasets().empty


def test_two_files_deriving_two_datasets_need_one_named(db, tmp_path):
    a = write(tmp_path / "a.csv", ["SH_DYN_MORT,AFG,2015,70"])
    b = write(tmp_path / "b.csv", ["SH_DYN_MORT,AFG,2016,68"])
    with pytest.raises(InvalidInputError, match="one dataset per load") as err:
        load(db, [a, b])
    assert "--dataset" in err.value.hint
    assert load(db, [a, b], dataset="both").new == 2


def test_same_key_in_two_datasets_keeps_both(db, tmp_path):
    load(
        db,
        write(tmp_path / "national.csv", ["SH_DYN_MORT,AFG,2015,70", "SH_DYN_MORT,AFG,2016,68"]),
        dataset_info={"kind": "national"},
    )
    load(
        db,
        write(tmp_path / "global.csv", ["SH_DYN_MORT,AFG,2015,71", "SH_DYN_MORT,AFG,2017,65"]),
        dataset_info={"kind": "global"},
    )
    stored = db.con.execute("SELECT dataset, value FROM observation WHERE year = 2015 ORDER BY dataset").fetchall()
    assert stored == [("global", 71.0), ("national", 70.0)]
    # one dataset per (series, area): national first by default, never 2015-16 national + 2017 global
    values = db.headline_values("SH_DYN_MORT", areas=["AFG"])
    assert values["dataset"].unique().tolist() == ["national"]
    assert values["year"].tolist() == [2015, 2016]
    # the user's order of preference wins, and a list given to a query wins over that
    db.prefer_datasets(["global"])
    assert db.headline_values("SH_DYN_MORT")["dataset"].unique().tolist() == ["global"]
    assert db.observations("SH_DYN_MORT", datasets=["national"])["value"].tolist() == [70.0, 68.0]
    with pytest.raises(UserInputError, match="unknown dataset nope"):
        db.observations("SH_DYN_MORT", datasets=["nope"])
    side = db.compare("SH_DYN_MORT", areas=["AFG"])
    assert list(side.columns) == ["series", "area", "area_name", "year", "global", "national", "national - global"]
    row_2015 = side[side["year"] == 2015].iloc[0]
    assert (row_2015["global"], row_2015["national"], row_2015["national - global"]) == (71.0, 70.0, -1.0)


def test_reload_reports_missing_and_replace_removes_them_into_history(db, tmp_path):
    path = tmp_path / "release.csv"
    write(path, ["SH_DYN_MORT,AFG,2015,70", "SH_DYN_MORT,AFG,2016,68", "SH_DYN_MORT,AFG,2017,66"])
    load(db, path)
    first_load = dt.datetime.now()
    time.sleep(0.01)
    write(path, ["SH_DYN_MORT,AFG,2015,70", "SH_DYN_MORT,AFG,2016,67.5"])
    kept = load(db, path)
    assert (kept.new, kept.updated, kept.unchanged, kept.missing, kept.removed) == (0, 1, 1, 1, 0)
    assert "--replace removes them" in kept.summary()
    assert len(db.observations("SH_DYN_MORT")) == 3  # the missing row is kept without --replace
    replaced = load(db, path, replace=True)
    assert (replaced.missing, replaced.removed) == (1, 1)
    assert db.observations("SH_DYN_MORT")["value"].tolist() == [70.0, 67.5]
    # every earlier version is in history, and the store answers as it stood then
    history = db.history("SH_DYN_MORT", areas=["AFG"])
    assert sorted(zip(history["period"], history["status"], history["value"])) == [
        ("2015", "current", 70.0),
        ("2016", "current", 67.5),
        ("2016", "updated", 68.0),
        ("2017", "removed", 66.0),
    ]
    assert set(history["written_by"]) == {sdgtrack.store.datasets.current_user()}
    then = db.observations("SH_DYN_MORT", as_of=first_load)
    assert then["value"].tolist() == [70.0, 68.0, 66.0]
    assert db.observations("SH_DYN_MORT", as_of="1999-01-01").empty
    with pytest.raises(UserInputError, match="--as-of 'yesterday'"):
        db.observations("SH_DYN_MORT", as_of="yesterday")


def test_unchanged_reload_writes_no_history(db, tmp_path):
    path = write(tmp_path / "same.csv", ["SH_DYN_MORT,AFG,2015,70"])
    for _ in range(3):
        load(db, path)
    assert db.con.execute("SELECT count(*) FROM observation_history").fetchone()[0] == 0
    assert db.con.execute("SELECT count(*) FROM observation").fetchone()[0] == 1


def test_remove_dataset_keeps_history_and_other_datasets(db, tmp_path):
    load(db, write(tmp_path / "keep.csv", ["SH_DYN_MORT,AFG,2015,70"]))
    load(db, write(tmp_path / "drop.csv", ["SH_DYN_MORT,AFG,2015,71", "SH_DYN_MORT,NPL,2015,30"]))
    before = dt.datetime.now()
    time.sleep(0.01)
    assert db.remove_dataset("drop") == 2
    assert db.datasets()["id"].tolist() == ["keep"]
    assert db.observations("SH_DYN_MORT")["value"].tolist() == [70.0]
    # as the store stood: drop's rows back (same kind as keep: the id decides, so drop wins for AFG)
    assert sorted(db.observations("SH_DYN_MORT", as_of=before)["value"]) == [30.0, 71.0]
    assert db.observations("SH_DYN_MORT", as_of=before, datasets=["keep"])["value"].tolist() == [70.0]
    with pytest.raises(UserInputError, match="no dataset 'drop'"):
        db.remove_dataset("drop")
    # loading it again brings it back as a new dataset
    assert load(db, tmp_path / "drop.csv").new == 2


def test_headline_flags_are_decided_per_dataset(db, tmp_path):
    """A file that splits a series by another dimension must not turn the other dataset's rows
    into non-headline rows (the Rwanda SDMX / UN Global Database bug)."""
    un = tmp_path / "un.csv"
    un.write_text("series,area,year,value,Age\nSH_DYN_MORT,AFG,2015,70,<5Y\nSH_DYN_MORT,AFG,2016,68,<5Y\n")
    load(db, un)
    national = tmp_path / "national.csv"
    national.write_text("series,area,year,value,Age\nSH_DYN_MORT,RWA,2015,50,<5Y\nSH_DYN_MORT,RWA,2015,20,<1Y\n")
    load(db, national)
    flags = dict(
        db.con.execute(
            "SELECT dataset, bool_and(is_headline) FROM observation WHERE dims = 'Age=<5Y' GROUP BY dataset"
        ).fetchall()
    )
    assert flags == {"un": True, "national": False}
    assert len(db.observations("SH_DYN_MORT", areas=["AFG"])) == 2


def test_cli_datasets_history_compare(tmp_path):
    store = tmp_path / "cli.duckdb"
    path = write(tmp_path / "country.csv", ["SH_DYN_MORT,AFG,2015,70", "SH_DYN_MORT,AFG,2016,68"])
    assert run_cli("ingest", str(path), "--kind", "national", db_path=store).returncode == 0
    other = write(tmp_path / "un.csv", ["SH_DYN_MORT,AFG,2015,72"])
    out = run_cli("ingest", str(other), "--dataset", "un", "--kind", "global", "--title", "UN figures", db_path=store)
    assert out.returncode == 0 and "into dataset un" in out.stdout
    listed = run_cli("datasets", "list", "--format", "csv", db_path=store)
    assert listed.stdout.splitlines()[1].startswith("1,country,country,national")
    shown = run_cli("datasets", "show", "un", db_path=store)
    assert "un: UN figures" in shown.stdout and "every series has a headline" in shown.stdout
    compare = run_cli("data", "SH_DYN_MORT", "--area", "AFG", "--compare", "--format", "csv", db_path=store)
    assert compare.stdout.splitlines()[:2] == [
        "series,area,area_name,year,country,un,un - country",
        "SH_DYN_MORT,4,Afghanistan,2015,70.0,72.0,2.0",
    ]
    write(path, ["SH_DYN_MORT,AFG,2015,69"])
    replaced = run_cli("ingest", str(path), "--replace", db_path=store)
    assert "1 updated, 0 unchanged, 1 removed" in replaced.stdout
    history = run_cli(
        "history", "SH_DYN_MORT", "--area", "AFG", "--dataset", "country", "--format", "csv", db_path=store
    )
    statuses = [line.split(",")[-6] for line in history.stdout.splitlines()[1:]]
    assert sorted(statuses) == ["current", "removed", "updated"]
    assert run_cli("datasets", "prefer", "un", db_path=store).stdout.strip() == "order of preference: un, country"
    unknown = run_cli("datasets", "show", "nope", db_path=store)
    assert unknown.returncode == 1 and "no dataset 'nope'" in unknown.stderr
    removed = run_cli("datasets", "remove", "un", db_path=store)
    assert "1 observation moved to history" in removed.stdout


def un_layout(path, rows: list[str]):
    """A small file in the UN Global Database download layout."""
    path.write_text(
        "Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,TimePeriod,Value,"
        "Units,Age\n" + "".join(r + "\n" for r in rows),
        encoding="utf-8",
    )
    return path


UN_ROWS = [
    "3,3.2,3.2.1,SH_DYN_MORT,Under-five mortality,4,Afghanistan,2015,70,PER_1000_LIVE_BIRTHS,<5Y",
    "3,3.2,3.2.1,SH_DYN_MORT,Under-five mortality,4,Afghanistan,2016,68,PER_1000_LIVE_BIRTHS,<5Y",
]


def test_a_load_of_another_kind_of_source_cannot_join_a_dataset(db, tmp_path):
    load(db, un_layout(tmp_path / "un.csv", UN_ROWS))  # dataset unsd
    before = db.con.execute("SELECT * FROM observation ORDER BY period").fetchall()
    mine = write(tmp_path / "unsd.csv", ["SH_DYN_MORT,AFG,2018,1"])  # a tidy file whose stem is 'unsd'
    with pytest.raises(UserInputError, match="dataset unsd holds data read as unsd; this load reads tidy"):
        load(db, mine)
    with pytest.raises(UserInputError, match="holds data read as unsd"):
        load(db, mine, dataset="unsd")
    assert db.con.execute("SELECT * FROM observation ORDER BY period").fetchall() == before
    # under its own id it loads, and a UN download under a user id stays a global dataset
    assert load(db, mine, dataset="mine").new == 1
    load(db, un_layout(tmp_path / "g14.csv", UN_ROWS), dataset="g14")
    listed = db.datasets().set_index("id")
    assert (listed.loc["g14", "kind"], listed.loc["g14", "title"]) == ("global", "UN SDG Global Database")


def test_changed_headline_flags_are_reported_and_kept_in_history(db, tmp_path):
    path = un_layout(tmp_path / "un.csv", UN_ROWS)
    load(db, path)
    assert len(db.observations("SH_DYN_MORT")) == 2  # Age=<5Y defines the series: headline
    between = dt.datetime.now()
    time.sleep(0.01)
    extra = un_layout(
        tmp_path / "more.csv", ["3,3.2,3.2.1,SH_DYN_MORT,Infant,4,Afghanistan,2016,50,PER_1000_LIVE_BIRTHS,<1Y"]
    )
    report = load(db, extra)
    assert (report.new, report.unchanged, report.reflagged) == (1, 0, 2)
    assert "2 stored rows of dataset unsd changed headline (total) status" in report.summary()
    assert db.observations("SH_DYN_MORT").empty  # two ages now: no total row
    assert len(db.observations("SH_DYN_MORT", as_of=between)) == 2  # the store as it stood


def test_replace_refuses_to_remove_most_of_a_dataset_or_rejected_rows(db, tmp_path):
    path = tmp_path / "release.csv"
    write(path, [f"SH_DYN_MORT,AFG,{y},{70 - y % 10}" for y in range(2010, 2020)])
    load(db, path)
    write(path, ["SH_DYN_MORT,AFG,2010,70"])
    with pytest.raises(UserInputError, match="would remove 9 of the 10 rows of dataset release"):
        load(db, path, replace=True)
    assert len(db.observations("SH_DYN_MORT")) == 10
    assert load(db, path, replace=True, allow_large_removal=True).removed == 9
    write(path, ["SH_DYN_MORT,AFG,2010,70", "SH_DYN_MORT,AFG,2011,9..1"])
    with pytest.raises(UserInputError, match="--replace with 1 rejected rows would remove stored values"):
        load(db, path, replace=True, skip_invalid=True, rejected_path=tmp_path / "rejected.csv")


def test_compare_subtracts_only_like_units(db, tmp_path):
    a = tmp_path / "national.csv"
    a.write_text("series,area,year,value,unit\nAG_LND_FRST,RWA,2015,30.4,PT\nGF_FRN_FDI,AFG,2015,53390000,CU_USD\n")
    b = tmp_path / "global.csv"
    b.write_text(
        "series,area,year,value,unit\nAG_LND_FRST,RWA,2015,11.15,PERCENT\nGF_FRN_FDI,AFG,2015,53.39,CU_USD_M\n"
    )
    load(db, a, dataset_info={"kind": "national"})
    load(db, b, dataset_info={"kind": "global"})
    forest = db.compare("AG_LND_FRST")
    assert forest["global - national"].tolist() == [-19.25]  # PT and PERCENT: the same measure, rounded
    money = db.compare("GF_FRN_FDI")
    assert "global - national" not in money.columns  # dollars and millions of dollars: no difference


def test_reasons_for_series_without_a_headline_skip_dimensions_that_have_a_total(db, tmp_path):
    path = tmp_path / "un.csv"
    path.write_text(
        "series,area,year,value,Sex,Age\n"
        "SL_TLF_UEM,AFG,2015,10,BOTHSEX,15-24\nSL_TLF_UEM,AFG,2015,12,FEMALE,15-24\n"
        "SL_TLF_UEM,AFG,2015,8,BOTHSEX,25+\n"
    )
    load(db, path)
    with sdgtrack.open(db.path) as ws:  # the workspace adds them by the ingest's total rules
        gaps = ws.dataset("un")["without_headline"]
    assert gaps["series"].tolist() == ["SL_TLF_UEM"]
    reason = gaps["reason"].iloc[0]
    assert reason.startswith("Age: never blank") and "Sex" not in reason


def test_two_equally_frequent_units_give_the_same_headline_whatever_the_row_order(tmp_path):
    """The UK's 3.8.2 has as many values in % as in GBP: the pick must not follow the store's row
    order (it did: two site builds of one store drew different charts). 200 series, half written
    GBP first, half PERCENT first: each gets the first unit by name."""
    rows = []
    for n in range(200):
        units = ("GBP", "PERCENT") if n % 2 else ("PERCENT", "GBP")
        rows += [f"S{n},826,{y},{50 if u == 'GBP' else 1},3.8.2,{u}" for u in units for y in (2015, 2016)]
    path = tmp_path / "two_units.csv"
    path.write_text("series,area,year,value,indicator,unit\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with sdgtrack.Database(tmp_path / "s.duckdb") as db:
        load(db, path)
        values = db.headline_values()
    assert len(values) == 400
    assert values["unit"].unique().tolist() == ["GBP"]  # the first by name, in every series
    assert (values["value"] == 50).all()
