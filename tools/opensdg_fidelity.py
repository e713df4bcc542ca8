"""How faithfully an Open SDG repository comes back out of the store: each indicator's published
``data/ID.csv`` against the repository's own ``data/indicator_ID.csv``, compared as sets of records.

    .venv/bin/python tools/opensdg_fidelity.py ../shared/data/opensdg/uk [--db STORE] [--show 10]

Loads the repository into a temporary store (or reads ``--db``, which must hold it), renders every
indicator's data file the way ``site build`` writes it, and counts the files whose records equal the
source's. A record is the row's non-blank cells by column name (column order does not matter);
``Value`` is compared as a decimal number (``5`` equals ``5.0``). Rows of the source with a blank
``Value`` are left out: the store keeps no observation without a value (the load counts them).
Prints one line per differing file (columns only on one side, rows only on one side) and the total.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

import sdgtrack
from sdgtrack.publish.outputs.tables import open_sdg_table, to_csv
from sdgtrack.publish.site import Site, SiteOptions


def _number(text: str) -> str:
    try:
        return str(Decimal(text.strip()).normalize())
    except InvalidOperation:
        return text.strip()


def records(rows: list[dict[str, str]]) -> Counter:
    out: Counter = Counter()
    for row in rows:
        cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not cells.get("Value"):
            continue
        cells["Value"] = _number(cells["Value"])
        out[tuple(sorted((k, v) for k, v in cells.items() if v))] += 1
    return out


def read_csv_text(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\r\n")))
    return list(reader.fieldnames or []), list(reader)


def compare(repo: Path, ws, show: int) -> tuple[int, int, list[str]]:
    site = Site(ws, SiteOptions())
    codes = site.indicators()
    site.prefetch(codes)
    same, lines = 0, []
    compared = 0
    for code in codes:
        source = repo / "data" / f"indicator_{code.replace('.', '-')}.csv"
        if not source.exists():
            continue
        compared += 1
        src_cols, src_rows = read_csv_text(source.read_text("utf-8-sig"))
        out_cols, out_rows = read_csv_text(to_csv(open_sdg_table(site, code)).decode("utf-8"))
        a, b = records(src_rows), records(out_rows)
        if a == b:
            same += 1
            continue
        used_src = {k for rec in a for k, _ in rec}
        used_out = {k for rec in b for k, _ in rec}
        only_src, only_out = a - b, b - a
        lines.append(
            f"{code}: {sum(only_src.values())} source rows not published, {sum(only_out.values())} published rows "
            f"not in the source; columns only in source {sorted(used_src - used_out)}, "
            f"only published {sorted(used_out - used_src)}"
        )
        if show:
            for rec in list(only_src)[:show]:
                lines.append(f"    source    {dict(rec)}")
            for rec in list(only_out)[:show]:
                lines.append(f"    published {dict(rec)}")
    return same, compared, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--db", type=Path, help="a store that holds the repository (default: load it afresh)")
    parser.add_argument("--show", type=int, default=0, help="records shown per differing file")
    parser.add_argument("--skip-invalid", action="store_true", help="load with skip_invalid (older stores needed it)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.db:
            ws = sdgtrack.open(args.db, read_only=True)
        else:
            ws = sdgtrack.open(Path(tmp) / "store.duckdb")
            report = ws.ingest(args.repo, skip_invalid=args.skip_invalid, rejected_path=Path(tmp) / "rejected.csv")
            print(report.summary(), file=sys.stderr)
        same, compared, lines = compare(args.repo, ws, args.show)
    for line in lines:
        print(line)
    print(f"{same} of {compared} data files equal to the source as sets of records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
