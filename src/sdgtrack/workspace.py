"""The workspace: the one front door every face (CLI, web app, static site, Python) goes through.

``sdgtrack.open(path)`` returns a :class:`Workspace`. It holds the store (:class:`Database`) and
offers the whole service surface with typed signatures: data in (``ingest``, ``validate``),
data out (``observations``, ``headline_values``, ``compare``, ``history``, ``datasets``), and
every analysis (``assess``, ``index``, ``links``, ``tag``, ``cities``; ``contributions.coverage``), each
returning a :class:`~sdgtrack.results.Result`. Faces choose a format and nothing else. A read or an
analysis is declared once: a store read on :class:`Database`, an analysis's options in its options
class (docs/architecture.md, "One front door").
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Concatenate, ParamSpec, Sequence, TypeVar

import pandas as pd

from . import ingest as loads
from .cities import importer as city_importer
from .ingest.upgrade import RULES as OLD_ROW_RULES
from .links.options import KeptLinkOptions, LinkOptions
from .progress import headline as progress_headline
from .progress.options import KeptProgressOptions, ProgressOptions
from .results import Result
from .store.database import Database, Lookups
from .store.datasets import current_user

__all__ = ["Cluster", "Workspace", "current_user"]  # current_user: who a change is recorded for (the CLI's audit actor)

if TYPE_CHECKING:
    import altair as alt

    from .cities.assess import CityScore
    from .cities.compare import Comparison
    from .contributions import Registry
    from .data_entry import Accounts, Review
    from .exchange.export import ExportReport
    from .exchange.parquet import ParquetExport
    from .exchange.serve import SdmxApi
    from .index.service import IndexResult
    from .ingest.loader import LoadReport
    from .links.analysis import LinkReport
    from .progress.chart import ChartWords


P = ParamSpec("P")
R = TypeVar("R")
Opt = TypeVar("Opt")  # an analysis's options
S = TypeVar("S")  # the object a method is offered on


def _store_read(read: Callable[Concatenate[Database, P], R]) -> Callable[Concatenate[Workspace, P], R]:
    """One of the store's reads offered as the workspace's own, with the store's signature and
    docstring: a read is declared once, in :class:`Database` (docs/architecture.md, "One front
    door"). It reads ``self.store`` when called, so a :meth:`Workspace.cursor` reads its own cursor."""
    name = read.__name__

    @functools.wraps(read)
    def through_the_store(self: Workspace, *args: P.args, **kwargs: P.kwargs) -> R:
        return getattr(self.store, name)(*args, **kwargs)

    return through_the_store


def _on_the_store(work: Callable[Concatenate[Database, P], R]) -> Callable[Concatenate[Workspace, P], R]:
    """A function of a lower layer that takes the store first (``sdgtrack.ingest.load``), offered as
    the workspace's own with its signature and docstring; looked up when called, so it stays the
    module's function (and a test may replace it there)."""
    module, name = sys.modules[work.__module__], work.__name__

    @functools.wraps(work)
    def on_the_store(self: Workspace, *args: P.args, **kwargs: P.kwargs) -> R:
        return getattr(module, name)(self.store, *args, **kwargs)

    return on_the_store


def _asked_with(options: Callable[P, Opt]) -> Callable[[Callable[[S, Opt], R]], Callable[Concatenate[S, P], R]]:
    """A method taking an analysis's options object, offered with the options' own parameters:
    ``ws.links(level="goal")`` runs ``links`` with ``KeptLinkOptions(level="goal")``. An analysis's
    options are declared once, in its options class, for the workspace, a cluster and the analysis
    (docs/architecture.md, "One front door"); mypy and ``help()`` see them."""

    def wrap(run: Callable[[S, Opt], R]) -> Callable[Concatenate[S, P], R]:
        @functools.wraps(run)
        def asked(self: S, *args: P.args, **kwargs: P.kwargs) -> R:
            return run(self, options(*args, **kwargs))

        shown = inspect.signature(options)
        self_param = inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)
        asked.__signature__ = shown.replace(  # type: ignore[attr-defined]
            parameters=[self_param, *shown.parameters.values()],
            return_annotation=inspect.signature(run).return_annotation,
        )
        return asked

    return wrap


