"""How many national series have no headline row, per country, and why (issue 10).

Loads Open SDG repositories into a scratch store (``--skip-invalid``) and prints, per country
prefix of the series codes, the series without any headline row; ``--list`` prints each one with
its reason (``sdgtrack.ingest.totals.headline_gaps``).

    python tools/headline_coverage.py ../shared/data/opensdg/uk ../shared/data/opensdg/canada [--list]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import sdgtrack
from sdgtrack.ingest import load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repositories", nargs="+", type=Path)
    parser.add_argument("--list", action="store_true", help="print every series without a headline and why")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sdgtrack.Database(Path(tmp) / "coverage.duckdb") as db:
        for repo in args.repositories:
            load(db, repo, skip_invalid=True, rejected_path=Path(tmp) / f"{repo.name}-rejected.csv")
        counts = db.con.execute("""
                SELECT coalesce(split_part(series, ':', 1), 'all'), count(*), count(*) FILTER (WHERE NOT h)
                FROM (SELECT series, bool_or(is_headline) AS h FROM observation WHERE series LIKE '%:%'
                      GROUP BY series)
                GROUP BY ROLLUP (split_part(series, ':', 1)) ORDER BY 1""").fetchall()
        for prefix, n, without in counts:
            print(f"{prefix}: {without} of {n} national series without a headline row ({100 * without / n:.1f}%)")
        if args.list:
            from sdgtrack.ingest.totals import headline_gaps  # here: the counts also run on older code

            for row in headline_gaps(db.con, like="%:%").itertuples():
                print(f"{row.series}\t{row.rows}\t{row.reason}")


if __name__ == "__main__":
    main()
