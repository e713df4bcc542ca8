"""Benchmark: the static site built from the UK Open SDG data, against baselines in the same run.

    python bench/site_build.py [--repo ../shared/data/opensdg/uk] [--sdg-build PYTHON]

Loads the UK repository into a fresh store (``--skip-invalid``: 57 ONS keys hold two values), then
prints JSON with, for each step, wall seconds, CPU seconds of this process (``cpu``: less moved by
other work on a shared machine), files and megabytes (``mb``: the files' sizes, each path counted;
``mb_disk``: each hard-linked file counted once, what the folder takes on disk):
- ``read_baseline``: ``Workspace.observations(None, all_disaggregations=True)``, reading every UK
  observation out of the store: the floor any build pays; the other steps are also given as a
  ratio to it (``x_read``);
- ``full_1_lang``: a build into an empty folder, with an empty cache folder for the Vega bundle
  (``XDG_CACHE_HOME`` pointed at a new folder: vl-convert bundles it, as on a first build);
- ``full_1_lang_again``: the same into another empty folder, the bundle now cached (what any later
  build from scratch pays);
- ``full_3_langs`` (en, fr, es): a build into an empty folder;
- ``unchanged``: the same build again (nothing to write);
- ``incremental``: a rebuild after a new release of one indicator's file (3-2-2, every value + 1)
  was loaded into the same dataset (files written listed by count);
- with ``--sdg-build PYTHON`` (a Python whose environment has ``sdg-build`` installed, e.g. a
  throwaway venv; it is not on PyPI: install it from its source with ``numpy<2``): sdg-build's
  ``open_sdg_build`` on the same repository with the repository's settings made offline (the
  official titles shipped with sdgtrack instead of the translations repository, no remote map layers, no SDMX output; the copy is made a git
  repository first, as a real data repository is): its data step only
  (an Open SDG site then needs a Jekyll build as well), with its files and megabytes.
Only files the producers registered in ``publish/outputs`` and ``publish/pages`` write are counted:
the pages add to these figures as they land.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from sdgtrack.publish.build import build_site
from sdgtrack.publish.site import SiteOptions
from sdgtrack.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
DEFAULT_UK = REPO.parent / "shared" / "data" / "opensdg" / "uk"

SDG_BUILD_SCRIPT = """
import sys, sdg
sdg.open_sdg_build(src_dir=sys.argv[1], site_dir=sys.argv[2], config=sys.argv[3])
"""


def folder_size(folder: Path) -> tuple[int, int, int]:
    """Files, their total size, and the size on disk (a file with several links counted once)."""
    stats = [p.stat() for p in folder.rglob("*") if p.is_file()]
    on_disk = {(s.st_dev, s.st_ino): s.st_size for s in stats}
    return len(stats), sum(s.st_size for s in stats), sum(on_disk.values())


def timed(step):
    started = time.perf_counter()
    value = step()
    return value, time.perf_counter() - started


def cpu_timed(step):
    """``step()``, its wall seconds and the CPU seconds of this process (DuckDB's threads included)."""
    cpu = time.process_time()
    value, seconds = timed(step)
    return value, seconds, time.process_time() - cpu


def changed_release(uk: Path, folder: Path) -> Path:
    rows = list(csv.DictReader((uk / "data" / "indicator_3-2-2.csv").open(encoding="utf-8")))
    target = folder / "release" / "data" / "indicator_3-2-2.csv"
    target.parent.mkdir(parents=True)
    with target.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**r, "Value": str(float(r["Value"]) + 1) if r["Value"] else ""} for r in rows)
    return target


def offline_config(repo: Path, site: Path) -> Path:
    """The repository's config_data.yml without what needs the network (translations cloned from a
    git host, map layers fetched from a GIS server, SDMX output with a registry's structures): the
    same data step, offline."""
    import yaml

    config = yaml.safe_load((repo / "config_data.yml").read_text("utf-8"))
    from sdgtrack.frameworks.reference import data_dir

    # the official titles in sdg-translations' layout, as shipped with sdgtrack, instead of a git clone
    local = [{"class": "TranslationInputYaml", "source": str(data_dir() / "translations")}]
    # site_dir relative to the repository: sdg-build's data packages refuse absolute paths
    config.update({"translations": local, "map_layers": [], "site_dir": site.name, "src_dir": ""})
    config.pop("sdmx_output_global", None)
    path = repo / "offline_config.yml"
    path.write_text(yaml.safe_dump(config), "utf-8")
    return path


