"""Cut the demo data set shipped in ``src/sdgtrack/demo/``: a compact, real subset of the UN SDG
Global Database 2020 extract, in its own download layout (so the demo exercises the real reader).

Selection: the headline (total) rows of a few well-known series per goal, for every area.
    python tools/build_demo_data.py [--shared ../shared/data]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import duckdb

import sdgtrack
from sdgtrack.ingest import load

OUT = Path(__file__).resolve().parents[1] / "src" / "sdgtrack" / "demo" / "unsd_demo_2020.csv.gz"
PER_GOAL = 3
# Series every reader of the SDG Report knows; the rest is filled per goal by coverage.
WELL_KNOWN = ["SI_POV_DAY1", "SN_ITK_DEFC", "SH_DYN_MORT", "SH_DYN_NMRT", "SH_HIV_INCD", "SE_PRE_PARTN",
              "SG_GEN_PARL", "SH_H2O_SAFE", "EG_ELC_ACCS", "EG_FEC_RNEW", "NY_GDP_PCAP", "EN_ATM_CO2",
              "AG_LND_FRST", "SH_ACS_DTP3", "SP_DYN_ADKL", "ER_H2O_STRESS", "IT_MOB_4GNTWK"]


def main(shared: Path) -> None:
    src = shared / "unsd" / "sdg_global_2020.csv.gz"
    with tempfile.TemporaryDirectory() as tmp:
        db = sdgtrack.Database(Path(tmp) / "cut.duckdb")
        load(db, src)
        picked = db.sql(f"""
            WITH cover AS (
                SELECT split_part(si.indicator, '.', 1) AS goal, o.series, count(DISTINCT o.area) AS areas,
                       count(*) AS n
                FROM observation o JOIN series_indicator si ON si.series = o.series
                WHERE o.is_headline AND o.value IS NOT NULL AND o.unit <> 'NUMBER'
                GROUP BY ALL HAVING count(*) >= 500),
            ranked AS (SELECT *, row_number() OVER (PARTITION BY goal ORDER BY areas DESC, n DESC, series) AS r FROM cover)
            SELECT DISTINCT series FROM ranked WHERE r <= {PER_GOAL}
            UNION SELECT unnest({WELL_KNOWN!r}::VARCHAR[])""")["series"].tolist()
        keys = db.sql("SELECT DISTINCT series, dims FROM observation WHERE is_headline AND series IN "
                      "(SELECT unnest(?::VARCHAR[]))", [picked])
        db.close()
    con = duckdb.connect()
    con.register("keys", keys)
    con.execute(f"CREATE TABLE raw AS SELECT * FROM read_csv('{src}', all_varchar = true)")
    from sdgtrack.ingest.canonical import dims_sql
    from sdgtrack.ingest.readers.unsd import NON_DIMENSIONS

    dims = [c for c in con.execute("DESCRIBE raw").df()["column_name"] if c not in NON_DIMENSIONS]
    con.execute(f"""COPY (SELECT r.* EXCLUDE (k) FROM (SELECT *, {dims_sql(dims)} AS k FROM raw) r
                          JOIN keys ON keys.series = r.SeriesCode AND keys.dims = r.k)
                    TO '{OUT}' (HEADER, COMPRESSION gzip)""")
    n = con.execute(f"SELECT count(*), count(DISTINCT SeriesCode) FROM read_csv('{OUT}')").fetchone()
    print(f"{OUT}: {n[0]:,} rows, {n[1]} series, {OUT.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    main(ap.parse_args().shared)
