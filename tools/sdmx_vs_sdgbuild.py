"""Side by side: sdg-build's SDMX output (``OutputSdmxMl``, its ``sdmx/all.xml``) and sdgtrack's
``export sdmx`` of the same repository with the same map files, both against the global SDG DSD.

    python tools/sdmx_vs_sdgbuild.py --sdgbuild SDMX_ALL_XML --db STORE --dataset ID [--map FILE ...]

Prints, for sdg-build's message: its observations, how many carry a code that is not in the
DSD's code list (per concept), how many keys it repeats (rows a dropped disaggregation collapsed),
how many series it wrote as ``SERIES=_T``; for sdgtrack's (``--skip-invalid``): its observations
and problems; and the observations both wrote with the same key, and how many of those agree in
value and in each attribute.
"""

from __future__ import annotations

import argparse
import tempfile
import warnings
from pathlib import Path

import pandas as pd


def read_message(path: Path, structure) -> pd.DataFrame:
    import sdmx

    from sdgtrack.exchange.dsd import to_sdmx1

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        msg = sdmx.read_sdmx(path, structure=to_sdmx1(structure))
    recs = []
    for data_set in msg.data:
        for obs in data_set.obs:
            rec = {k: str(v.value) for k, v in obs.series_key.values.items()}
            rec.update({k: str(v.value) for k, v in obs.dimension.values.items()})
            rec.update({k: str(v.value) for k, v in obs.series_key.attrib.items()})
            rec.update({k: str(v.value) for k, v in obs.attrib.items()})
            rec["OBS_VALUE"] = None if obs.value is None else str(obs.value)
            recs.append(rec)
    return pd.DataFrame(recs)


def main() -> None:
    import sdgtrack
    from sdgtrack.exchange import dsd
    from sdgtrack.exchange.export import SdmxExportError

    parser = argparse.ArgumentParser()
    parser.add_argument("--sdgbuild", required=True, type=Path)
    parser.add_argument("--db", required=True)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--map", action="append", default=[])
    args = parser.parse_args()
    structure = dsd.load()
    theirs = read_message(args.sdgbuild, structure)
    key = [*structure.dimension_ids, structure.time_dimension]
    print(f"sdg-build: {len(theirs):,} observations in {theirs.groupby(structure.dimension_ids).ngroups:,} series keys")
    for comp in (*structure.dimensions, *structure.attributes):
        codes = structure.codes(comp.id)
        if codes is None or comp.id not in theirs:
            continue
        bad = theirs[comp.id].notna() & ~theirs[comp.id].isin(list(codes))
        if bad.any():
            examples = ", ".join(repr(v) for v in theirs.loc[bad, comp.id].value_counts().index[:4])
            print(f"  {comp.id}: {bad.sum():,} observations with a code not in {comp.codelist} ({examples} ...)")
    repeated = theirs.duplicated(key, keep=False)
    print(
        f"  {repeated.sum():,} observations share their key with another ({theirs[repeated].groupby(key).ngroups:,} keys)"
    )
    print(f"  SERIES=_T: {(theirs['SERIES'] == '_T').sum():,} observations")

    with tempfile.TemporaryDirectory() as tmp, sdgtrack.open(args.db, read_only=True) as ws:
        out = Path(tmp) / "ours.xml"
        try:
            ws.export_sdmx(args.dataset, out, maps=args.map)
            problems = 0
        except SdmxExportError as exc:
            problems = exc.total
        result = ws.export_sdmx(args.dataset, out, maps=args.map, skip_invalid=True)
        ours = read_message(out, structure)
    print(
        f"sdgtrack: {result.observations:,} observations written, {problems:,} problems ({result.notes[-1] if result.notes else ''})"
    )
    clean = theirs[~repeated]
    both = clean.merge(ours, on=key, suffixes=("_build", "_track"))
    print(f"both, same key: {len(both):,}")
    for name in ("OBS_VALUE", "OBS_STATUS", "UNIT_MULT", "UNIT_MEASURE"):
        if f"{name}_build" in both and f"{name}_track" in both:
            a, b = both[f"{name}_build"].fillna(""), both[f"{name}_track"].fillna("")
            if name == "OBS_VALUE":
                same = pd.to_numeric(a, errors="coerce").sub(pd.to_numeric(b, errors="coerce")).abs().lt(1e-9)
            else:
                same = a == b
            print(f"  {name}: {same.sum():,} agree, {(~same).sum():,} differ")


if __name__ == "__main__":
    main()