class Workspace:
    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.store = Database(path, read_only=read_only, upgrade_rules=OLD_ROW_RULES)
        self.read_only = read_only
        # The store's own connection serves one thread at a time: the live app's threads take this
        # lock around every use of it (accounts, requests, the ingest that publishes).
        self.lock = threading.RLock()

    @property
    def path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        self.store.close()

    def cursor(self) -> "Workspace":
        """The same open store for another thread (see :meth:`Database.cursor`): a server opens one
        workspace for its lifetime and gives each worker thread a cursor of it."""
        other = object.__new__(type(self))
        other.__dict__.update(self.__dict__)
        other.store = self.store.cursor()
        return other

    def lookups_for(self, state: str) -> Lookups:
        """A place to keep what codes and areas resolve to while the store is in ``state`` (a
        server's fingerprint); give it to each cursor with :meth:`use_lookups`."""
        return Lookups(state)

    def use_lookups(self, lookups: Lookups | None) -> None:
        """Resolve codes and areas through ``lookups`` (None: ask the store every time)."""
        self.store.lookups = lookups

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- data in -------------------------------------------------------------------------------
    ingest = _on_the_store(loads.load)  # see sdgtrack.ingest.load; the live app passes user= author and approver
    validate = _on_the_store(loads.check)

    # -- data out ------------------------------------------------------------------------------
    observations = _store_read(Database.observations)

    indicator_observations = _store_read(Database.indicator_observations)

    headline_runs = _store_read(Database.headline_runs)

    archived_observations = _store_read(Database.archived_observations)

    archived_indicators = _store_read(Database.archived_indicators)

    archived_series = _store_read(Database.archived_series)

    headline_values = _store_read(Database.headline_values)

    compare = _store_read(Database.compare)

    sources = _store_read(Database.sources)

    history = _store_read(Database.history)

    def source_columns(self, datasets: Sequence[str] | None = None) -> pd.DataFrame:
        """The header of every source table loaded, as its file wrote it (Open SDG indicator files;
        blank columns too): dataset, source_file, indicator, columns (a list), has_rows (whether a
        row has a value). The site's data files keep these columns in this order."""
        return self.store.source_columns(datasets)

    def indicator_metadata(
        self, code: str | Sequence[str], dataset: str | Sequence[str] | None = None, *, lang: str = "en"
    ) -> pd.DataFrame:
        """The national metadata of indicator ``code`` (``3.2.1``; a national id such as ``GDP1``; or
        a list of codes, read in one query): the text of the meta files of the Open SDG repositories
        loaded, one row per indicator, dataset and field.

        ``dataset`` restricts to one dataset or a list (in that order); by default every dataset
        with metadata for it, in the store's order of preference. Each field in ``lang`` where the
        repository translated it, else in English, else its first language (column ``lang`` says
        which). Columns: ``dataset``, ``indicator``, ``lang``, ``field`` (the repository's key),
        ``label`` (the repository's label in ``lang``, else the shipped one), ``group`` (where a
        page lists it: definition, calculation, notes, status, source, other; None for settings
        such as graph options), ``section`` (the repository's schema scope), ``value`` (as written:
        HTML or Markdown; JSON when ``structured``), ``structured``, ``position``. Empty when no
        loaded dataset has metadata for the indicator; an unknown code or dataset is an error."""
        from .errors import UserInputError
        from .metadata_fields import with_labels

        codes = [str(code).strip()] if isinstance(code, str) else [str(c).strip() for c in code]
        if not re.fullmatch(r"[a-z]{2,3}([-_][A-Za-z]{2,4})?", lang):
            raise UserInputError(f"--lang {lang!r}: expected a language code such as en, fr or es")
        datasets = [dataset] if isinstance(dataset, str) else (list(dataset) if dataset is not None else None)
        frame = self.store.indicator_metadata(codes, datasets, lang)
        if frame.empty and isinstance(code, str) and codes[0] not in self.store.node_titles("sdg"):
            raise UserInputError(
                f"no indicator {codes[0]!r}: expected an SDG indicator code such as 3.2.1, or the id of a "
                "national indicator with metadata in the store"
            )
        columns = ["dataset", "indicator", "lang", "field", "label", "group", "section", "value", "structured",
                   "position"]  # fmt: skip
        return with_labels(frame, lang)[columns].reset_index(drop=True)

    def metadata_indicators(self, dataset: str | Sequence[str] | None = None) -> pd.DataFrame:
        """Per dataset and indicator with national metadata: the number of fields and the languages."""
        datasets = [dataset] if isinstance(dataset, str) else (list(dataset) if dataset is not None else None)
        return self.store.metadata_indicators(datasets)

    def display_settings(
        self, code: str | Sequence[str], dataset: str | Sequence[str] | None = None, *, lang: str = "en"
    ) -> dict[str, dict]:
        """Indicator -> the page settings of its national metadata (Open SDG's chart type, map
        switch, start values, target lines, annotations, series breaks, axis limits, decimals,
        chart titles, footer texts, data notice), from the most preferred dataset with metadata for
        it (or ``dataset``), checked: ``problems`` lists each setting left out and why. Indicators
        without metadata are absent. See ``store/display.py`` and docs/site.md."""
        from .errors import UserInputError

        codes = [str(code).strip()] if isinstance(code, str) else [str(c).strip() for c in code]
        if not re.fullmatch(r"[a-z]{2,3}([-_][A-Za-z]{2,4})?", lang):
            raise UserInputError(f"--lang {lang!r}: expected a language code such as en, fr or es")
        datasets = [dataset] if isinstance(dataset, str) else (list(dataset) if dataset is not None else None)
        return self.store.display_settings(codes, datasets, lang)

    def chart_settings(self, settings: dict, series: Sequence[str], unit: str | None) -> dict:
        """What an indicator's display settings (one entry of ``display_settings``) say for the
        chart of one series (named by its code, its label ...) in ``unit``: chart type, lines,
        breaks, axis limits, decimals and title (Open SDG's most-specific-first rule)."""
        from .store import display

        return display.chart_for(settings, series, unit)

    def display_settings_key(self) -> str:
        """Fingerprint of the rules that read and match display settings (``store/display.py``):
        a site keys its pages and charts on it."""
        from .store import display

        return display.code_key()

    def metadata_translator(self, dataset: str, lang: str) -> Callable[[object], object]:
        """The function that translates a metadata value of ``dataset`` into ``lang`` as sdg-build does
        (its repository's ``translations/``: the value as a key, else ``data.<value>``; lists and
        mappings item by item); the identity when the dataset has no translations."""
        from functools import partial

        from .store.metadata import translate

        return partial(translate, table=self.store.metadata_translations(dataset, lang))

    data_translator = _store_read(Database.data_translator)

    metadata_fingerprints = _store_read(Database.metadata_fingerprints)

    datasets = _store_read(Database.datasets)

    def dataset(self, dataset_id: str) -> dict:
        """One dataset: metadata, counts, loads, series, and series without a headline row (why)."""
        from .ingest.totals import headline_gaps  # the reasons follow the ingest's total rules

        shown = self.store.dataset(dataset_id)
        shown["without_headline"] = headline_gaps(self.store.con, dataset=dataset_id)
        return shown

    remove_dataset = _store_read(Database.remove_dataset)

    prefer_datasets = _store_read(Database.prefer_datasets)

    areas = _store_read(Database.areas)

    add_area = _store_read(Database.add_area)

    resolve_area = _store_read(Database.resolve_area)

    resolve_area_codes = _store_read(Database.resolve_area_codes)

    # -- what the store holds (for pages and summaries) ---------------------------------------------
    area_names = _store_read(Database.area_names)
    node_titles = _store_read(Database.node_titles)
    series_codes_for = _store_read(Database.series_codes_for)

    current_nodes = _store_read(Database.current_nodes)

    headline_series_stats = _store_read(Database.headline_series_stats)

    totals = _store_read(Database.totals)

    observations_per_goal = _store_read(Database.observations_per_goal)

    framework_levels = _store_read(Database.framework_levels)

    nodes = _store_read(Database.nodes)

    state_fingerprint = _store_read(Database.state_fingerprint)

    series_facts = _store_read(Database.series_facts)

    area_and_parts = _store_read(Database.area_and_parts)

    main_areas = _store_read(Database.main_areas)

    # the series an indicator's headline figure and status speak for: the same choice on the site's
    # pages, in the API and in progress
    headline_series = _on_the_store(progress_headline.headline_series)

    start_values = _store_read(Database.start_values)

    dataset_main_area = _store_read(Database.dataset_main_area)

    def kept_assessment(self, level: str = "series") -> pd.DataFrame | None:
        """The progress assessment kept in the store (the last saved ``assess``), rolled up to ``level``;
        None when there is none."""
        from .progress import last_assessment, rollup

        frame = last_assessment(self.store)
        if frame is None or level == "series" or frame.empty:
            return frame
        return rollup.roll_up(self.store, frame, level)

    def kept_assessment_run(self) -> str | None:
        """When the kept progress assessment was saved, or None when the store keeps none."""
        from .progress import store as progress_store

        return progress_store.run_time(self.store.con)

    def kept_progress_chart(
        self, series_rows: pd.DataFrame, area_name: str, words: ChartWords | None = None
    ) -> alt.Chart:
        """The SDG Report progress chart (Altair) of one area's series-level progress rows (e.g. the
        kept assessment's rows of that area), in English or in the ``words`` given."""
        from .progress.chart import chart_rows, progress_chart

        method = series_rows.attrs.get("method") or str(series_rows["method"].iloc[0])
        rows, attrs = chart_rows(self.store, series_rows, method)
        return progress_chart(rows, {**series_rows.attrs, **attrs}, area_name, words)

    def roll_up(self, series_rows: pd.DataFrame, level: str) -> pd.DataFrame:
        """Series-level progress rows (e.g. part of :meth:`kept_assessment`) rolled up to indicator,
        target or goal."""
        from .progress import rollup

        return rollup.roll_up(self.store, series_rows, level)

    series_info = _store_read(Database.series_info)

    series_indicator_links = _store_read(Database.series_indicator_links)

    series_fingerprints = _store_read(Database.series_fingerprints)

    store_state = _store_read(Database.store_state)

    titles_in = _store_read(Database.titles_in)

    indicator_coverage = _store_read(Database.indicator_coverage)

    export_observations = _store_read(Database.export_observations)

    def export_sdmx(
        self,
        dataset: str,
        out: str | Path,
        *,
        dsd: str | Path | None = None,
        maps: Sequence[str | Path] = (),
        format: str = "structure",
        report: str | Path | None = None,
        skip_invalid: bool = False,
    ) -> "ExportReport":
        """One dataset as an SDMX message for the global SDG DSD (dataflow DF_SDG_GLH) or ``dsd``:
        ``format`` structure (StructureSpecificData), generic (GenericData) or csv (SDMX-CSV).
        National columns and codes are mapped through ``maps`` (docs/sdmx.md); every key and
        attribute is checked against the DSD's code lists first, and any problem raises
        ``SdmxExportError`` listing them all (``report``: a CSV of every one) with nothing written."""
        from .exchange.export import export_dataset

        return export_dataset(
            self.store.con, dataset, out, dsd=dsd, maps=maps, fmt=format, report=report, skip_invalid=skip_invalid
        )

    def export_parquet(self, out: str | Path, *, datasets: Sequence[str] | None = None) -> "ParquetExport":
        """The current observations (of ``datasets``, default all) as Hive-partitioned Parquet, one
        folder per series, under ``out`` (a new or empty folder), with the area, series, framework
        and dataset tables and a Frictionless ``datapackage.json`` (docs/scale.md). Written whole
        or not at all."""
        from .exchange.parquet import export_parquet

        return export_parquet(self.store, out, list(datasets) if datasets else None)

    @property
    def sdmx(self) -> SdmxApi:
        """The SDMX REST API over this store: ``dataflows(flow, references)``, ``datastructure(agency,
        resource)``, ``data(flow, key, *, start, end, detail, dimension_at_observation, format)``."""
        from .exchange.serve import SdmxApi

        return SdmxApi(self.store)

    # -- analyses ------------------------------------------------------------------------------
    @_asked_with(KeptProgressOptions)
    def assess(self, options: KeptProgressOptions) -> Result:
        """Progress toward the 2030 targets (methods: ``registries.PROGRESS_METHODS``;
        docs/methods/progress.md), asked with the options of
        :class:`~sdgtrack.progress.options.ProgressOptions`; kept in the store unless ``save=False``
        or the store is read-only."""
        from .progress import assess

        save = options.save and not self.read_only
        frame = assess(self.store, options.method, level=options.level, save=save, **options.reading(),
                       **options.method_parameters())  # fmt: skip
        return _assessment_result(frame, options.level)

    def progress_targets(
        self, targets: str | Path | pd.DataFrame | None = None, *, directions_for: Sequence[str] | None = None
    ) -> pd.DataFrame | None:
        """The target table an assessment would take from ``targets`` (a CSV path or DataFrame), with,
        for the ``directions_for`` series that have no target row, the desired direction of their
        indicator's global series (no numeric target; its source says so). None: the shipped defaults."""
        from .progress.assess import targets_with_directions

        return targets_with_directions(self.store, targets, directions_for)

    def kept_progress(self, level: str = "series") -> Result | None:
        """The last saved progress assessment (see :meth:`assess`) rolled up to ``level`` as a
        :class:`Result` with its method and parameters; None when the store keeps none."""
        from .progress import last_assessment
        from .progress.rollup import LEVELS, roll_up

        if level not in LEVELS:
            from .errors import UserInputError

            raise UserInputError(f"level {level!r}: expected one of {', '.join(LEVELS)}")
        frame = last_assessment(self.store)
        if frame is None:
            return None
        attrs = dict(frame.attrs)
        table = frame if level == "series" else roll_up(self.store, frame, level)
        return _progress_result(
            attrs,
            level,
            table,
            {"run at": attrs.get("run_at")},
            f"{attrs.get('title')}, kept from the run of {attrs.get('run_at')}: every headline "
            f"series x area with a target, rolled up to {level}",
        )

    def index(
        self,
        codebook: str | Path | pd.DataFrame,
        regions: str | Path | pd.DataFrame | None = None,
        *,
        year: int | None = None,
        max_missing: float = 0.2,
        areas: Sequence[str] | None = None,
        datasets: Sequence[str] | None = None,
        trend_start: int = 2015,
        target_year: int = 2030,
        save: bool = True,
    ) -> Result:
        """The SDG Index and Dashboards (SDSN method; see docs/methods/index.md). ``save``: keep it in
        the store as the last index (replacing the one kept before; never on a read-only store), read
        back with :meth:`kept_index`."""
        from .index import sdg_index

        result = sdg_index(
            self.store,
            codebook,
            regions,
            year=year,
            max_missing=max_missing,
            areas=list(areas) if areas else None,
            trend_start=trend_start,
            target_year=target_year,
            datasets=list(datasets) if datasets else None,
        )
        out = _index_result(result)
        if save and not self.read_only:
            from .index import store as index_store

            index_store.save(self.store.con, result, out.parameters)
        return out

    def kept_index(self) -> Result | None:
        """The last saved SDG Index (see :meth:`index`) as the run returned it, with ``run at`` in its
        summary; None when the store keeps none."""
        from .index import store as index_store

        kept = index_store.load(self.store.con)
        return None if kept is None else _index_result(kept[0], run_at=kept[1])

    def kept_run(self, analysis: str) -> str | None:
        """When the kept ``analysis`` ('progress', 'index' or 'links') was saved, or None when the store
        keeps none: a cheap fingerprint for pages and caches."""
        if analysis == "progress":
            return self.kept_assessment_run()
        from .store import kept

        if analysis not in kept.TABLES:
            from .errors import UserInputError

            raise UserInputError(f"analysis {analysis!r}: expected progress, {', '.join(kept.TABLES)}")
        return kept.run_time(self.store.con, analysis)

    def kept_links_tested(self) -> int:
        """How many series pairs the kept interlinkages run tested (0 when none is kept): a run that
        tested none, e.g. no series had a known direction, has nothing to show."""
        from .store import kept

        record = kept.about(self.store.con, "links") or {}
        return int(record.get("meta", {}).get("tests") or 0)

    @_asked_with(KeptLinkOptions)
    def links(self, options: KeptLinkOptions) -> Result:
        """Statistical interlinkages: synergies and trade-offs (see docs/methods/interlinkages.md),
        asked with the options of :class:`~sdgtrack.links.options.LinkOptions`. ``save``: keep it in
        the store as the last interlinkages run (replacing the one kept before; never on a read-only
        store), read back with :meth:`kept_links`."""
        from .links.analysis import link_report

        report = link_report(self.store, options)
        out = _links_result(report)
        if options.save and not self.read_only:
            from .links import store as links_store

            links_store.save(self.store.con, report, out.parameters)
        return out

    def kept_links(self) -> Result | None:
        """The last saved interlinkages run (see :meth:`links`) as the run returned it, at its level,
        with ``run at`` in its summary; None when the store keeps none."""
        from .links import store as links_store

        kept = links_store.load(self.store.con)
        return None if kept is None else _links_result(kept[0], run_at=kept[1])

    def kept_link_pairs(self, series: Sequence[str], limit: int = 10) -> pd.DataFrame:
        """The kept series-level pairs naming any of ``series`` classed synergy or trade-off, strongest
        (largest |rho|) first, at most ``limit``: ``DataFrame(area, series_a, series_b, n, rho, p,
        p_adj, class)``; empty when the kept run is not at series level or keeps none."""
        from .links import store as links_store

        return links_store.pairs_of(self.store.con, list(series), limit).drop(columns="position")

    def kept_indicator_links(self, area: str | None = None, k: int = 5) -> pd.DataFrame:
        """Per SDG indicator, its ``k`` strongest synergies and ``k`` strongest trade-offs with other
        indicators in the kept series-level interlinkages (``area``'s pairs when the run has that
        area): ``DataFrame(indicator, other, series, other_series, area, n, rho, class)``; empty when
        the kept run is not at series level or the store keeps none."""
        from .links import store as links_store

        return links_store.indicator_links(self.store.con, self.store.series_indicator_links(), area, k)

    @staticmethod
    def cluster(parquet: str | Path, *, scheduler: str | None = None, local_workers: int = 2) -> Cluster:
        """Where :meth:`links` and :meth:`assess` run over an export of a store on a Dask cluster:
        ``Workspace.cluster("export/", scheduler="tcp://host:8786").links(level="goal")``."""
        return Cluster(parquet, scheduler=scheduler, local_workers=local_workers)

    @staticmethod
    def expert_links(matrix: str | Path) -> Result:
        """Influence of each node of an expert cross-impact matrix CSV (Nilsson's 7-point scale; see
        docs/methods/interlinkages.md). Needs no store."""
        from .links.expert import analyse_matrix, read_matrix

        result = analyse_matrix(read_matrix(matrix))
        m = result.meta
        return Result(
            analysis="expert links",
            method=str(m["method"]),
            parameters={"matrix": str(m["source"])},
            tables={"nodes": result.nodes},
            data_window={},
            summary={
                "nodes": m["nodes"],
                "links": m["links"],
                "positive": m["positive_links"],
                "negative": m["negative_links"],
            },
            description=f"Cross-impact matrix {m['source']} ({m['level']} level)",
            notes=result.describe(),
        )

    @staticmethod
    def tag(
        texts: str | Sequence[str],
        *,
        method: str = "auto",
        max_goals: int | None = None,
        threshold: float | None = None,
        labels: Sequence[str] | None = None,
        max_chars: int | None = None,
    ) -> Result:
        """SDGs (and best target) of each text, with evidence (see docs/methods/tagging.md). Tagging
        needs no store, so ``Workspace.tag(...)`` works without opening one. ``labels`` name the texts
        in warnings (e.g. 'FILE, line N'); ``max_chars`` cuts each text's plain text shorter than
        the tagger's limit. Tables: ``tags`` (one row per text and SDG) and ``untagged``
        (one row per text with no SDG: reason, language, closest goal and probability, message)."""
        from .tagging import tag_texts
        from .tagging.inputs import MAX_CHARS
        from .tagging.tagger import DEFAULT_MAX_GOALS, UNTAGGED_COLUMNS

        frame = tag_texts(
            texts,
            method=method,
            max_goals=max_goals or DEFAULT_MAX_GOALS,
            threshold=threshold,
            labels=list(labels) if labels is not None else None,
            max_chars=MAX_CHARS if max_chars is None else max_chars,
        )
        attrs = frame.attrs
        return Result(
            analysis="tagging",
            method=f"SDG tagging ({attrs.get('method')}, {attrs.get('model')})",
            parameters={
                "method": attrs.get("method"),
                "thresholds": attrs.get("thresholds"),
                "max_goals": attrs.get("max_goals"),
            },
            tables={"tags": frame, "untagged": pd.DataFrame(attrs.get("untagged") or [], columns=UNTAGGED_COLUMNS)},
            summary={"texts": attrs.get("n_texts"), "tags": len(frame), "untagged": len(attrs.get("untagged") or [])},
            description=f"SDG tagging of {attrs.get('n_texts')} text(s)",
            notes=list(attrs.get("warnings") or []),
        )

    def cities(self, cities: str | Sequence[str], *, targets: str | Path | pd.DataFrame | None = None) -> Result:
        """U4SSC city KPIs scored against targets: one city (tables kpis, rollups) or several side by
        side (side_by_side, kpis, rollups); see docs/methods/cities.md."""
        from .cities import city_result

        return city_result(self.store, cities if isinstance(cities, str) else list(cities), targets)

    city_import = _on_the_store(city_importer.import_city)  # a U4SSC return checked and stored in its dataset

    def city_score(self, city: str, *, targets: str | Path | pd.DataFrame | None = None) -> CityScore:
        """One city's U4SSC scores (a ``CityScore``: per KPI, roll-ups, the report's figures)."""
        from .cities import city_score

        return city_score(self.store, city, targets)

    def city_report(self, city: str, path: str | Path, *, targets: str | Path | pd.DataFrame | None = None) -> Path:
        """Write a city's report as .html or .pdf."""
        from .cities import city_report

        return city_report(self.store, city, path, targets)

    def city_report_html(self, city: str, *, targets: str | Path | pd.DataFrame | None = None) -> str:
        """A city's report page as HTML (the web app serves it at /cities/CITY)."""
        from .cities.api import city_report_html

        return city_report_html(self.store, city, targets)

    def city_report_context(self, score: CityScore) -> dict:
        """What a city's report says (figures, tables, the wheel chart, SDG links), for a page to lay out."""
        from .cities.report import report_context, sdg_links

        return report_context(score, sdg_links(self.store))

    def city_compare(self, cities: Sequence[str], *, targets: str | Path | pd.DataFrame | None = None) -> Comparison:
        """Several cities side by side (a ``Comparison``)."""
        from .cities import city_compare

        return city_compare(self.store, list(cities), targets)

    @staticmethod
    def city_template(path: str | Path, year: int | None = None) -> Path:
        """Write the U4SSC collection template (.xlsx or .csv): one row per KPI or data point."""
        from .cities import city_template

        return city_template(path, year)

    @staticmethod
    def city_targets() -> pd.DataFrame:
        """The shipped default U4SSC targets, each with its source (copy and edit them for ``targets=``)."""
        from .cities.targets import default_targets

        return default_targets()

    def list_cities(self) -> pd.DataFrame:
        """Cities in the store with how many U4SSC values each holds."""
        from .cities import list_cities

        return list_cities(self.store)

    def progress_chart(
        self,
        output: str | Path,
        *,
        area: str = "1",
        method: str = "unsd",
        targets: str | Path | pd.DataFrame | None = None,
    ) -> list[Path]:
        """Write the SDG Report progress chart of ``area`` as ``output``.svg, .png and .html."""
        from .progress.chart import write_chart

        return write_chart(self.store, output, area=area, method=method, targets=targets)

    def build_demo(self) -> tuple[LoadReport, Result]:
        """Load the demo subset of the UN database shipped with the package and keep a progress
        assessment; the load report and the assessment."""
        from .demo import build

        return build(self)

    @property
    def upgraded(self) -> list[int]:
        """The schema migrations this open applied (``sdgtrack upgrade``)."""
        return list(self.store.upgraded)

    # -- the framework and its crosswalks --------------------------------------------------------
    def framework_node(self, code: str) -> dict:
        """One node of any framework (SDG goal/target/indicator, U4SSC KPI, WSIS action line): title,
        ancestors, children, series and translations (SDG), and its crosswalk links."""
        from .frameworks import crosswalk, sdg

        framework, found = crosswalk.find_node(self.store.con, code)
        node = sdg.node(self.store.con, found["code"] if framework != "sdg" else code, framework=framework)
        node["framework"] = framework
        node["links"] = crosswalk.node_links(self.store.con, framework, node["code"]).to_dict("records")
        return node

    def framework_nodes(
        self,
        *,
        level: str | None = None,
        parent: str | None = None,
        framework: str = "sdg",
        include_retired: bool = False,
    ) -> pd.DataFrame:
        """The nodes of a framework (default: SDG goals, targets and indicators) in reading order."""
        from .frameworks import sdg

        return sdg.list_nodes(
            self.store.con, level=level, parent=parent, framework=framework, include_retired=include_retired
        )

    def frameworks(self) -> list[str]:
        from .frameworks import crosswalk

        return crosswalk.frameworks(self.store.con)

    def crosswalk_links(self, from_framework: str | None = None, to_framework: str | None = None) -> pd.DataFrame:
        from .frameworks import crosswalk

        return crosswalk.links(self.store.con, from_framework, to_framework)

    def import_crosswalk(self, path: str | Path) -> dict:
        """Load links between frameworks from a CSV; re-loading adds nothing. Counts read/new/unchanged."""
        from .frameworks import crosswalk

        return crosswalk.import_crosswalk(self.store.con, path)

    def crosswalk_counts(self, framework: str = "wsis", *, of: str = "contributions") -> pd.DataFrame:
        """Contributions or U4SSC KPIs per node of ``framework``, through the nodes' SDG links."""
        from .errors import UserInputError
        from .frameworks import crosswalk

        known = self.frameworks()
        if framework not in known:
            raise UserInputError(f"framework {framework!r}: expected one of {', '.join(known)}")
        if of == "contributions":
            goals = self.contributions.goals()
            items = pd.DataFrame({"item": goals["record"], "goal": goals["goal"]})
        elif of == "u4ssc":
            kpis = self.crosswalk_links("u4ssc", "sdg")
            items = pd.DataFrame({"item": kpis["from_code"], "goal": kpis["to_code"].str.split(".").str[0]})
        else:
            raise UserInputError(f"of {of!r}: expected contributions or u4ssc")
        return crosswalk.count_by_goal(self.store.con, framework, items).rename(columns={"items": of})

    # -- accounts, change requests and audit (the live app's data entry; docs/web-entry.md) --------
    @property
    def accounts(self) -> Accounts:
        """Users and roles, sessions, API tokens, dataset owners (:class:`~sdgtrack.data_entry.Accounts`)."""
        from .data_entry import Accounts

        return Accounts(self)

    @property
    def review(self) -> Review:
        """Change requests: drafts, preview, submit, approve (through :meth:`ingest`) or reject."""
        from .data_entry import Review

        return Review(self)

    def audit(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        object: str | None = None,  # noqa: A002
        limit: int | None = None,
    ) -> pd.DataFrame:
        """The audit log, newest first: id, at_time, actor, action, object, before, after (JSON)."""
        from .store import audit

        with self.lock:
            return audit.entries(self.store.con, actor=actor, action=action, obj=object, limit=limit)

    def audit_csv(self) -> str:
        """The whole audit log as CSV text (id, at_time, actor, action, object, before, after)."""
        from .store import audit

        return audit.csv_text(self.audit())

    @property
    def contributions(self) -> Registry:
        """The contributions registry (questionnaire answers as records)."""
        from .contributions import Registry

        return Registry(self.store)


