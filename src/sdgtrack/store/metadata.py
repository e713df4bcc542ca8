"""Reads of the national indicator metadata (``indicator_metadata``, ``metadata_field``).

Written by the ingest (``datasets.replace_metadata``, inside a load's transaction); read here for
the workspace, the site, the API and the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import duckdb
import numpy as np
import pandas as pd

from .reads import PREFERENCE_ORDER

COLUMNS = ["dataset", "indicator", "lang", "field", "value", "structured", "label", "label_lang", "section", "position"]


def indicator_metadata(
    con: duckdb.DuckDBPyConnection, codes: Sequence[str], datasets: Sequence[str] | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Every metadata field of the indicators ``codes`` (one query for many: a site build asks for
    all at once), one row per indicator, dataset and field; indicators in the order given, datasets
    in the order of preference (the given list's order, else the store's) and fields in the repository's
    schema order (then file order).

    Each field in ``lang`` where the dataset has it in that language, else in the dataset's own
    language (an Open SDG repository's first: a field only its French files have is no English
    metadata, as in sdg-build's builds); for a dataset whose language is not known (loaded before
    migration 14), else in English, else in its first language by code (``lang`` says which).
    ``label`` is the repository's own label of the
    field (its schema and translations) in ``lang``, else in English (``label_lang`` says which);
    NULL when the repository labels it nowhere (faces then use the shipped labels)."""
    where = "TRUE" if datasets is None else "m.dataset IN (SELECT unnest(?::VARCHAR[]))"
    order = (
        "list_position(?::VARCHAR[], d.id)"
        if datasets is not None
        else f"row_number() OVER (ORDER BY {PREFERENCE_ORDER})"
    )
    params: list = [lang, list(codes)]
    if datasets is not None:
        params += [list(datasets)]
    params += [lang]
    if datasets is not None:
        params += [list(datasets)]
    params += [lang]
    return con.execute(
        f"""
        WITH picked AS (
            SELECT m.*, row_number() OVER (PARTITION BY m.dataset, m.indicator, m.field
                                           ORDER BY m.lang = ? DESC, m.lang = 'en' DESC, m.lang) AS pick
            FROM indicator_metadata m JOIN dataset own ON own.id = m.dataset
            WHERE m.indicator IN (SELECT unnest(?::VARCHAR[])) AND {where}
              AND (own.lang IS NULL OR m.lang IN (?, own.lang))),
        pref AS (SELECT id, {order} AS preference FROM dataset d WHERE removed_at IS NULL),
        labels AS (
            SELECT dataset, field, label, lang AS label_lang, position, section,
                   row_number() OVER (PARTITION BY dataset, field ORDER BY lang = ? DESC, lang = 'en' DESC, lang) AS pick
            FROM metadata_field)
        SELECT p.dataset, p.indicator, p.lang, p.field, p.value, p.structured, l.label, l.label_lang, l.section,
               coalesce(l.position, 100000 + p.position) AS position
        FROM picked p JOIN pref ON pref.id = p.dataset
        LEFT JOIN labels l ON l.dataset = p.dataset AND l.field = p.field AND l.pick = 1
        WHERE p.pick = 1
        ORDER BY list_position(?::VARCHAR[], p.indicator), pref.preference, position, p.field""",
        [*params, list(codes)],
    ).df()[COLUMNS]


