"""The client side of a cluster run: which series go to which task, and the parts joined into the
frames a local run returns."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import duckdb
import numpy as np
import pandas as pd

from ..errors import UserInputError
from ..links.analysis import LinkReport, link_report
from ..links.directions import directions as direction_table
from ..links.options import LinkOptions
from ..links.statistical import finish_links, with_sources
from ..progress import methods, rollup
from ..progress import targets as targets_mod
from ..progress.assess import finish, method_params, target_table
from ..progress.options import ProgressOptions
from ..store.parquet import check_export, partition_store, partitions
from . import tasks

TASKS_PER_WORKER = 4  # series (and area) groups per worker: enough to balance, few enough to cost little


@dataclass
class ClusterInfo:
    """Where and how a run went: the scheduler, workers, tasks of each step, wall time."""

    scheduler: str
    workers: int
    series_tasks: int
    area_tasks: int
    seconds: float
    steps: dict[str, float] = field(default_factory=dict)  # wall seconds of each step, in order

    def line(self) -> str:
        areas = f", {self.area_tasks} area tasks" if self.area_tasks else ""
        steps = ", ".join(f"{name} {sec:.1f} s" for name, sec in self.steps.items())
        return (
            f"cluster: {self.scheduler} with {self.workers} worker{'s' if self.workers != 1 else ''}; "
            f"{self.series_tasks} series task{'s' if self.series_tasks != 1 else ''}{areas}; "
            f"{self.seconds:.1f} s" + (f" ({steps})" if steps else "")
        )


@contextmanager
def dask_client(scheduler: str | None = None, local_workers: int = 2) -> Iterator:
    """A Dask client: of the scheduler at ``scheduler``, else of a local cluster of
    ``local_workers`` worker processes (one thread each), closed on exit."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise UserInputError(
            "the cluster runs need Dask distributed: pip install 'sdgtrack[cluster]' (on the workers too)"
        ) from None
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise UserInputError(
                f"--scheduler {scheduler}: cannot reach a Dask scheduler there ({exc}); "
                "expected an address such as tcp://10.0.0.5:8786 (see docs/scale.md)"
            ) from None
        try:
            yield client
        finally:
            client.close()
        return
    if local_workers < 1:
        raise UserInputError(f"--local-workers {local_workers}: expected 1 or more")
    cluster = local_cluster(local_workers)
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def local_cluster(n_workers: int):
    """A Dask LocalCluster of ``n_workers`` processes, one thread each, without Dask's default
    ``MALLOC_TRIM_THRESHOLD_=65536`` for its workers: a fixed trim threshold stops glibc from adapting
    it, so every large NumPy array is mapped and unmapped anew, and the interlinkages' per-area step
    ran 1.7x slower so (25.6 s against 44.6 s, the same groups computed in one process; docs/scale.md)."""
    import dask
    from dask.distributed import LocalCluster

    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
        return LocalCluster(
            n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
        )