def run_sdg_build(python: str, uk: Path, tmp: Path) -> dict:
    """sdg-build on a copy of the repository (it writes beside its inputs), with the repository's own
    settings made offline (see :func:`offline_config`)."""
    copy = tmp / "uk-repo"
    shutil.copytree(uk, copy)
    site = copy / "_site"
    script = tmp / "run_sdg_build.py"
    script.write_text(SDG_BUILD_SCRIPT, "utf-8")
    config = offline_config(copy, site)
    # an Open SDG data repository is a git checkout (sdg-build reads metadata dates from it)
    for command in (["git", "init", "-q"], ["git", "add", "-A"],
                    ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-qm", "snapshot"]):
        subprocess.run(command, cwd=copy, check=True, capture_output=True)
    started = time.perf_counter()
    done = subprocess.run([python, str(script), ".", site.name, str(config)],
                          cwd=copy, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout).strip().splitlines()[-5:], "seconds": round(seconds, 2)}
    files, size, on_disk = folder_size(site)
    return {"seconds": round(seconds, 2), "files": files, "mb": round(size / 1e6, 1), "mb_disk": round(on_disk / 1e6, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", type=Path, default=DEFAULT_UK)
    ap.add_argument("--sdg-build", help="a Python with sdg-build installed, to time it on the same repository")
    args = ap.parse_args()
    out: dict = {"repository": str(args.repo)}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")  # the first build makes the Vega bundle
        with Workspace(tmp / "uk.duckdb") as ws:
            report, seconds = timed(lambda: ws.ingest(args.repo, skip_invalid=True, rejected_path=tmp / "rej.csv"))
            out["load"] = {"seconds": round(seconds, 2), "observations": report.new}
        with Workspace(tmp / "uk.duckdb", read_only=True) as ws:
            frame, baseline, cpu = cpu_timed(lambda: ws.observations(None, all_disaggregations=True))
            out["read_baseline"] = {"seconds": round(baseline, 3), "cpu": round(cpu, 2), "rows": len(frame)}

            def step(name: str, folder: Path, langs: tuple[str, ...]) -> None:
                built, seconds, cpu = cpu_timed(lambda: build_site(ws, folder, SiteOptions(langs=langs)))
                files, size, on_disk = folder_size(folder)
                out[name] = {"seconds": round(seconds, 2), "cpu": round(cpu, 2), "x_read": round(seconds / baseline, 1),
                             "files": files - 1, "mb": round(size / 1e6, 1), "mb_disk": round(on_disk / 1e6, 1),
                             "written": built.written, "linked": getattr(built, "linked", 0)}

            step("full_1_lang", tmp / "one", ("en",))
            step("full_1_lang_again", tmp / "one-again", ("en",))
            step("unchanged", tmp / "one", ("en",))
            step("full_3_langs", tmp / "three", ("en", "fr", "es"))
        with Workspace(tmp / "uk.duckdb") as ws:
            ws.ingest(changed_release(args.repo, tmp), dataset="opensdg-uk", area="GBR")
        with Workspace(tmp / "uk.duckdb", read_only=True) as ws:
            built, seconds, cpu = cpu_timed(lambda: build_site(ws, tmp / "one", SiteOptions(langs=("en",))))
            out["incremental"] = {"seconds": round(seconds, 2), "cpu": round(cpu, 2), "x_read": round(seconds / baseline, 1),
                                  "written": built.written, "unchanged": built.unchanged,
                                  "mb_written": round(built.bytes / 1e6, 1)}
        if args.sdg_build:
            out["sdg_build"] = run_sdg_build(args.sdg_build, args.repo, tmp)
            if "seconds" in out["sdg_build"] and "error" not in out["sdg_build"]:
                out["sdg_build"]["x_ours_1_lang"] = round(out["sdg_build"]["seconds"] / out["full_1_lang"]["seconds"], 1)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
