"""The store owns its tables: only `store/`, `ingest/` (which writes them) and `frameworks/` (the
reference-data layer that fills them) write SQL naming the observation, area and framework tables.
Everything else asks `Database` (area_names, series_indicator_links, headline_values, ...)."""
from __future__ import annotations

import re
from pathlib import Path

import sdgtrack

PACKAGE = Path(sdgtrack.__file__).parent
OWNERS = ("store", "ingest", "frameworks")
TABLES = ("observation", "observation_history", "load", "dataset", "area", "area_member", "series",
          "series_indicator", "framework_node")
# a SQL keyword followed by one of the tables, quoted or not, with or without the schema
TABLE_SQL = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+(?:main\.)?\"?(" + "|".join(TABLES) + r")\"?(?![\w.])",
                       re.IGNORECASE)


def _hits(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    hits = [f"{path.relative_to(PACKAGE)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)!r}"
            for m in TABLE_SQL.finditer(text)]
    if "ALIAS_SQL" in text:  # the area resolver's SQL, reused elsewhere, would be the same leak
        hits.append(f"{path.relative_to(PACKAGE)}: uses frameworks.areas.ALIAS_SQL")
    return hits


def test_the_pattern_finds_table_sql():
    for sql in ("SELECT code, name FROM area", "FROM observation o JOIN series_indicator si ON si.series = o.series",
                'DELETE FROM area_member WHERE member = ?', "select 1 from dataset where id = ?",
                'INSERT INTO "series" VALUES (?)', "SELECT min(year) FROM main.observation"):
        assert TABLE_SQL.search(sql), sql
    for text in ("FROM observation_rows", "from the area's name", "JOIN areas", "FROM progress_result"):
        assert not TABLE_SQL.search(text), text
    # the owners do name the tables, so the scan reads real source
    assert _hits(PACKAGE / "store" / "catalog.py") and _hits(PACKAGE / "frameworks" / "areas.py")


def test_no_table_sql_outside_the_store():
    offending = [hit for path in sorted(PACKAGE.rglob("*.py"))
                 if path.relative_to(PACKAGE).parts[0] not in OWNERS
                 for hit in _hits(path)]
    assert not offending, "SQL on the store's tables outside store/, ingest/, frameworks/ " \
                          "(add a Database method instead):\n" + "\n".join(offending)
