"""SDSN Sustainable Development Report (SDR) databases: national indicator series in two wide layouts.

**SDR edition database** (e.g. ``sdr2023.csv``): one row per country; per indicator ``<code>`` a block
of columns: the raw value (column just before ``Year: <code>``, named by the indicator's title),
``Year: <code>``, optionally ``Normalized Score: <code>`` and colour/trend columns. Staged as
series ``<code>`` (raw value, period = the block's year) and, where published, series
``<code>.score`` (the published 0-100 normalised score, same year). Colours, trends, goal scores
and the index are results, not observations, and are not staged.

**SDR panel** (e.g. ``sdr2024_indicators.csv``): ``id, Country, year, indexreg`` then one column per
indicator code holding raw values; one row per country and year. Staged as series ``<code>``.

SDR indicators are SDSN's national series codes (``sdg1_wpc``), not UN series, so no SDG indicator
is attached. Areas are ISO3 codes; aggregate rows (codes starting with ``_``, e.g. ``_World``)
are not areas of the store and are skipped with a note.
"""

from __future__ import annotations

from pathlib import Path

from ..canonical import CANONICAL_NAMES, quote, sql_str
from ..datasets import DatasetInfo, slug, stem
from ..registry import ReadResult, register
from ..tables import csv_header, is_csv, load_table, no_rows, require_columns

SCORE_SUFFIX = ".score"
EDITION_AREA = "Country Code ISO3"
PANEL_KEYS = ["id", "Country", "year", "indexreg"]


def _is_edition(header: list[str]) -> bool:
    return EDITION_AREA in header and any(c.startswith("Year: ") for c in header)


def _is_panel(header: list[str]) -> bool:
    return header[:4] == PANEL_KEYS and any(c.startswith("sdg") for c in header[4:])


def _year_text(column: str) -> str:
    # years are written 2023.0 in edition files; the period is the plain year
    return f"CAST(CAST(TRY_CAST({quote(column)} AS DOUBLE) AS INTEGER) AS VARCHAR)"


class SdrReader:
    name = "sdr"
    summary = "SDSN Sustainable Development Report database"
    description = "SDSN Sustainable Development Report database (edition file or yearly panel, CSV)"
    priority = 10  # the panel's header would not match tidy/unsd, but claim it before generic readers
    self_contained = True  # its rows depend on its file alone (ingest/fingerprint.py)

    def detect(self, path: Path) -> bool:
        if path.is_dir() or not is_csv(path):
            return False
        header = csv_header(path)
        return _is_edition(header) or _is_panel(header)

    def read(self, con, path: Path, staging: str, options: dict) -> ReadResult:
        raw = "__sdr_raw"
        columns = load_table(con, path, raw)
        if not con.execute(f"SELECT count(*) FROM {raw}").fetchone()[0]:
            con.execute(f"DROP TABLE {raw}")
            raise no_rows(path)
        if _is_panel(columns):
            selects = self._panel_selects(path, columns)
            area_col = "id"
        else:
            require_columns(
                path, columns, [EDITION_AREA], "SDR database: a 'Country Code ISO3' column and 'Year: <code>' columns"
            )
            selects = self._edition_selects(path, columns)
            area_col = EDITION_AREA
        result = ReadResult()
        aggregates = con.execute(
            f"SELECT count(*) FROM {raw} WHERE starts_with(trim({quote(area_col)}), '_')"
        ).fetchone()[0]
        if aggregates:
            result.notes.append(f"{path.name}: {aggregates} aggregate rows (codes starting with '_') skipped")
        body = " UNION ALL ".join(selects)
        con.execute(f"""CREATE OR REPLACE TEMP TABLE __sdr_long AS
                        SELECT * FROM ({body}) WHERE NOT starts_with(area_raw, '_')""")
        result.blank_values = con.execute("SELECT count(*) FROM __sdr_long WHERE value_raw IS NULL").fetchone()[0]
        con.execute(f"""INSERT INTO {staging} ({", ".join(CANONICAL_NAMES)})
                        SELECT {", ".join(CANONICAL_NAMES)} FROM __sdr_long WHERE value_raw IS NOT NULL""")
        result.rows = con.execute("SELECT count(*) FROM __sdr_long WHERE value_raw IS NOT NULL").fetchone()[0]
        con.execute(f"DROP TABLE {raw}")
        con.execute("DROP TABLE __sdr_long")
        return result

    @staticmethod
    def _select(path: Path, series: str, description: str | None, area: str, period_sql: str, value_col: str) -> str:
        return f"""SELECT {sql_str(series)} AS series, {sql_str(description) if description else "NULL"}
                          AS series_description, NULL AS indicator, trim({quote(area)}) AS area_raw,
                          {period_sql} AS period, nullif(trim({quote(value_col)}), '') AS value_raw,
                          '' AS unit, NULL AS nature, NULL AS obs_status, 'SDSN Sustainable Development Report'
                          AS source, NULL AS footnote, '' AS dims, {sql_str(str(path))} AS source_file,
                          __line AS line
                   FROM __sdr_raw"""

    def _edition_selects(self, path: Path, columns: list[str]) -> list[str]:
        selects = []
        for i, col in enumerate(columns):
            if not col.startswith("Year: ") or i == 0:
                continue
            code = col[len("Year: ") :].strip()
            title = columns[i - 1].strip()
            period = _year_text(col)
            selects.append(self._select(path, code, title, EDITION_AREA, period, columns[i - 1]))
            score_col = f"Normalized Score: {code}"
            if score_col in columns:
                selects.append(
                    self._select(
                        path, code + SCORE_SUFFIX, f"Normalised score (0-100): {title}", EDITION_AREA, period, score_col
                    )
                )
        return selects

    def _panel_selects(self, path: Path, columns: list[str]) -> list[str]:
        period = _year_text("year")
        return [self._select(path, code, None, "id", period, code) for code in columns[4:]]

    def default_dataset(self, path: Path) -> DatasetInfo:
        return DatasetInfo(
            slug(stem(path)),
            f"Sustainable Development Report database ({stem(path)})",
            "global",
            "SDSN Sustainable Development Solutions Network",
        )


register(SdrReader())