class Cluster:
    """The analyses that grow with areas x series, over an export of a store (``export_parquet``)
    on a Dask cluster: the scheduler at ``scheduler`` (``tcp://host:8786``), else a local cluster of
    ``local_workers`` processes. Each takes the options of the workspace's own (without ``save``)
    and returns the same tables as it does on the store the export came from; kept nowhere
    (docs/scale.md). Needs no open store."""

    def __init__(self, parquet: str | Path, *, scheduler: str | None = None, local_workers: int = 2) -> None:
        self.parquet = Path(parquet)
        self.scheduler = scheduler
        self.local_workers = local_workers

    @_asked_with(LinkOptions)
    def links(self, options: LinkOptions) -> Result:
        """:meth:`Workspace.links` on the cluster."""
        from .cluster.run import run_links

        report, info = run_links(self.parquet, options, scheduler=self.scheduler, local_workers=self.local_workers)
        out = _links_result(report)
        out.notes = [*out.notes, info.line()]
        return out

    @_asked_with(ProgressOptions)
    def assess(self, options: ProgressOptions) -> Result:
        """:meth:`Workspace.assess` on the cluster."""
        from .cluster.run import run_progress

        frame, info = run_progress(self.parquet, options, scheduler=self.scheduler, local_workers=self.local_workers)
        out = _assessment_result(frame, options.level)
        out.notes = [*out.notes, info.line()]
        return out


