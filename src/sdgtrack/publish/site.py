"""The site as a set of files, each rendered on demand, and the registry of their producers.

A producer is a function ``(site) -> Iterable[SiteFile]`` registered with :func:`producer`.
Listing files must be cheap (no rendering): the live server looks one path up among them, and
the static build compares each file's ``key`` with the key it wrote last time, rendering only
the files whose key changed. A key is a fingerprint of everything the bytes depend on (store
content feeding the file, language, options, sdgtrack version): same key, same bytes.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ..workspace import Workspace

# media types the standard table lacks, for the live server's responses
mimetypes.add_type("application/geo+json", ".geojson")
mimetypes.add_type("application/vnd.apache.parquet", ".parquet")

Producer = Callable[["Site"], Iterable["SiteFile"]]
PRODUCERS: list[Producer] = []


def producer(function: Producer) -> Producer:
    """Register a producer of site files (pages, data outputs, assets)."""
    PRODUCERS.append(function)
    return function


@dataclass(frozen=True)
class SiteOptions:
    langs: tuple[str, ...] = ("en",)
    title: str | None = None  # None: "SDG data for" and the site's area (Site.title)
    base_url: str = "/"
    datasets: tuple[str, ...] | None = None  # None: every dataset, by the store's preference
    boundaries: Path | None = None  # GeoJSON of sub-national areas, when given
    area: str | None = None  # the site's country (any name the resolver knows); None: see Site.area
    all_areas: bool = False  # publish every area's data, not only the site's area and its parts

    def __post_init__(self):
        # the API takes what the CLI takes: `zh` is the site's zh-Hans
        object.__setattr__(self, "langs", tuple(LANGUAGE_ALIASES.get(lang, lang) for lang in self.langs))


@dataclass(frozen=True)
class SiteFile:
    path: str  # POSIX path under the site root, e.g. "en/data/3-2-1.csv" or "en/goals/3/index.html"
    render: Callable[[], bytes] = field(compare=False, repr=False)
    key: str  # fingerprint of every input of the bytes
    about: str | None = field(default=None, compare=False)  # the indicator code the file shows, if one:
    # a build about to render many indicators' files reads their rows in one query (Site.prefetch)

    @property
    def media_type(self) -> str:
        kind, _ = mimetypes.guess_type(self.path)
        if kind and (kind.startswith("text/") or kind in ("application/json", "application/javascript")):
            return f"{kind}; charset=utf-8"
        return kind or "application/octet-stream"


def check_langs(langs) -> tuple[str, ...]:
    """The languages asked for, refused unless the shipped translations have them (one message)."""
    from ..errors import UserInputError
    from ..vocabulary import LANGUAGES

    # `zh` is what people type for Chinese; the translations (and the site's folder) say zh-Hans
    langs = tuple(dict.fromkeys(LANGUAGE_ALIASES.get(lang, lang) for lang in langs))
    unknown = [lang for lang in langs if lang not in LANGUAGES]
    if unknown or not langs:
        raise UserInputError(
            f"--lang {','.join(unknown) or '(none)'}: expected languages of the shipped translations, "
            f"comma-separated: {', '.join(LANGUAGES)} (zh stands for zh-Hans)"
        )
    return langs


LANGUAGE_ALIASES = {"zh": "zh-Hans"}


def slug(code: str) -> str:
    """The file name of an indicator, target or goal code in the published layout: ``3.2.1`` -> ``3-2-1``."""
    return code.replace(".", "-")


class Site:
    """What every producer reads: the workspace and the options (plus caches producers share).

    Helpers every producer (data outputs and pages) uses, so they agree on what exists and when it
    changed: :meth:`indicators` (SDG indicators with data, in framework order), :meth:`indicator_key`
    and :meth:`store_key` (fingerprints), :meth:`key` (a file key from its parts), :meth:`rows`
    (an indicator's observations), :meth:`titles` (titles in a language), :meth:`content` (another
    file's bytes, rendered once per build or reused from the last build).
    """

    slug = staticmethod(slug)  # site.slug("3.2.1") == "3-2-1", for templates

    def __init__(self, workspace: "Workspace", options: SiteOptions | None = None):
        self.workspace = workspace
        self.options = options or SiteOptions()
        self.cache: dict[str, object] = {}  # producers memoise shared reads here, per build or request
        self._rows: dict[str, pd.DataFrame] = {}  # indicator -> its rows, read once
        self._content: dict[str, bytes] = {}  # file key -> bytes, rendered once
        # set by the static build: (path, key) -> the bytes written at the last build when its key
        # was the same, else None; lets site-wide files (zip, all.json) reuse unchanged files
        self.previous: Callable[[str, str], bytes | None] | None = None

    # -- what exists and when it changed ----------------------------------------------------------
    def memo(self, name: str, make: Callable[[], object]):
        """``make()``, once per site (a build or a request): shared reads producers all need."""
        if name not in self.cache:
            self.cache[name] = make()
        return self.cache[name]

    def _state(self) -> dict:
        return self.memo("_state", self.workspace.store_state)  # type: ignore[return-value]

    # -- whose data the site publishes -------------------------------------------------------------
    def area(self) -> str | None:
        """The site's area (stored code): ``--area`` as given; else the main area (most headline
        rows) of the preferred national or sub-national dataset: the one ``datasets prefer`` put
        first, else the largest, then by id (never the one loaded last); else the World."""
        return self.area_choice()[0]

    def area_choice(self) -> tuple[str | None, str]:
        """(area, why): the site's area and the reason, in words, for the build's summary."""

        def make():
            ws = self.workspace
            if self.options.area:
                return ws.resolve_area(self.options.area), "given with --area"
            mains = ws.main_areas()
            if self.options.datasets:
                mains = mains[mains["dataset"].isin(self.options.datasets)]
                order = {d: i for i, d in enumerate(self.options.datasets)}
                mains = mains.assign(_o=mains["dataset"].map(order)).sort_values("_o", kind="stable")
            if len(mains):
                first = mains.iloc[0]
                others = sorted(set(mains["area"]) - {first["area"]})
                why = f"main area of {first['dataset']}, the preferred national dataset"
                if others:
                    why += (
                        f" (other national data: {', '.join(others)}; choose with --area or `sdgtrack datasets prefer`)"
                    )
                return str(first["area"]), why
            return ("1", "no national dataset: the World") if ws.area_names(["1"]) else (None, "no area")

        return self.memo("_area", make)  # type: ignore[return-value]

    def title(self) -> str:
        """The site's title: the one given, else "SDG data for" and the site's area's name."""

        def make():
            if self.options.title:
                return self.options.title
            area = self.area()
            name = self.workspace.area_names([area]).get(area) if area else None
            return f"SDG data for {name}" if name else "SDG data"

        return self.memo("_title", make)  # type: ignore[return-value]

    def published_areas(self) -> list[str] | None:
        """The areas whose rows the site publishes: its area and every area under it (provinces,
        regions, cities), which also holds the other datasets' rows compared with them; None (every
        area) with ``all_areas``, for a World site, or when the site has no area."""

        def make():
            area = self.area()
            # a World site reports on every area (groups such as LDC and SIDS have no parent chain to it)
            if self.options.all_areas or area is None or area == "1":
                return None
            return self.workspace.area_and_parts(area)

        return self.memo("_published_areas", make)  # type: ignore[return-value]

    def _fingerprints(self) -> dict[str, list[tuple]]:
        """Indicator -> [(series, dataset, last_load, rows, meta)] for the datasets the site shows."""

        def make():
            wanted = set(self.options.datasets) if self.options.datasets else None
            out: dict[str, list[tuple]] = {}
            # an archived indicator's series serve no SDG indicator: they are its own
            archived_of = {s: i for i, s in self.workspace.archived_series()} if self.archived() else {}
            for indicator, *rest in self.workspace.series_fingerprints(self.published_areas()):
                indicator = indicator or archived_of.get(rest[0])
                if indicator is None or (wanted is not None and rest[1] not in wanted):
                    continue
                out.setdefault(indicator, []).append(tuple(rest))
            return out

        return self.memo("_fingerprints", make)  # type: ignore[return-value]

    def indicators(self) -> list[str]:
        """Codes (``3.2.1``) of the current SDG indicators with at least one observation in the
        datasets the site shows, in the order of the official list."""

        def make():
            fingerprints = self._fingerprints()
            with_rows = {code for code, parts in fingerprints.items() if any(p[3] for p in parts)}
            return [code for code, level, _, _ in self.nodes() if level == "indicator" and code in with_rows]

        return self.memo("_indicators", make)  # type: ignore[return-value]

    def archived_table(self) -> pd.DataFrame:
        """The archived indicators of the datasets the site shows (an Open SDG repository's
        ``archived-*`` files), one row per id (the first dataset's): indicator, number, title,
        archive_type, tier, dataset, in the order of their former numbers. They are published as
        sdg-build does and listed on the archive page, never on goal pages or in the statistics."""

        def make():
            frame = self.workspace.archived_indicators(self.options.datasets)
            return frame.drop_duplicates("indicator").reset_index(drop=True)

        return self.memo("_archived", make)  # type: ignore[return-value]

    def archived(self) -> list[str]:
        """Ids (``archived-1-a-1``) of the archived indicators the site publishes (:meth:`archived_table`)."""
        return self.memo("_archived_ids", lambda: [str(c) for c in self.archived_table()["indicator"]])  # type: ignore[return-value]

    def archived_with_data(self) -> list[str]:
        """The archived indicators with at least one observation on the site (the rest have empty files)."""

        def make():
            fingerprints = self._fingerprints()
            return [c for c in self.archived() if any(p[3] for p in fingerprints.get(c, []))]

        return self.memo("_archived_with_data", make)  # type: ignore[return-value]

    def nodes(self) -> list[tuple[str, str, str | None, str]]:
        """(code, level, parent, English title) of the current SDG goals, targets and indicators, in order."""
        return self.memo("_nodes", lambda: self.workspace.current_nodes("sdg"))  # type: ignore[return-value]

    def titles(self, lang: str) -> dict[str, tuple[str, str | None]]:
        """Code -> (title, short title or None) in ``lang`` (shipped translations; English where none)."""
        return self.memo(f"_titles:{lang}", lambda: self.workspace.titles_in(lang))  # type: ignore[return-value]

    def _base(self) -> tuple:
        """What every key holds: the version, the options that change bytes, the store's reference
        data and areas (names, parents: a change there may change any file). Datasets are not here:
        an indicator's key holds the datasets feeding it, so adding a dataset changes only those."""
        import sdgtrack

        def make():
            state = self._state()
            options = self.options
            boundaries = _file_digest(options.boundaries) if options.boundaries else ""
            return (
                sdgtrack.__version__,
                self.title(),
                options.base_url,
                options.datasets,
                boundaries,
                options.all_areas,
                self.area(),
                state["reference"],
                state["areas"],
            )

        return self.memo("_base", make)  # type: ignore[return-value]

    def indicator_key(self, code: str) -> str:
        """Fingerprint of everything the store gives about indicator ``code``: for each series and
        dataset feeding it, the last load that touched it and its row count; plus :meth:`_base`.
        It changes when a load, replace or removal touches one of its series, and only then."""

        def make():
            fingerprints = sorted(self._fingerprints().get(code, []))
            return _digest(
                (
                    "indicator",
                    code,
                    self._base(),
                    fingerprints,
                    self._dataset_facts(sorted({p[1] for p in fingerprints})),
                )
            )

        return self.memo(f"_indicator_key:{code}", make)  # type: ignore[return-value]

    def _dataset_facts(self, ids: list[str]) -> list[tuple]:
        """What a file may show of these datasets (title, publisher, kind, licence) and their order of
        preference (which one the reads pick where two give a series for an area)."""
        facts, preference = self._dataset_table()
        known = [d for d in ids if d in facts]
        if self.options.datasets:  # the order given to the site, not the store's
            given = list(self.options.datasets)
            order = sorted(known, key=lambda d: given.index(d) if d in given else len(given))
        else:  # their order among themselves: a dataset added elsewhere in the list changes nothing here
            order = sorted(known, key=lambda d: preference[d])
        return [tuple(order)] + [facts[d] for d in known]

    def _dataset_table(self) -> tuple[dict[str, tuple], dict[str, int]]:
        """Per dataset: (id, title, publisher, kind, licence) as text, and its preference; read out of
        the table once per site (every indicator's key needs them)."""

        def make():
            table = self.datasets()
            columns = ("title", "publisher", "kind", "licence")
            facts = {
                str(d): (d, *(str(v) for v in values))
                for d, values in zip(table.index, zip(*(table[c].tolist() for c in columns)))
            }
            preference = {str(k): int(v) for k, v in table["preference"].items()}
            return facts, preference

        return self.memo("_dataset_table", make)  # type: ignore[return-value]

    # -- national metadata (Open SDG meta files kept by the store) ----------------------------------
    def _metadata_fingerprints(self) -> dict[str, list[tuple[str, int]]]:
        """Indicator -> [(dataset, hash of its metadata)] for the datasets the site shows."""

        def make():
            wanted = set(self.options.datasets) if self.options.datasets else None
            out: dict[str, list[tuple[str, int]]] = {}
            for indicator, dataset, digest in self.workspace.metadata_fingerprints():
                if wanted is None or dataset in wanted:
                    out.setdefault(indicator, []).append((dataset, digest))
            return out

        return self.memo("_metadata_fingerprints", make)  # type: ignore[return-value]

    def has_metadata(self, code: str) -> bool:
        """Whether a dataset the site shows has national metadata for indicator ``code``."""
        return code in self._metadata_fingerprints()

    def metadata_key(self, code: str) -> str:
        """Fingerprint of indicator ``code``'s national metadata in the datasets the site shows (and
        their order of preference): part of the keys of the files that show it (its pages and
        ``meta/`` files), not of its data files, so a metadata change rewrites only those."""
        parts = sorted(self._metadata_fingerprints().get(code, []))
        return _digest(("metadata", code, parts, self._dataset_facts([d for d, _ in parts]) if parts else []))

    def start_values_key(self, code: str) -> str:
        """Fingerprint of the selection the sources open indicator ``code`` on (``data_start_values``):
        a step of the headline-series rule, so part of the keys of the pages showing headline figures."""

        def make():
            datasets = list(self.options.datasets) if self.options.datasets else None
            out: dict[str, list[tuple]] = {}
            for row in self.workspace.start_values(datasets).itertuples(index=False):
                out.setdefault(row.indicator, []).append((row.dataset, row.field, row.value, row.position))
            return out

        values = self.memo("_start_values", make)
        return _digest(("start", code, sorted(values.get(code, []))))  # type: ignore[union-attr]

    def metadata_keys(self) -> str:
        """Fingerprint of the national metadata of every indicator the site shows (``meta/all.json``)."""
        return self.memo(
            "_metadata_keys",
            lambda: _digest(("metadata", [(c, self.metadata_key(c)) for c in self.indicators()])),  # type: ignore[return-value]
        )

    def indicators_key(self) -> str:
        """Fingerprint of every indicator the site shows (the list and each :meth:`indicator_key`): the
        key part of files that gather all indicators (all.json, the zip, the reporting status)."""
        return self.memo(
            "_indicators_key",
            lambda: _digest(  # type: ignore[return-value]
                ("indicators", [(c, self.indicator_key(c)) for c in self.indicators()])
            ),
        )

    def coverage(self) -> pd.DataFrame:
        """Per indicator the site shows: rows, series, areas (and their codes), first and last year,
        disaggregated rows and the disaggregation names (one store read, memoised)."""
        return self.memo(
            "_coverage",
            lambda: self.workspace.indicator_coverage(  # type: ignore[return-value]
                self.options.datasets, self.published_areas()
            ).set_index("indicator"),
        )

    def datasets(self) -> pd.DataFrame:
        """The store's datasets (title, publisher, kind, licence, preference ...), indexed by id."""
        return self.memo("_datasets", lambda: self.workspace.datasets().set_index("id"))  # type: ignore[return-value]

    def indicator_sources(self, code: str) -> list[tuple[str, str]]:
        """(series, dataset) pairs with current rows feeding indicator ``code``, in code order."""
        return sorted({(p[0], p[1]) for p in self._fingerprints().get(code, []) if p[3]})

    def store_key(self) -> str:
        """Fingerprint of the whole store as the site shows it (changes with any load)."""
        state = self._state()
        return _digest(
            (
                "store",
                self._base(),
                state["last_load"],
                state["datasets"],
                state["preference"],
                sorted((c, sorted(p)) for c, p in self._fingerprints().items()),
            )
        )

    def key(self, *parts) -> str:
        """A file key from its parts (kind, language, :meth:`indicator_key` ...), with the version
        and the options always included."""
        return _digest(("file", self._base(), parts))

    # -- what producers render from ---------------------------------------------------------------
    def rows(self, code: str) -> pd.DataFrame:
        """Every observation of indicator ``code`` the site shows (all disaggregations, one dataset per
        series and area as the store picks), as :meth:`Workspace.observations` returns them."""
        if code not in self._rows:
            self._read([code])
        return self._rows[code]

    def rows_read(self) -> list[pd.DataFrame]:
        """The rows of every indicator read so far (a build has prefetched them all)."""
        return list(self._rows.values())

    def prefetch(self, codes: Iterable[str]) -> None:
        """Read the rows of many indicators in one query (a build about to render them all)."""
        wanted = [c for c in dict.fromkeys(codes) if c not in self._rows]
        if len(wanted) >= 2:
            self._read(wanted)

    def _read(self, wanted: list[str]) -> None:
        """The rows of indicators ``wanted`` (of the areas the site publishes) in one query (and one
        for the archived indicators among them)."""
        archived = set(self.archived()) & set(wanted)
        current = [c for c in wanted if c not in archived]
        frame = self.workspace.indicator_observations(
            current, datasets=self.options.datasets, areas=self.published_areas()
        )
        frame = self._where_the_source_puts_them(frame)
        if archived:
            more = self.workspace.archived_observations(
                sorted(archived), datasets=self.options.datasets, areas=self.published_areas()
            )
            frame = pd.concat([frame, more], ignore_index=True) if len(frame) else more
        indicator = frame.pop("indicator").to_numpy()
        # text columns as Python objects once, so producers slicing them per indicator copy nothing
        frame = frame.astype({c: object for c in frame.columns if frame[c].dtype == "str"})
        # rows come ordered by indicator: cut the frame at each change of code
        starts = (
            np.flatnonzero(np.r_[True, indicator[1:] != indicator[:-1]]) if len(indicator) else np.array([], dtype=int)
        )
        ends = np.r_[starts[1:], len(indicator)].astype(int)
        for start, end in zip(starts.tolist(), ends.tolist()):
            self._rows[str(indicator[start])] = frame.iloc[start:end].reset_index(drop=True)
        for code in wanted:
            self._rows.setdefault(code, frame.iloc[0:0])

    def _where_the_source_puts_them(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Without the rows a source file places under other indicators than the row's: an Open SDG
        repository's SDMX message lists the series of each indicator (store ``source_columns``), and
        Rwanda gives 1.5.1 and 11.5.1 each their own series of the same figures, where the UN lists
        one series under both. Rows of other sources, and series the file lists nowhere, stay."""
        placed = self.memo("_placed_series", self._placed_series)
        assert isinstance(placed, tuple)
        allowed, listed, files = placed
        if not len(listed) or frame.empty:
            return frame
        mine = frame["source_file"].isin(files).to_numpy()
        if not mine.any():
            return frame
        part = frame[mine]
        file_series = part["source_file"].astype(str) + "\x1f" + part["series"].astype(str)
        triple = file_series + "\x1f" + part["indicator"].astype(str)
        keep = np.ones(len(frame), dtype=bool)
        keep[mine] = (~file_series.isin(listed) | triple.isin(allowed)).to_numpy()
        return frame if keep.all() else frame[keep].reset_index(drop=True)

    def _placed_series(self) -> tuple[pd.Index, pd.Index, pd.Index]:
        """(file, series, indicator) the source files place, the (file, series) they list, the files."""
        headers = self.workspace.source_columns(self.options.datasets)
        headers = headers[headers["series"].notna() & headers["indicator"].notna()]
        exploded = headers[["source_file", "indicator", "series"]].explode("series").dropna()
        pair = exploded["source_file"].astype(str) + "\x1f" + exploded["series"].astype(str)
        return (
            pd.Index(pair + "\x1f" + exploded["indicator"].astype(str)),
            pd.Index(pair.unique()),
            pd.Index(exploded["source_file"].unique()),
        )

    def content(self, file: "SiteFile") -> bytes:
        """The bytes of ``file``, rendered once per build (files of equal keys share them), or the
        bytes the last build wrote when the key has not changed since."""
        if file.key not in self._content:
            data = self.previous(file.path, file.key) if self.previous else None
            self._content[file.key] = file.render() if data is None else data
        return self._content[file.key]

    def files(self) -> Iterator[SiteFile]:
        _load_producers()
        for make in PRODUCERS:
            yield from make(self)

    def file(self, path: str) -> SiteFile | None:
        """The file at ``path`` (as in the site, no leading slash), or None."""
        path = path.lstrip("/")
        if path == "" or path.endswith("/"):
            path += "index.html"
        return next((f for f in self.files() if f.path == path), None)


def _digest(parts) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


def _file_digest(path: Path) -> str:
    try:
        return hashlib.blake2b(Path(path).read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return f"unreadable:{path}"


def _load_producers() -> None:
    """Import the modules whose producers register themselves (pages, data outputs, assets)."""
    import importlib
    import pkgutil

    # by name, as registries.py finds its members: the producers import this module, not the reverse
    for name in (f"{__package__}.outputs", f"{__package__}.pages"):
        package = importlib.import_module(name)
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{name}.{module.name}")
