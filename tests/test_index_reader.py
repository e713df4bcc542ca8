"""The SDR reader: edition database and yearly panel layouts as observations."""

from __future__ import annotations

from sdgtrack.ingest import load

from .conftest import FIXTURES


def test_edition_file_gives_raw_values_and_published_scores(db):
    report = load(db, FIXTURES / "sdr" / "edition.csv")
    assert report.formats == {"sdr": 1}
    rows = db.sql("SELECT series, area, period, value FROM observation ORDER BY series, area")
    # FIN and AFG only: the aggregate row _World is skipped; AFG has no poverty value
    assert rows.values.tolist() == [
        ["sdg1_pov", "246", "2023", 0.5],
        ["sdg1_pov.score", "246", "2023", 99.3],
        ["sdg3_lifee", "246", "2021", 81.9],
        ["sdg3_lifee", "4", "2021", 62.0],
        ["sdg3_lifee.score", "246", "2021", 95.1],
        ["sdg3_lifee.score", "4", "2021", 27.6],
    ]
    assert db.sql("SELECT description FROM series WHERE code = 'sdg3_lifee'").iloc[0, 0] == "Life expectancy (years)"
    assert any("aggregate" in n for n in report.notes)


def test_panel_file_gives_yearly_series(db):
    load(db, FIXTURES / "sdr" / "panel.csv")
    rows = db.sql("SELECT series, area, period, value FROM observation ORDER BY series, area, period")
    assert rows.values.tolist() == [
        ["sdg1_pov", "246", "2015", 0.6],
        ["sdg3_lifee", "246", "2015", 81.5],
        ["sdg3_lifee", "246", "2016", 81.6],
        ["sdg3_lifee", "4", "2015", 61.0],
    ]
