"""Framework and areas reference data, as loaded into a new store."""

from __future__ import annotations

import unicodedata

import pytest

from sdgtrack import UserInputError
from sdgtrack.frameworks import sdg


def test_framework_counts(db):
    counts = dict(
        db.con.execute(
            "SELECT level, count(*) FROM framework_node WHERE framework = 'sdg' AND status = 'current' GROUP BY level"
        ).fetchall()
    )
    assert counts == {"goal": 17, "target": 169, "indicator": 251}
    distinct_unsd = db.con.execute("SELECT count(DISTINCT unsd_code) FROM framework_node").fetchone()[0]
    assert distinct_unsd == 235


def test_node_321(db):
    node = sdg.node(db.con, "3.2.1")
    assert node["title"] == "Under-5 mortality rate"
    assert [a["code"] for a in node["ancestors"]] == ["3.2", "3"]
    assert "SH_DYN_MORT" in {s["code"] for s in node["series"]}
    fr = [t["title"] for t in node["translations"] if t["lang"] == "fr" and t["kind"] == "title"]
    assert (
        len(fr) == 1
        and unicodedata.normalize("NFC", " ".join(fr[0].split())) == "Taux de mortalité des enfants de moins de 5 ans"
    )
    assert node["missing_languages"] == []


def test_new_2025_indicator_has_no_translation(db):
    node = sdg.node(db.con, "11.5.3")
    assert set(node["missing_languages"]) == {"ar", "en", "es", "fr", "ru", "zh-Hans"}


def test_retired_indicator_is_known_but_marked(db):
    node = sdg.node(db.con, "17.6.2")
    assert node["status"] == "retired"
    assert "17.6.2" not in set(sdg.list_nodes(db.con, level="indicator")["code"])


def test_unknown_code(db):
    with pytest.raises(UserInputError, match="unknown sdg code '99.1'"):
        sdg.node(db.con, "99.1")


def test_groups(db):
    assert len(db.areas(group="LDC")) == 45
    assert len(db.areas(group="LLDC")) == 32
    assert len(db.areas(group="SIDS")) == 53
    sdg_region = set(db.areas(group="747")["name"])
    assert {"Egypt", "Türkiye", "Saudi Arabia"} <= sdg_region and "France" not in sdg_region


def test_area_aliases(db):
    assert db.resolve_area("004") == db.resolve_area("4") == db.resolve_area("AFG") == db.resolve_area("af") == "4"
    assert db.resolve_area("NA") == "516"  # Namibia, not "missing"
    with pytest.raises(UserInputError, match="unknown area 'Atlantis'"):
        db.resolve_area("Atlantis")


def test_area_named_by_words_of_its_official_name(db):
    # one country's name holds the words: that country, also beside "United Kingdom (Scotland)"
    assert db.resolve_area("United Kingdom") == "826"
    assert db.resolve_area("tanzania") == "834"
    # several countries: no guess, but the candidates are named
    with pytest.raises(UserInputError, match=r"did you mean United States of America \(840\)"):
        db.resolve_area("United States")
    with pytest.raises(UserInputError, match=r"did you mean Afghanistan \(4\)\?"):
        db.resolve_area("Afganistan")  # a typo
    with pytest.raises(UserInputError, match=r"unknown area 'a\.b\('"):
        db.resolve_area("a.b(")  # regex characters are text, not a pattern
    for odd in ("´", "\\×", "%_%", "\x80"):  # no text is an invalid pattern (the API schema test sent these)
        with pytest.raises(UserInputError, match="unknown area"):
            db.resolve_area(odd)


def test_custom_area(db):
    db.add_area("RW-01", "City of Kigali", parent="RWA", kind="province")
    assert db.resolve_area("rw-01") == "RW-01"
    assert "RW-01" in set(db.areas(group="Africa")["code"])
    with pytest.raises(UserInputError, match="already a reference area"):
        db.add_area("4", "Not Afghanistan")


def test_open_creates_missing_folders(tmp_path):
    import sdgtrack

    with sdgtrack.Database(tmp_path / "new" / "dir" / "x.duckdb") as db:
        assert db.sql("SELECT count(*) AS n FROM framework_node")["n"][0] > 400


def test_open_garbage_file_is_a_clear_error(tmp_path):
    import sdgtrack

    bad = tmp_path / "not.duckdb"
    bad.write_text("hello")
    with pytest.raises(UserInputError, match="not.duckdb is not a DuckDB database"):
        sdgtrack.Database(bad)
