"""Benchmark: exporting one dataset as SDMX (docs/sdmx.md), against reading its rows.

In one process on one store, so the ratios compare like with like:

- ``read``: ``store.exchange.exchange_rows`` of the dataset, the baseline (what any export reads);
- ``map + check``: ``exchange.export.map_rows`` against the shipped global SDG DSD (with the map
  files given), every check included;
- ``write``: the StructureSpecific message of the rows free of problems, into memory;
- ``sdmx1 model``: building sdmx1 ``Observation`` objects for the same rows (the alternative way
  of writing; its serialisation not included), measured on the first 20,000 rows and scaled.

    python bench/sdmx_export.py --db STORE --dataset ID [--map FILE ...]

Times are the best of 3 (sdmx1: one run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import time


def best(fn, n: int = 3):
    times, out = [], None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    import duckdb

    from sdgtrack.exchange import dsd, export, mapping
    from sdgtrack.store import exchange as store_exchange

    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--map", action="append", default=[])
    args = parser.parse_args()
    con = duckdb.connect(args.db, read_only=True)
    structure = dsd.load()
    maps = mapping.read_maps(args.map, structure)
    t_read, rows = best(lambda: store_exchange.exchange_rows(con, args.dataset))
    t_map, mapped = best(lambda: export.map_rows(rows, structure, maps))
    clean = "rid NOT IN (SELECT rid FROM problem_rows)"

    def write() -> int:
        buf = io.BytesIO()
        export.write(
            mapped, buf, "structure", sender="bench", prepared=dt.datetime(2000, 1, 1), msg_id="b", where=clean
        )
        return len(buf.getvalue())

    t_write, size = best(write)
    n_clean = mapped.con.execute(f"SELECT count(*) FROM sdmx_obs WHERE {clean}").fetchone()[0]
    sample = mapped.con.execute("SELECT * FROM sdmx_obs LIMIT 20000").df()
    t_model = _sdmx1_objects(sample, structure) * len(rows) / max(len(sample), 1)
    print(f"dataset {args.dataset}: {len(rows):,} rows, {len(mapped.problems):,} problems, {n_clean:,} rows written")
    print(f"read          {t_read:8.2f} s   1.00")
    print(f"map + check   {t_map:8.2f} s   {t_map / t_read:5.2f} x read")
    print(f"write         {t_write:8.2f} s   {t_write / t_read:5.2f} x read   ({size:,} bytes)")
    print(
        f"sdmx1 model   {t_model:8.2f} s   {t_model / t_read:5.2f} x read   (objects only, scaled from {len(sample):,})"
    )


def _sdmx1_objects(frame, structure) -> float:
    from sdmx.model import v21

    dsd = __import__("sdgtrack.exchange.dsd", fromlist=["to_sdmx1"]).to_sdmx1(structure)
    dims = structure.dimension_ids
    attrs = [a.id for a in structure.attributes]
    t = time.perf_counter()
    for rec in frame.to_dict("records"):
        key = dsd.make_key(v21.SeriesKey, {d: rec[d] for d in dims if rec[d] is not None})
        v21.Observation(
            series_key=key,
            dimension=dsd.make_key(v21.Key, {structure.time_dimension: rec[structure.time_dimension]}),
            value=rec[structure.measure],
            attached_attribute={
                a: v21.AttributeValue(value=str(rec[a]), value_for=dsd.attributes.get(a)) for a in attrs if rec[a]
            },
        )
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