def _assessment_result(frame: pd.DataFrame, level: str) -> Result:
    """A fresh progress assessment (rolled up to ``level``) as a Result."""
    attrs = frame.attrs
    return _progress_result(
        attrs,
        level,
        frame,
        {"target rows": attrs.get("target_rows")},
        f"{attrs.get('title')}: every headline series x area with a target, rolled up to {level}",
    )


def _progress_result(attrs: dict, level: str, table: pd.DataFrame, summary: dict, description: str) -> Result:
    """A progress assessment (its series frame's ``attrs``) as a Result: a fresh run or the kept one."""
    return Result(
        analysis="progress",
        method=f"{attrs.get('title')} ({attrs.get('method')})",
        parameters={**attrs.get("parameters", {}), "level": level},
        tables={level: table},
        data_window=dict(attrs.get("data_window") or {}),
        datasets=dict(attrs.get("datasets") or {}),
        summary={"series x areas": attrs.get("pairs"), "assessed": attrs.get("assessed"), **summary},
        description=description,
    )


def _index_result(result: IndexResult, run_at: str | None = None) -> Result:
    """An SDG Index run as a Result: a fresh run, or the kept one (``run_at``: when it was saved)."""
    m = result.method
    summary = {
        "areas": m["areas"],
        "areas with an index": m["areas_with_index"],
        "indicators": m["indicators"],
        "index indicators": m["index_indicators"],
    }
    return Result(
        analysis="index",
        method=m["method"],
        parameters={
            "codebook": m["codebook"],
            "regions": m["regions"],
            "year": m["year"],
            "max_missing": m["max_missing"],
            "trend_start": m["trend_start"],
            "target_year": m["target_year"],
        },
        tables={"areas": result.areas, "indicators": result.indicators, "excluded": result.excluded},
        data_window={"values": m["data_window"]},
        datasets=dict(m.get("datasets", {})),
        summary=summary if run_at is None else {**summary, "run at": run_at},
        description=result.describe(),
        charts={"dashboard": lambda path: _write_dashboard(result, path)},
    )


