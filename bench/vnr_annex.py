"""Time the VNR statistical annex per area and format, against the area's progress assessment alone
(the baseline, run in the same process), and count the PDF's pages (pdfinfo, when installed).

    python bench/vnr_annex.py --db STORE [--area GBR --area RWA --area KEN] [--out DIR] [--lang en]

The store should hold the UN extract and the national repositories (docs/reports.md). Wall and CPU
seconds are both printed: on a shared machine the wall time is the CPU time times the load.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import sdgtrack
from sdgtrack.report.vnr import build_annex


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def pages(path: Path) -> int | None:
    if not shutil.which("pdfinfo"):
        return None
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--area", action="append")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="vnr-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    ws = sdgtrack.open(args.db, read_only=True)
    build_annex(ws, (args.area or ["GBR"])[0], lang=args.lang)  # imports and string files, once
    print("area  step        wall s  cpu s  x baseline(cpu)  notes")
    for area in args.area or ["GBR", "RWA", "KEN"]:
        code = ws.resolve_area(area)
        _, bw, bc = timed(lambda code=code: ws.assess(areas=[code], save=False))
        print(f"{area:5} baseline    {bw:6.1f} {bc:6.1f}  1.0              progress assessment of the area alone")
        annex, w, c = timed(lambda area=area: build_annex(ws, area, lang=args.lang))
        total_cpu = c
        n = annex.counts
        print(
            f"{area:5} build       {w:6.1f} {c:6.1f}  {c / bc:5.1f}            {n['with_data']}/{n['total']} indicators with data, {n['assessed']} assessed"
        )
        for suffix in (".html", ".docx", ".xlsx", ".pdf"):
            path = out / f"{area}-{args.lang}{suffix}"
            _, w, c = timed(lambda path=path, annex=annex: annex.write(path))
            total_cpu += c
            note = f"{path.stat().st_size / 1e6:.2f} MB"
            if suffix == ".pdf":
                note += f", {pages(path)} pages"
            print(f"{area:5} {suffix[1:]:10}  {w:6.1f} {c:6.1f}  {c / bc:5.1f}            {note}")
        print(f"{area:5} all formats cpu {total_cpu:.1f} s")
    print(f"files in {out}")


if __name__ == "__main__":
    main()
