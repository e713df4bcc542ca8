"""`sdgtrack export parquet`: the store as Hive-partitioned Parquet with a Frictionless descriptor.

What is written (``store/parquet.py`` says why observations are partitioned by series):
``observation/series=<code>/data_0.parquet``, the tables the analyses read beside them, and
``datapackage.json``: a Frictionless Data Package (v1) whose resources are tabular data resources
with their schema (field names, types and descriptions). The descriptor is written here, from the
columns DuckDB reports, so a column added to the store without a description fails the tests.

The export is written into a hidden folder beside ``OUT_DIR`` and renamed into place at the end:
a failure leaves nothing behind, and a reader never sees half an export.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..errors import UserInputError
from ..store import parquet as store_parquet

PROFILE = "tabular-data-resource"
MEDIATYPE = "application/vnd.apache.parquet"
# DuckDB types -> Frictionless Table Schema types
TYPES = {
    "VARCHAR": "string",
    "INTEGER": "integer",
    "BIGINT": "integer",
    "SMALLINT": "integer",
    "TINYINT": "integer",
    "HUGEINT": "integer",
    "DOUBLE": "number",
    "FLOAT": "number",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "datetime",
    "VARCHAR[]": "array",
}

TITLES = {
    "observation": "Observations: one row per value, as the store keeps it",
    "area": "Areas: M49 countries and regions, groups and custom areas",
    "area_member": "Membership of areas in regions and groups (every level)",
    "series": "Series: what is measured",
    "series_indicator": "The SDG indicators each series serves",
    "framework_node": "Framework nodes: SDG goals, targets and indicators, and the other frameworks",
    "dataset": "Datasets: the source collections of the observations and their order of preference",
    "crosswalk": "Links between codes of two frameworks or series (a national series mapped to a UN series)",
    "indicator_metadata": "The sources' own default chart selections (data_start_values), which the headline rule weighs",
}
PRIMARY_KEYS = {
    "observation": ["dataset", "series", "area", "period", "dims", "unit", "variant"],
    "area": ["code"],
    "area_member": ["group", "member"],
    "series": ["code"],
    "series_indicator": ["series", "indicator"],
    "framework_node": ["framework", "code"],
    "dataset": ["id"],
    "crosswalk": None,  # a link may be given by two sources
    "indicator_metadata": ["dataset", "indicator", "lang", "field"],
}
DESCRIPTIONS = {
    "observation": {
        "dataset": "The dataset (source collection) the row belongs to; see the dataset resource",
        "series": "Series code (UN SDG database code, or a national series such as GB:3.2.2); the partition key",
        "area": "Area code: M49 without leading zeros (1 = World), or a custom code; see the area resource",
        "period": "The period as the source gave it: 2021, 2021/22, 2000 Q1",
        "year": "Sortable start year of the period",
        "dims": "Disaggregations as Name=value pairs sorted by name, joined by |; empty when none",
        "unit": "Unit code; empty when the source gives none",
        "value": "The value; null only for the UN's not-available codes (N, NV)",
        "value_text": "The value as written when it is not a plain number (<2.5, >95, N)",
        "is_headline": "True when every disaggregation of the row is a total (the series' headline values)",
        "nature": "UN nature code (C, CA, E, M, G, N) when given",
        "obs_status": "Observation status (A, E, I ...) when given",
        "source": "Source of the value as given",
        "footnote": "Footnote as given",
        "source_file": "The file the row was loaded from",
        "load_id": "The load (ingest run) that wrote the row",
        "unit_measure": "Unit of measure as the source wrote it (Open SDG Unit measure, SDMX UNIT_MEASURE)",
        "unit_multiplier": "Unit multiplier as the source wrote it (Units, Thousands ...; SDMX UNIT_MULT)",
        "geocode": "The row's GeoCode as written (Open SDG sub-national rows)",
        "source_dims": "The disaggregations as the source wrote them, when they differ from dims",
        "attributes": "Every other column of the source row, as Name=value pairs escaped and sorted like dims",
        "variant": "0; 1, 2 ... for the rows of a key the source gives different values, in source order",
    },
    "area": {
        "code": "Area code (M49 without leading zeros, or a custom code)",
        "name": "Area name",
        "kind": "world, region, subregion, intermediate_region, country, sdg_region, group, other_aggregate, city, province or custom",
        "parent": "Code of the parent area",
        "iso2": "ISO 3166-1 alpha-2 code",
        "iso3": "ISO 3166-1 alpha-3 code",
        "alias": "Short group name (LDC, LLDC, SIDS) or SDG region",
    },
    "area_member": {
        "group": "Code of a region or group",
        "member": "Code of an area in it (at any level below)",
    },
    "series": {
        "code": "Series code",
        "description": "What the series measures",
        "unit": "Unit of the series as the reference list gives it",
        "origin": "unsd, or the dataset the series was first loaded from",
    },
    "series_indicator": {
        "series": "Series code",
        "indicator": "SDG indicator code (3.2.1) the series serves",
    },
    "framework_node": {
        "framework": "sdg, u4ssc, wsis or a national framework id",
        "code": "Node code (3, 3.2, 3.2.1)",
        "level": "goal, target, indicator, or the framework's own level",
        "parent": "Code of the parent node; null for roots",
        "title": "English title",
        "unsd_code": "UNSD indicator code (SDG indicators only)",
        "status": "current or retired",
        "sort_key": "Order of the official list",
    },
    "dataset": {
        "id": "Dataset id (unsd, opensdg-uk, a file stem ...)",
        "title": "Title",
        "publisher": "Publisher",
        "kind": "global, national, subnational, city or other",
        "licence": "Licence",
        "source_path": "What the last load read",
        "first_loaded": "When the dataset was first loaded",
        "last_loaded": "When the dataset was last loaded",
        "precedence": "Order of preference set with `sdgtrack datasets prefer` (null: by kind)",
        "removed_at": "When the dataset was removed (its rows are then in the store's history only)",
        "lang": "Language of the dataset's own texts (an Open SDG repository's first language); null when not known",
    },
    "crosswalk": {
        "from_framework": "Framework of the linked code (sdg, series, u4ssc ...)",
        "from_code": "The linked code",
        "to_framework": "Framework of the code it links to",
        "to_code": "The code it links to",
        "relation": "How the two relate, when given",
        "source": "Who gives the link (a shipped crosswalk, a user's file)",
    },
    "indicator_metadata": {
        "dataset": "The dataset whose metadata it is",
        "indicator": "Indicator (3.2.1; a national indicator keeps its own id)",
        "lang": "Language of the text",
        "field": "The metadata key (here always data_start_values)",
        "value": "The value as written; JSON when structured",
        "structured": "True when the value is JSON",
        "position": "Order of the field in its file",
        "source_file": "The file it was read from",
    },
}


@dataclass
class ParquetExport:
    """What `export parquet` wrote: the folder, rows per table, series partitions, files, bytes."""

    path: Path
    rows: dict[str, int]
    partitions: int
    files: int
    bytes: int
    datasets: list[str] = field(default_factory=list)

    def describe(self) -> str:
        tables = ", ".join(f"{t} {n:,}" for t, n in self.rows.items() if t != "observation")
        return (
            f"wrote {self.path}: {self.rows['observation']:,} observations in {self.partitions:,} series "
            f"partitions ({self.files:,} Parquet files, {self.bytes / 1e6:,.1f} MB), with {tables} "
            f"rows; datasets {', '.join(self.datasets) or '(none)'}; descriptor {self.path / 'datapackage.json'}"
        )


def check_out_dir(out: Path) -> Path:
    """``out`` resolved, or one message when it cannot take an export (exists and is not an empty
    folder, or its parent cannot be written)."""
    out = Path(out)
    if out.exists():
        if not out.is_dir():
            raise UserInputError(f"{out}: exists and is a file; expected a new or empty folder for the export")
        if any(out.iterdir()):
            raise UserInputError(
                f"{out}: the folder is not empty; expected a new or empty folder (an export is never mixed into other files)"
            )
    parent = out.absolute().parent
    if not parent.is_dir():
        raise UserInputError(f"{out}: its parent folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK) or (out.exists() and not os.access(out, os.W_OK | os.X_OK)):
        raise UserInputError(f"{out}: cannot write in {parent if not out.exists() else out} (permission denied)")
    return out


def export_parquet(db, out: str | Path, datasets: Sequence[str] | None = None) -> ParquetExport:
    """Write the store's current observations (of ``datasets``, default all) as Hive-partitioned
    Parquet under ``out`` (new or empty), with the tables beside them and ``datapackage.json``."""
    out = check_out_dir(Path(out))
    parent = out.absolute().parent
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise UserInputError(f"{out}: cannot write in {parent} ({exc.strerror or exc})") from None
    try:
        rows = store_parquet.write_parquet(db.con, work, datasets)
        descriptor = datapackage(db, work, rows)
        (work / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", "utf-8")
        if out.exists():
            out.rmdir()  # checked empty above
        os.replace(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    files = sorted((out / store_parquet.OBSERVATION_DIR).rglob("*.parquet"))
    return ParquetExport(
        path=out,
        rows=rows,
        partitions=len(store_parquet.partitions(out)),
        files=len(files),
        bytes=sum(f.stat().st_size for f in out.rglob("*.parquet")),
        datasets=[
            str(d) for d in db.sql("SELECT id FROM read_parquet(?) ORDER BY id", [str(out / "dataset.parquet")])["id"]
        ],
    )


def datapackage(db, root: Path, rows: dict[str, int]) -> dict:
    """The Frictionless Data Package descriptor of an export folder."""
    resources = []
    for table in ("observation", *store_parquet.TABLES):
        if table == "observation":
            paths = sorted(
                p.relative_to(root).as_posix() for p in (root / store_parquet.OBSERVATION_DIR).rglob("*.parquet")
            )
        else:
            paths = [f"{table}.parquet"]
        fields = []
        written = {
            r[0] for r in db.con.execute("SELECT name FROM parquet_schema(?)", [str(root / paths[0])]).fetchall()
        }
        for name, kind in store_parquet.table_columns(db.con, table):
            if name not in written:  # left out of the export (indicator_metadata's load_id)
                continue
            if name not in DESCRIPTIONS[table]:
                raise RuntimeError(f"no description of column {table}.{name} in exchange/parquet.py")
            fields.append({"name": name, "type": TYPES.get(kind, "any"), "description": DESCRIPTIONS[table][name]})
        resource: dict = {
            "name": table.replace("_", "-"),
            "title": TITLES[table],
            "profile": PROFILE,
            "format": "parquet",
            "mediatype": MEDIATYPE,
            # a multipart resource: the parts are the series partitions, read as one table
            "path": paths if table == "observation" else paths[0],
            "schema": {"fields": fields, **({"primaryKey": key} if (key := PRIMARY_KEYS[table]) else {})},
            "rows": rows[table],
        }
        if table == "observation":
            resource["partitioning"] = {
                "style": "hive",
                "columns": [store_parquet.PARTITION],
                "note": "one folder per series (series=<percent-encoded code>); the column is kept in every file too",
            }
        resources.append(resource)
    return {
        "profile": "data-package",
        "name": "sdgtrack-observations",
        "title": "SDG indicator observations exported by sdgtrack",
        "created": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "resources": resources,
    }
