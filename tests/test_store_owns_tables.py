"""The store owns its tables: only `store/`, `ingest/` (which writes them) and `frameworks/` (the
reference-data layer that fills them) write SQL naming the observation, area and framework tables.
Everything else asks `Database` (area_names, series_indicator_links, headline_values, ...)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import sdgtrack
from sdgtrack.errors import UserInputError
from sdgtrack.ingest import load

PACKAGE = Path(sdgtrack.__file__).parent
OWNERS = ("store", "ingest", "frameworks")
TABLES = (
    "observation",
    "observation_history",
    "load",
    "dataset",
    "area",
    "area_member",
    "series",
    "series_indicator",
    "framework_node",
    "indicator_metadata",
    "metadata_field",
)
# a SQL keyword followed by one of the tables, quoted or not, with or without the schema
TABLE_SQL = re.compile(
    r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+(?:main\.)?\"?(" + "|".join(TABLES) + r")\"?(?![\w.])", re.IGNORECASE
)


def _hits(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    hits = [
        f"{path.relative_to(PACKAGE)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)!r}"
        for m in TABLE_SQL.finditer(text)
    ]
    if "ALIAS_SQL" in text:  # the area resolver's SQL, reused elsewhere, would be the same leak
        hits.append(f"{path.relative_to(PACKAGE)}: uses frameworks.areas.ALIAS_SQL")
    return hits


def test_the_pattern_finds_table_sql():
    for sql in (
        "SELECT code, name FROM area",
        "FROM observation o JOIN series_indicator si ON si.series = o.series",
        "DELETE FROM area_member WHERE member = ?",
        "select 1 from dataset where id = ?",
        'INSERT INTO "series" VALUES (?)',
        "SELECT min(year) FROM main.observation",
    ):
        assert TABLE_SQL.search(sql), sql
    for text in ("FROM observation_rows", "from the area's name", "JOIN areas", "FROM progress_result"):
        assert not TABLE_SQL.search(text), text
    # the owners do name the tables, so the scan reads real source
    assert _hits(PACKAGE / "store" / "catalog.py") and _hits(PACKAGE / "frameworks" / "areas.py")


def test_no_table_sql_outside_the_store():
    offending = [
        hit
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).parts[0] not in OWNERS
        for hit in _hits(path)
    ]
    assert not offending, (
        "SQL on the store's tables outside store/, ingest/, frameworks/ "
        "(add a Database method instead):\n" + "\n".join(offending)
    )


# -- the reads that replace them ------------------------------------------------------------------
def test_reference_reads(db):
    assert db.area_names(["578", "4", "nowhere"]) == {"578": "Norway", "4": "Afghanistan"}
    assert db.area_names()["578"] == "Norway" and len(db.area_names()) == len(db.area_codes())
    assert db.area_info("578") == {
        "code": "578",
        "name": "Norway",
        "kind": "country",
        "parent": "154",
        "iso2": "NO",
        "iso3": "NOR",
    }
    assert db.area_info("nowhere") is None
    # a text names an area like --area does; one query for a whole column, None where nothing matches
    assert db.resolve_area_codes(["NOR", "afghanistan", "004", "Atlantis"]) == ["578", "4", "4", None]
    codes = db.series_codes()
    assert codes == sorted(codes) and "SH_DYN_MORT" in codes
    links = db.series_indicator_links()
    assert list(links.columns) == ["series", "indicator"]
    assert "3.2.1" in set(links.loc[links["series"] == "SH_DYN_MORT", "indicator"])
    assert db.node_titles()["3.2"].startswith("By 2030, end preventable deaths")
    nodes = db.current_nodes("sdg")
    assert nodes[0][:3] == ("1", "goal", None) and [n[0] for n in nodes if n[1] == "goal"] == [
        str(g) for g in range(1, 18)
    ]


def test_counts_on_an_empty_and_a_loaded_store(db, tmp_path):
    assert db.totals() == {"observations": 0, "series": 0, "areas": 0, "first": None, "last": None}
    assert db.first_year(["SH_DYN_MORT"]) is None and not db.has_dataset("demo")
    assert db.headline_series_stats() == [] and db.observations_per_goal().empty
    data = tmp_path / "d.csv"
    data.write_text(
        "series,area,year,value\nSH_DYN_MORT,4,2015,70.1\nSH_DYN_MORT,4,2019,60.3\nSH_DYN_MORT,578,2019,2.1\n"
    )
    load(db, data, dataset="demo")
    assert db.totals() == {"observations": 3, "series": 1, "areas": 2, "first": 2015, "last": 2019}
    assert db.first_year(["SH_DYN_MORT", "nothing"]) == 2015 and db.has_dataset("demo")
    stats = [s for s in db.headline_series_stats() if s["indicator"] == "3.2.1"]
    assert stats == [
        {
            "indicator": "3.2.1",
            "series": "SH_DYN_MORT",
            "description": stats[0]["description"],
            "n": 3,
            "areas": 2,
            "first": 2015,
            "last": 2019,
        }
    ]
    assert all(type(stats[0][k]) is int for k in ("n", "areas", "first", "last"))  # the page formats ints
    per_goal = db.observations_per_goal()
    assert per_goal.to_dict("records") == [{"goal": 3, "series": 1, "indicators": 1, "observations": 3}]
    db.remove_dataset("demo")
    assert not db.has_dataset("demo")


def test_remove_area_only_removes_custom_areas(db):
    db.add_area("NO-TEST", "Testby", parent="Norway", kind="city")
    assert db.cities_named("TESTBY") == [("NO-TEST", "578")]
    db.remove_area("NO-TEST")
    assert db.area_info("NO-TEST") is None and db.cities_named("Testby") == []
    assert db.sql("SELECT * FROM area_member WHERE member = 'NO-TEST'").empty
    with pytest.raises(UserInputError, match="reference area"):
        db.remove_area("578")
    assert db.area_info("578") is not None