def _links_result(report: LinkReport, run_at: str | None = None) -> Result:
    """An interlinkages run as a Result: a fresh run, or the kept one (``run_at``: when it was saved)."""
    meta = report.meta
    level = meta["level"]
    window = meta.get("window")
    summary = {k: meta.get(k) for k in ("areas", "series", "pairs", "tests", "synergies", "tradeoffs")}
    return Result(
        analysis="links",
        method=str(meta.get("method")),
        parameters={**meta.get("parameters", {}), "level": level},
        tables={level: report.table, "top_goal_pairs": report.top, "goal_pairs": report.goals},
        data_window={"years": list(window) if window else None},
        datasets=dict(meta.get("datasets", {})),
        summary=summary if run_at is None else {**summary, "run at": run_at},
        description=f"{meta.get('method')}, {meta.get('transform')}; {meta.get('classification')}",
        notes=report.describe_lines(),
        charts={
            "heatmap": lambda path: _links_chart("heatmap", report, path),
            "network": lambda path: _links_chart("goal_network_chart", report, path),
        },
    )


def _write_dashboard(result: IndexResult, path: Path) -> Path:
    from .index.chart import write_dashboard

    return write_dashboard(result, path)


def _links_chart(kind: str, report: LinkReport, path: Path) -> Path:
    from .links import charts

    return charts.save(getattr(charts, kind)(report.goals, report.meta), path)