def metadata_fingerprints(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """``(indicator, dataset, hash)`` of each indicator's metadata in each dataset (every language,
    the dataset's field labels and translations): order-free, so it changes only when the text does.
    The site keys an indicator's pages and meta files with it."""
    return con.execute("""
        WITH labels AS (SELECT dataset, bit_xor(hash(lang, field, label, position, section)) AS h
                        FROM metadata_field GROUP BY dataset),
        words AS (SELECT dataset, bit_xor(hash(lang, key, text)) AS h FROM dataset_translation GROUP BY dataset)
        SELECT m.indicator, m.dataset,
               xor(xor(bit_xor(hash(m.lang, m.field, m.value, m.structured, m.position)), coalesce(any_value(l.h), 0)),
                   coalesce(any_value(w.h), 0))
        FROM indicator_metadata m LEFT JOIN labels l USING (dataset) LEFT JOIN words w USING (dataset)
        GROUP BY m.indicator, m.dataset ORDER BY 1, 2""").fetchall()


def translations(con: duckdb.DuckDBPyConnection, dataset: str, lang: str) -> dict[str, str]:
    """A dataset's translations into ``lang`` (``group.key`` -> text; empty when it has none)."""
    rows = con.execute(
        "SELECT key, text FROM dataset_translation WHERE dataset = ? AND lang = ? ORDER BY key", [dataset, lang]
    ).fetchall()
    return dict(rows)


def translate(value: object, table: dict[str, str]) -> object:
    """``value`` as sdg-build translates a metadata value into a language (``table``: its
    :func:`translations`): a text that is a key is its text, else the text of ``data.<text>``; lists
    and mappings item by item (a mapping's keys stay); numbers, switches and unknown texts as they are."""
    if not table:
        return value
    if isinstance(value, list):
        return [translate(v, table) for v in value]
    if isinstance(value, dict):
        return {k: translate(v, table) for k, v in value.items()}
    if isinstance(value, str):
        found = table.get(value)
        return found if found is not None else table.get(f"data.{value}", value)
    return value


def translation_keys(con: duckdb.DuckDBPyConnection, dataset: str) -> frozenset[str]:
    """Every key a dataset translates in any language (sdg-build picks a key by whether it exists
    anywhere, then looks for the language's text)."""
    rows = con.execute("SELECT DISTINCT key FROM dataset_translation WHERE dataset = ?", [dataset]).fetchall()
    return frozenset(r[0] for r in rows)


# Columns sdg-build never renames: Open SDG's non-disaggregation columns (sdg-build's defaults and
# the ones Open SDG repositories configure: Progress) and COMPOSITE_BREAKDOWN.
KEPT_NAMES = frozenset(
    {"Year", "Value", "Units", "Series", "GeoCode", "Progress", "Observation status", "Unit multiplier",
     "Unit measure", "UNIT_MEASURE", "SERIES", "COMMENT_TS", "DATA_LAST_UPDATE", "COMPOSITE_BREAKDOWN"}
)  # fmt: skip


@dataclass(frozen=True)
class DataTranslator:
    """A dataset's data files in one language, translated as sdg-build translates each language's
    build of an indicator (``Indicator.translate``): a cell's text through the key it is, else
    ``<column>.<text>``, else ``data.<text>`` (the first that exists in any language decides; no text
    in this language leaves the cell as written); a column's name likewise through ``<name>.<name>``
    and ``data.<name>``, except the columns that are no breakdown (:data:`KEPT_NAMES`). A column
    of numbers only is left as it is (sdg-build reads it as numbers, which it does not translate)."""

    table: dict[str, str]  # key -> text in the language
    keys: frozenset[str]  # every key of the dataset, in any language

    def __bool__(self) -> bool:
        return bool(self.table)

    def text(self, text: str, groups: Sequence[str]) -> str:
        key = text
        if key not in self.keys:
            key = next((f"{g}.{text}" for g in groups if f"{g}.{text}" in self.keys), text)
        return self.table.get(key, text)

    def name(self, name: str) -> str:
        """A column's name in the language (kept for the columns that are no breakdown)."""
        return name if name in KEPT_NAMES or not self else self.text(name, (name, "data"))

    def column(self, name: str, values: np.ndarray) -> np.ndarray:
        """Column ``name``'s cells (objects, None for blank) in the language: each distinct text
        looked up once, the column mapped as a whole; the same array when nothing changes."""
        if not self or name == "Value" or not len(values):
            return values
        distinct = pd.unique(values[pd.notna(values)])
        texts = [v for v in distinct.tolist() if isinstance(v, str)]
        if not texts or pd.to_numeric(pd.Series(texts), errors="coerce").notna().all():
            return values
        changed = {v: t for v in texts if (t := self.text(v, (name, "data"))) != v}
        if not changed:
            return values
        mapped = pd.Series(values, dtype=object).map(changed).to_numpy(dtype=object)
        hit = pd.notna(mapped)
        return np.where(hit, mapped, values)


def data_translator(con: duckdb.DuckDBPyConnection, dataset: str, lang: str) -> DataTranslator:
    return DataTranslator(translations(con, dataset, lang), translation_keys(con, dataset))


def metadata_indicators(con: duckdb.DuckDBPyConnection, datasets: Sequence[str] | None = None) -> pd.DataFrame:
    """Per dataset and indicator with metadata: the number of fields and the languages."""
    where = "" if datasets is None else "WHERE dataset IN (SELECT unnest(?::VARCHAR[]))"
    return con.execute(
        f"""SELECT dataset, indicator, count(DISTINCT field) AS fields, list_sort(list(DISTINCT lang)) AS languages
            FROM indicator_metadata {where} GROUP BY ALL ORDER BY dataset, indicator""",
        [] if datasets is None else [list(datasets)],
    ).df()


def indicators_with_field(
    con: duckdb.DuckDBPyConnection, field: str, datasets: Sequence[str] | None = None
) -> list[str]:
    """The indicators whose metadata (in ``datasets``, default all) has ``field``, in code order."""
    where = "" if datasets is None else "AND dataset IN (SELECT unnest(?::VARCHAR[]))"
    rows = con.execute(
        f"SELECT DISTINCT indicator FROM indicator_metadata WHERE field = ? {where} ORDER BY indicator",
        [field] if datasets is None else [field, list(datasets)],
    ).fetchall()
    return [r[0] for r in rows]