def series_groups(root: Path, series: Sequence[str], n_groups: int) -> list[list[str]]:
    """``series`` (sorted) cut into at most ``n_groups`` runs of about equal Parquet bytes. Runs of
    the sorted codes, so the parts joined in order are in the order of a local run."""
    folders = partitions(root)
    codes = sorted(series)
    if not codes:
        return []
    size = np.array([sum(f.stat().st_size for f in folders[s].glob("*.parquet")) for s in codes], dtype=float)
    n_groups = max(1, min(n_groups, len(codes)))
    cut = np.searchsorted(np.cumsum(size), np.sum(size) * np.arange(1, n_groups) / n_groups, side="right")
    bounds = [0, *sorted(set(int(c) for c in cut if 0 < c < len(codes))), len(codes)]
    return [codes[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _wanted_series(db, root: Path, codes: Sequence[str] | None) -> list[str]:
    """The exported series a run reads: those ``codes`` stand for (series, indicator, target, goal), or all."""
    have = set(partitions(root))
    if not codes:
        return sorted(have)
    asked = {s for c in codes for s in db.series_codes_for(c)}
    if not asked:
        raise UserInputError(f"--series {', '.join(codes)}: no such series, indicator, target or goal in the export")
    return sorted(have & asked)


def _workers(client) -> int:
    return max(1, len(client.scheduler_info().get("workers", {})))


def _user_targets(db, targets):
    """A user's targets file read once here (checked against the export), sent to the workers as a table."""
    if targets is None or isinstance(targets, pd.DataFrame):
        return targets
    return targets_mod.read_targets(db, targets)


@contextmanager
def _readable(root: Path) -> Iterator[None]:
    """A file of the export DuckDB cannot read (truncated, not Parquet, missing), here or on a
    worker (Dask raises a task's error again here): one message naming it, instead of a traceback."""
    try:
        yield
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UserInputError(
            f"--parquet {root}: cannot read the export ({first}); write it again with `sdgtrack export parquet`"
        ) from None


def run_links(
    root: str | Path, options: LinkOptions, *, scheduler: str | None = None, local_workers: int = 2
) -> tuple[LinkReport, ClusterInfo]:
    """Interlinkages over an export on a Dask cluster (the scheduler at ``scheduler``, else a local
    cluster of ``local_workers`` processes): the same rows and values as ``Workspace.links`` with
    the same ``options`` on the store it came from."""
    with _readable(Path(root)):
        return _run_links(Path(root), options, scheduler, local_workers)


def run_progress(
    root: str | Path, options: ProgressOptions, *, scheduler: str | None = None, local_workers: int = 2
) -> tuple[pd.DataFrame, ClusterInfo]:
    """Progress of every series x area over an export on a Dask cluster (as :func:`run_links`): the
    same frame as ``Workspace.assess`` with the same ``options`` on the store it came from, not kept."""
    with _readable(Path(root)):
        return _run_progress(Path(root), options, scheduler, local_workers)


def _run_links(
    root: Path, options: LinkOptions, scheduler: str | None, local_workers: int
) -> tuple[LinkReport, ClusterInfo]:
    """:func:`run_links`, its errors of reading the export not yet worded."""
    root = root.absolute()  # the workers open the files by this path (the same mount everywhere)
    check_export(root)
    options.check()
    params = options.parameters()
    areas, series, targets = options.areas, options.series, options.targets
    reading = options.reading()
    db = partition_store(root)
    try:
        area_codes = db.resolve_areas(areas)  # a bad name: the message before any task runs
        user = _user_targets(db, targets)
        directions = direction_table(db, user)
        wanted = _wanted_series(db, root, series)
        started = time.perf_counter()
        with dask_client(scheduler, local_workers) as client:
            workers = _workers(client)
            groups = series_groups(root, wanted, workers * TASKS_PER_WORKER)
            n_areas = workers * TASKS_PER_WORKER
            rows = dict(areas=area_codes, codes=series, start=reading["start"], end=reading["end"])
            ready = time.perf_counter()
            parts = [
                client.submit(
                    tasks.link_values_part, str(root), g, n_areas, **rows, datasets=reading["datasets"], pure=False
                )
                for g in groups
            ]
            from dask.distributed import wait  # importable: dask_client has connected

            wait(parts)
            read = time.perf_counter()
            links = [
                client.submit(
                    tasks.links_part, [client.submit(tasks.group_of, p, k) for p in parts], directions, params
                )
                for k in range(n_areas if parts else 0)
            ]
            link_parts = client.gather(links)
            counts: dict[str, int] = {}
            for info in client.gather([client.submit(_datasets_of, p) for p in parts]):
                for d, n in info.items():
                    counts[d] = counts.get(d, 0) + n
            info = ClusterInfo(str(scheduler or "local cluster"), workers, len(groups), len(links), 0.0)
            info.steps = {
                "cluster start" if not scheduler else "connect": ready - started,
                "headline values per series": read - ready,
                "pairs per area": time.perf_counter() - read,
            }
        joined = time.perf_counter()
        if not link_parts:
            link_parts = [tasks.links_part([_empty_values()], directions, params)]
        result = with_sources(finish_links(link_parts, params), dict(sorted(counts.items())), areas, targets)
        report = link_report(db, options, result=result)
        info.steps["joined here"] = time.perf_counter() - joined
        info.seconds = time.perf_counter() - started
        return report, info
    finally:
        db.close()


def _datasets_of(part: dict) -> dict[str, int]:
    return part["datasets"]


def _empty_values() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "series": pd.Series(dtype=object),
            "area": pd.Series(dtype=object),
            "year": pd.Series(dtype="int64"),
            "value": pd.Series(dtype=float),
        }
    )


def _run_progress(
    root: Path, options: ProgressOptions, scheduler: str | None, local_workers: int
) -> tuple[pd.DataFrame, ClusterInfo]:
    """:func:`run_progress`, its errors of reading the export not yet worded."""
    root = root.absolute()  # the workers open the files by this path (the same mount everywhere)
    check_export(root)
    options.check()
    method, level, targets, areas, series = (
        options.method,
        options.level,
        options.targets,
        options.areas,
        options.series,
    )
    datasets = options.reading()["datasets"]
    m = methods.get(method)
    params = method_params(m, options.method_parameters())
    db = partition_store(root)
    try:
        db.resolve_areas(areas)
        user = _user_targets(db, targets)
        table = target_table(db, user)
        wanted = sorted(set(_wanted_series(db, root, series)) & set(table["series"]))
        if series and not wanted:
            raise UserInputError(f"no target row for {', '.join(series)}: give one with --targets FILE")
        started = time.perf_counter()
        with dask_client(scheduler, local_workers) as client:
            workers = _workers(client)
            groups = series_groups(root, wanted, workers * TASKS_PER_WORKER)
            sent = dict(targets=user, areas=areas, codes=series, datasets=datasets, params=params)
            ready = time.perf_counter()
            frames = client.gather(
                [client.submit(tasks.progress_part, str(root), g, method, **sent, pure=False) for g in groups]
            )
            info = ClusterInfo(str(scheduler or "local cluster"), workers, len(groups), 0, 0.0)
            info.steps = {
                "cluster start" if not scheduler else "connect": ready - started,
                "assessed per series": time.perf_counter() - ready,
            }
        joined = time.perf_counter()
        filled = [f for f in frames if len(f)] or frames[:1]
        if filled:
            frame = pd.concat(filled, ignore_index=True) if len(filled) > 1 else filled[0].reset_index(drop=True)
        else:  # no series with a target row in the export: the empty frame a local run gives
            frame = tasks.progress_part(
                str(root), [], method, targets=user, areas=areas, datasets=datasets, params=params
            )
        frame.attrs = {}
        frame = finish(frame, m, params, table, areas, series)
        if level != "series":  # as progress.api.assess rolls a local run up
            frame = rollup.roll_up(db, frame, level)
        info.steps["joined here"] = time.perf_counter() - joined
        info.seconds = time.perf_counter() - started
        return frame, info
    finally:
        db.close()
