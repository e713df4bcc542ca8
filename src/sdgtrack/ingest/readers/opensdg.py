"""Open SDG data repositories: one CSV per indicator (``data/indicator_3-2-2.csv``) + YAML metadata.

Accepts the repository folder, its ``data/`` folder, or one ``indicator_*.csv`` file. Mapping
(see docs/ingest.md):
- ``Year`` -> period, kept as written (``2021/22``, ``2000 Q1``); ``Value`` -> value.
- ``Series`` (or ``SERIES``) -> part of the series code; ``Units`` -> unit (else ``Unit measure``
  / ``UNIT_MEASURE``, else the metadata ``computation_units``); ``Unit multiplier`` Thousands /
  Millions / Billions is added to the unit when the unit does not already say it.
- attributes, never dimensions: ``Observation status`` -> obs_status, ``COMMENT_OBS*`` ->
  footnote, ``SOURCE_DETAIL`` -> source, ``GeoCode``, ``Progress`` and the repository's own
  ``non_disaggregation_columns`` / ``observation_attributes`` (config_data.yml).
- every other column is a disaggregation; a blank cell is the total.
- series code ``<ISO2>:<indicator>[:<series slug>]`` (``GB:3.2.2:neonatal-mortality-rate``):
  national series never collide with UN series codes (which have no colon) and are linked to
  their global indicator through the staged ``indicator``. Files of national indicators (an id
  that is not a global indicator, e.g. Rwanda's ``GDP1``) load as national series without an
  indicator link; ``archived-*`` files are skipped. Both are reported in the notes.
- area: the whole repository is one country: ``--area``, else config_data.yml
  (``sdmx_output_global.default_values.REF_AREA``, an SDMX input's ``REF_AREA|XX`` map), else the
  metadata's ``national_geographical_coverage``.
- SDMX inputs named by config_data.yml (Rwanda) are read with the SDMX reader and their DSD.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import duckdb

from ...errors import InvalidInputError, Problem, UserInputError
from ...frameworks import areas as area_ref
from ..canonical import CANONICAL_NAMES, blank_to_null, dims_sql, escape_dim, quote, sql_str, unescape_dim
from ..datasets import DatasetInfo, slug
from ..metadata import RepositoryMetadata, collect
from ..registry import ReadResult, register
from ..tables import csv_header, fix_lines, is_csv, leading_blank_lines, no_rows, why
from ..totals import choose_total

INDICATOR_FILE = re.compile(r"^indicator_(.+)\.csv$", re.IGNORECASE)
YEAR, VALUE = "year", "value"
SERIES_COLUMNS = ("series",)
UNIT_COLUMNS = ("units",)
UNIT_MEASURE_COLUMNS = ("unit measure", "unit_measure")
MULTIPLIER_COLUMNS = ("unit multiplier", "unit_mult")
STATUS_COLUMNS = ("observation status", "obs_status")
SOURCE_COLUMNS = ("source_detail",)
NATURE_COLUMNS = ("nature",)
# Columns Open SDG never treats as disaggregations (lower case); the repository may add more.
ATTRIBUTE_COLUMNS = {"geocode", "progress", "time_detail", "comment_ts", "unit_multiplier"}
FOOTNOTE_PREFIX = "comment_obs"
GEOCODE_COLUMNS = ("geocode",)
SLUG_MAX = 60
LABEL_MARK = "\x1f"  # separates prefix and Series label in interim series codes
STARTER_BRANDING = "SDG data build documentation"  # the Open SDG starter's text: says nothing of the source


def _repository_root(path: Path) -> Path:
    """The repository folder of a path: itself, or the repository holding a ``data/`` folder or file."""
    folder = path.parent if path.is_file() else path
    if not _is_repository(folder) and _is_repository(folder.parent):
        return folder.parent
    return folder


def _is_repository(folder: Path) -> bool:
    return any((folder / name).exists() for name in ("config_data.yml", "meta", "indicator-config"))


def _config(root: Path) -> dict:
    import yaml

    try:
        return yaml.load((root / "config_data.yml").read_text("utf-8"), Loader=_loader()) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}


def _licence(root: Path) -> str | None:
    try:
        with open(root / "LICENSE", encoding="utf-8", errors="replace") as f:
            return next((line.strip() for line in f if line.strip()), None)
    except OSError:
        return None


def _loader():
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _sdmx_inputs(root: Path, config: dict) -> list[tuple[Path, Path | None, dict]]:
    """(data message, DSD, the input's settings) for each SDMX input the repository's config declares."""
    out = []
    for spec in config.get("inputs") or []:
        if isinstance(spec, dict) and str(spec.get("class", "")).startswith("InputSdmxMl"):
            dsd = root / spec["dsd"] if spec.get("dsd") else None
            for f in sorted(root.glob(spec.get("path_pattern") or "sdmx-data/*.xml")):
                out.append((f, dsd if dsd and dsd.exists() else None, spec))
    return out


class OpenSdgReader:
    name = "opensdg"
    # sdg-build publishes every row of a key given two values (a file missing the column that
    # tells them apart): the store keeps them too, as variants (loader._collapse_keys)
    keeps_conflicting_rows = True
    summary = "Open SDG repository"
    description = (
        "Open SDG data repository (folder with data/indicator_*.csv and meta/), its data/ folder, "
        "or one indicator_*.csv"
    )
    priority = 10

    def detect(self, path: Path) -> bool:
        if path.is_dir():
            if any(path.glob("data/indicator_*.csv")) or any(path.glob("indicator_*.csv")):
                return True
            return (path / "config_data.yml").exists() and bool(_sdmx_inputs(path, _config(path)))
        if not (is_csv(path) and INDICATOR_FILE.match(path.name)):
            return False
        header = {c.lower() for c in csv_header(path)}
        return YEAR in header and VALUE in header

    def read(self, con, path: Path, staging: str, options: dict) -> ReadResult:
        result = ReadResult()
        root = _repository_root(path)
        config = _config(root) if (root / "config_data.yml").exists() else {}
        files, skipped = self._data_files(path, root, config)
        meta = RepositoryMetadata(root, config)
        area = self._area(con, path, root, config, meta, options)
        iso2 = con.execute("SELECT coalesce(iso2, code) FROM area WHERE code = ?", [area]).fetchone()[0]
        global_indicators = dict(
            con.execute(
                "SELECT code, title FROM framework_node WHERE framework = 'sdg' AND level = 'indicator'"
            ).fetchall()
        )
        extra_attributes = {
            str(c).lower()
            for key in ("non_disaggregation_columns", "observation_attributes")
            for c in (config.get("indicator_options") or {}).get(key) or []
        }

        # The country's own names, as a disaggregation value, mean the national total (not its ISO
        # codes: a two-letter value such as "CA" may mean something else in a column).
        country_names = frozenset(
            n for n in [*con.execute("SELECT name FROM area WHERE code = ?", [area]).fetchone(), *meta.coverage()] if n
        )
        read = []
        headers: dict[str, list[str]] = {}
        # The files are small: one thread per statement stages them ~3x faster than DuckDB's
        # parallel plan, whose start-up dominates each INSERT. Restored after the loop.
        threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
        con.execute("SET threads = 1")
        try:
            for file in files:
                ident = _indicator_id(file)
                code = ident.replace("-", ".")
                try:
                    headers[str(file)] = self._read_file(
                        con,
                        file,
                        staging,
                        area=area,
                        prefix=f"{iso2}:{code}",
                        indicator=code if code in global_indicators else None,
                        meta={"title": global_indicators.get(code), **meta.get(ident)},
                        extra_attributes=extra_attributes,
                    )
                except InvalidInputError as exc:
                    result.problems += exc.problems
                    continue
                read.append((file, code))
        finally:
            con.execute(f"SET threads = {int(threads)}")
        totals_found = _stage_text_totals(
            con, staging, {str(f): meta.get(_indicator_id(f)).get("data_start_values") for f, _ in read}, country_names
        )
        # a GeoCode is the country's own only under the country's name (the area's, a short form of
        # it, the coverage the metadata gives most): "England" is also a coverage of UK indicators
        own_names = frozenset(
            [con.execute("SELECT name FROM area WHERE code = ?", [area]).fetchone()[0], *meta.coverage()[:1]]
        )
        geo_areas, geo_rows = _stage_geocode_areas(con, staging, [str(f) for f, _ in read], area, iso2, own_names)
        result.areas += geo_areas
        _finish_series_codes(con, staging)
        # Rows with a blank Value are staged too (the loader counts them); a file "has data" when
        # one of its rows has a value.
        with_values = dict(
            con.execute(
                f"SELECT source_file, count(*) FILTER (WHERE nullif(trim(value_raw), '') IS NOT NULL) FROM {staging} "
                "WHERE source_file IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1",
                [[str(f) for f, _ in read]],
            ).fetchall()
        )
        result.tables = [(str(f), code, headers[str(f)], bool(with_values.get(str(f)))) for f, code in read]
        loaded = [code for f, code in read if with_values.get(str(f))]
        empty = [code for f, code in read if not with_values.get(str(f))]
        staged = dict(
            con.execute(
                f"SELECT source_file, count(*) FROM {staging} WHERE source_file IN "
                "(SELECT unnest(?::VARCHAR[])) GROUP BY 1",
                [[str(f) for f, _ in read]],
            ).fetchall()
        )
        # In a repository, header-only files are indicators not reported yet (noted below); a file
        # named alone, or a repository without a single row, is an error.
        if path.is_file() and read and not staged.get(str(path)):
            raise no_rows(path)
        national = [code for code in loaded if code not in global_indicators]

        for message, dsd, spec in _sdmx_inputs(root, config) if path.is_dir() else []:
            from .sdmx import OpenSdgInput, SdmxReader

            # read as the repository's own build reads it (sdg-build's InputSdmx settings)
            layout = OpenSdgInput.from_config(spec, config)
            try:
                part = SdmxReader().read(
                    con, message, staging, {**options, "area": area, "dsd": dsd, "opensdg": layout}
                )
            except InvalidInputError as exc:
                result.problems += exc.problems
                continue
            result.rows += part.rows
            result.blank_values += part.blank_values
            result.notes += part.notes
            result.areas += part.areas
            result.tables += part.tables

        name = root.name
        if path.is_dir() and not sum(staged.values()) and not result.rows and not result.problems:
            raise InvalidInputError(
                [
                    Problem(
                        str(path),
                        None,
                        None,
                        None,
                        "data rows in at least one indicator "
                        f"file: the {len(read)} files read have a header only (no rows)",
                    )
                ]
            )
        if geo_rows:
            codes = sorted({a[0] for a in geo_areas})
            result.notes.append(
                f"{name}: {geo_rows:,} rows with a GeoCode are rows of sub-national areas of {area} ("
                + (
                    f"{len(codes)} new: {', '.join(codes[:3])}{' ...' if len(codes) > 3 else ''})"
                    if codes
                    else "all known to the store)"
                )
            )
        if totals_found:
            shown = Counter(f"{dim}={value}" for _, dim, value in totals_found).most_common(6)
            result.notes.append(
                f"{name}: {len(totals_found)} totals written as text staged as blank (total) cells "
                f"in {len({f for f, _, _ in totals_found})} files: "
                + ", ".join(f"{t} ({n})" for t, n in shown)
                + (" ..." if len(shown) == 6 else "")
            )
        result.notes.append(
            f"{name}: Open SDG repository, area {area}; {len(loaded)} indicator files with data, "
            f"{len(empty)} without data rows"
        )
        if national:
            result.notes.append(
                f"{name}: {len(national)} file(s) of national indicators (not global SDG indicators) "
                f"loaded as national series without an indicator link: {', '.join(national)}"
            )
        if skipped:
            result.notes.append(
                f"{name}: skipped {len(skipped)} archived file(s) (indicators no longer reported "
                f"under that number): {', '.join(f.name for f in skipped[:5])}"
                f"{' ...' if len(skipped) > 5 else ''}"
            )
        # national metadata: a repository's replaces the dataset's; one file's, that indicator's
        idents = meta.ids() if path.is_dir() else [_indicator_id(path)]
        result.metadata, meta_problems = collect(meta, idents, lambda i: i.replace("-", "."), path.is_dir())
        result.problems += meta_problems
        result.notes.append(result.metadata.note(name))
        if path.is_dir():
            missing = sorted(set(meta.ids()) - {_indicator_id(f) for f in files} - {f.stem for f in skipped})
            if missing:
                result.notes.append(
                    f"{name}: {len(missing)} indicator(s) have metadata but no data file: "
                    f"{', '.join(missing[:12])}{' ...' if len(missing) > 12 else ''}"
                )
        return result

    def default_dataset(self, path: Path) -> DatasetInfo:
        """``opensdg-<repository folder>``: a national collection, titled and licensed as the
        repository says (``docs_branding`` in config_data.yml, the first line of its LICENSE)."""
        if path.exists():
            root = _repository_root(path)
        else:  # a source_file recorded by an earlier load, its repository moved or gone
            root = path.parent.parent if path.parent.name in ("data", "sdmx-data") else path.parent
        config = _config(root) if (root / "config_data.yml").exists() else {}
        title = config.get("docs_branding")
        if not isinstance(title, str) or title == STARTER_BRANDING:
            title = None
        return DatasetInfo(
            slug(f"opensdg-{root.name}"),
            title or f"Open SDG data repository {root.name}",
            "national",
            licence=_licence(root),
        )

    # -- files -------------------------------------------------------------------------------
    def _data_files(self, path: Path, root: Path, config: dict) -> tuple[list[Path], list[Path]]:
        """(files to read, archived files skipped)."""
        if path.is_file():
            return [path], []
        if path != root:  # the data/ folder itself
            found = list(path.glob("indicator_*.csv")) + list(path.glob("archived-*.csv"))
        elif "inputs" in config:  # the repository says where its CSV inputs are (Canada, Rwanda)
            found = [
                f
                for spec in config["inputs"] or []
                if isinstance(spec, dict) and spec.get("class") == "InputCsvData"
                for f in root.glob(spec.get("path_pattern") or "data/*-*.csv")
            ]
        else:
            found = list(root.glob("data/indicator_*.csv")) + list(root.glob("data/archived-*.csv"))
        found = sorted({f for f in found if f.is_file() and f.suffix.lower() == ".csv"})
        skipped = [f for f in found if f.name.lower().startswith("archived")]
        return [f for f in found if f not in skipped], skipped

    def _area(self, con, path: Path, root: Path, config: dict, meta: RepositoryMetadata, options: dict) -> str:
        if options.get("area"):
            return options["area"]
        candidates = []
        default = ((config.get("sdmx_output_global") or {}).get("default_values") or {}).get("REF_AREA")
        if default is not None:
            candidates.append(str(default))
        for spec in config.get("inputs") or []:
            for key in ((spec or {}).get("dimension_map") or {}) if isinstance(spec, dict) else {}:
                if str(key).startswith("REF_AREA|"):
                    candidates.append(str(key).split("|", 1)[1])
        candidates += meta.coverage()
        for text in candidates:
            try:
                code = area_ref.resolve(con, text)
            except UserInputError:
                continue
            if con.execute("SELECT kind FROM area WHERE code = ?", [code]).fetchone()[0] == "country":
                return code
        raise InvalidInputError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    None,
                    "the country of this Open SDG repository: name it with --area "
                    "(e.g. --area GBR); config_data.yml and metadata did not say",
                )
            ]
        )

    def _read_file(
        self,
        con,
        file: Path,
        staging: str,
        *,
        area: str,
        prefix: str,
        indicator: str | None,
        meta: dict,
        extra_attributes: set[str],
    ) -> list[str]:
        """Stage one indicator CSV straight from read_csv, in one statement (236 UK files add up);
        returns its column names (as staged: blank or repeated names made unique)."""
        relation, columns, header_line = _csv_relation(file)
        by_lower = {c.lower(): c for c in columns}
        missing = [c for c in ("Year", "Value") if c.lower() not in by_lower]
        if missing:
            raise InvalidInputError(
                [
                    Problem(str(file), header_line, c, None, f"a column named {c!r} (Open SDG data file)")
                    for c in missing
                ]
            )

        def pick(names) -> str | None:
            return next((by_lower[n] for n in names if n in by_lower), None)

        year, value = by_lower[YEAR], by_lower[VALUE]
        series, units, measure = pick(SERIES_COLUMNS), pick(UNIT_COLUMNS), pick(UNIT_MEASURE_COLUMNS)
        multiplier, status = pick(MULTIPLIER_COLUMNS), pick(STATUS_COLUMNS)
        source_col, nature, geocode = pick(SOURCE_COLUMNS), pick(NATURE_COLUMNS), pick(GEOCODE_COLUMNS)
        footnotes = [c for low, c in by_lower.items() if low.startswith(FOOTNOTE_PREFIX)]
        special = {year, value, series, units, measure, multiplier, status, source_col, nature, *footnotes}
        dims = [
            c
            for low, c in by_lower.items()
            if c not in special and low not in ATTRIBUTE_COLUMNS and low not in extra_attributes
        ]
        # every other column but Year and Value, as written: what the data files write back
        attributes = [c for c in columns if c not in dims and c not in (year, value)]

        meta_units = meta.get("computation_units")
        unit = (
            "coalesce("
            + ", ".join(
                [blank_to_null(quote(c)) for c in (units, measure) if c]
                + [sql_str(str(meta_units).strip()) if meta_units else "''"]
            )
            + ")"
        )
        title = _sql_or_null(_title(meta))
        if series:
            # interim code prefix<US>label; _finish_series_codes turns labels into slugs for the
            # whole repository in one statement
            label = blank_to_null(quote(series))
            series_code = f"{sql_str(prefix)} || coalesce({sql_str(LABEL_MARK)} || {label}, '')"
            description = f"coalesce({label}, {title})"
        else:
            series_code, description = sql_str(prefix), title
        footnote = (
            f"nullif(concat_ws('; ', {', '.join(blank_to_null(quote(c)) for c in footnotes)}), '')"
            if footnotes
            else "NULL"
        )
        col = lambda c: blank_to_null(quote(c)) if c else "NULL"  # noqa: E731
        try:
            rows = con.execute(f"""
                INSERT INTO {staging} ({", ".join(CANONICAL_NAMES)}, unit_measure, unit_multiplier, geocode, attributes)
                SELECT {series_code}, {description}, {_sql_or_null(indicator)}, {sql_str(area)},
                       trim({quote(year)}), trim({quote(value)}), {unit}, {col(nature)}, {col(status)}, {col(source_col)},
                       {footnote}, {dims_sql(dims)}, {sql_str(str(file))}, __line,
                       {col(measure)}, {col(multiplier)}, {col(geocode)}, {dims_sql(attributes)}
                FROM {relation}""").fetchone()[0]
            fix_lines(con, staging, file, header_line, rows)
        except duckdb.Error as exc:
            raise InvalidInputError(
                [Problem(str(file), None, None, None, f"a readable CSV file ({why(exc)})")]
            ) from None
        return columns


def _stage_text_totals(
    con, staging: str, files: dict[str, list], country_names: frozenset[str]
) -> list[tuple[str, str, str]]:
    """Stage totals written as text as blank cells, for the files read ({file: data_start_values}).

    Runs before the series codes are finished, while a staged code is still ``prefix<US>label``.
    One query profiles every dimension of every series (rows with a value: the others are not
    stored); :func:`totals.choose_total` picks each total; one UPDATE drops those pairs from
    ``dims``. Returns (file, dimension, value) of each total found.
    """
    if not files:
        return []
    profile = con.execute(
        f"""
        WITH staged AS (SELECT series, source_file, dims FROM {staging}
                        WHERE source_file IN (SELECT unnest(?::VARCHAR[])) AND nullif(trim(value_raw), '') IS NOT NULL),
        n_rows AS (SELECT series, source_file, count(*) AS n FROM staged GROUP BY ALL),
        pairs AS (SELECT series, source_file, unnest(string_split(dims, '|')) AS pair FROM staged WHERE dims <> '')
        SELECT p.series, p.source_file, split_part(pair, '=', 1) AS dim,
               list(DISTINCT substr(pair, strpos(pair, '=') + 1)), count(*) < any_value(r.n) AS has_blank
        FROM pairs p JOIN n_rows r USING (series, source_file) GROUP BY ALL""",
        [list(files)],
    ).fetchall()
    found, drop = [], []
    for series, file, dim, values, has_blank in profile:
        label = series.split(LABEL_MARK, 1)[1] if LABEL_MARK in series else ""
        starts = _start_values(files[file])
        name = unescape_dim(dim)
        given = starts.get((label.casefold(), name.casefold()), []) + starts.get(("", name.casefold()), [])
        total, _ = choose_total([unescape_dim(v) for v in values], has_blank, given, country_names)
        if total is not None:
            found.append((file, name, total))
            drop.append((series, file, f"{dim}={escape_dim(total)}"))
    if drop:
        con.execute("CREATE OR REPLACE TEMP TABLE __opensdg_totals (series VARCHAR, source_file VARCHAR, pair VARCHAR)")
        con.executemany("INSERT INTO __opensdg_totals VALUES (?, ?, ?)", drop)
        con.execute(f"""
            UPDATE {staging} s SET source_dims = coalesce(s.source_dims, s.dims),
                                   dims = array_to_string(list_filter(string_split(s.dims, '|'),
                                                                       lambda x: NOT list_contains(t.pairs, x)), '|')
            FROM (SELECT series, source_file, list(pair) AS pairs FROM __opensdg_totals GROUP BY ALL) t
            WHERE s.series = t.series AND s.source_file = t.source_file""")
        con.execute("DROP TABLE __opensdg_totals")
    return found


def _stage_geocode_areas(
    con, staging: str, files: list[str], country: str, iso2: str, country_names: frozenset[str]
) -> tuple[list[tuple[str, str, str | None, str]], int]:
    """Rows with a GeoCode become rows of that sub-national area; returns (new areas, rows moved).

    A file's *geography columns* for a GeoCode are the disaggregations every row of that GeoCode
    fills with one same value (UK ``Region=North East`` and ``Country=England`` for E12000001).
    The area's name is the value of the most specific of them (the one with the most values in
    the file; across files, the name given most often); a GeoCode named as the country (Canada's
    ``11124``, ``Geography=Canada``), or whose rows name no place (the UK's K02000001 on rows
    blank in every column), stays the country. The area code is the GeoCode as written,
    or ``<ISO2>-<code>`` when it is all digits or already an area that is not this country's
    (Canada's ``35`` is M49's South-eastern Asia); its parent is the country. Where a file has two GeoCodes or more, the
    geography pairs leave ``dims`` (the area says them; ``source_dims`` keeps them as written), so
    a region's all-blank row is its headline. Runs after the totals written as text.
    """
    if not files:
        return [], 0
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE __opensdg_geo_rows AS
            SELECT source_file, geocode, coalesce(source_dims, dims) AS written FROM {staging}
            WHERE geocode IS NOT NULL AND source_file IN (SELECT unnest(?::VARCHAR[]))
              AND nullif(trim(value_raw), '') IS NOT NULL""",
        [files],
    )
    codes = con.execute("""
        SELECT source_file, geocode, count(*), any_value(n_codes) FROM __opensdg_geo_rows
        JOIN (SELECT source_file, count(DISTINCT geocode) AS n_codes FROM __opensdg_geo_rows GROUP BY ALL)
        USING (source_file) GROUP BY ALL ORDER BY 1, 2""").fetchall()
    fd = con.execute("""
        WITH n AS (SELECT source_file, geocode, count(*) AS n FROM __opensdg_geo_rows GROUP BY ALL),
        pairs AS (SELECT source_file, geocode, split_part(pair, '=', 1) AS dim,
                         substr(pair, strpos(pair, '=') + 1) AS val
                  FROM (SELECT source_file, geocode, unnest(string_split(written, '|')) AS pair
                        FROM __opensdg_geo_rows WHERE written <> '')),
        spread AS (SELECT source_file, dim, count(DISTINCT val) AS n_values FROM pairs GROUP BY ALL)
        SELECT p.source_file, p.geocode, p.dim, min(p.val), any_value(s.n_values)
        FROM pairs p JOIN n USING (source_file, geocode) JOIN spread s USING (source_file, dim)
        GROUP BY p.source_file, p.geocode, p.dim, n.n
        HAVING count(*) = n.n AND count(DISTINCT p.val) = 1  -- on every row of the GeoCode, one value
        ORDER BY 1, 2, 3""").fetchall()
    con.execute("DROP TABLE __opensdg_geo_rows")
    if not codes:
        return [], 0
    rows_of = {(file, code): (n, n_codes) for file, code, n, n_codes in codes}
    per_code: dict[tuple[str, str], list[tuple[str, str, int]]] = {}
    for file, code, dim, val, spread in fd:
        per_code.setdefault((file, code), []).append((dim, val, spread))
    names: dict[str, Counter] = {}
    for (file, code), (n, _) in rows_of.items():
        pairs = per_code.get((file, code), [])
        if pairs:
            _, val, _ = max(pairs, key=lambda p: (p[2], p[0]))
            names.setdefault(code, Counter())[unescape_dim(val)] += n
        else:
            names.setdefault(code, Counter())
    country_name = con.execute("SELECT name FROM area WHERE code = ?", [country]).fetchone()[0]
    folded = {c.casefold() for c in country_names}
    area_of: dict[str, str] = {}
    new_areas: list[tuple[str, str, str | None, str]] = []
    used_names: set[str] = set()
    for code in sorted(names):
        counted = names[code]
        name = min(counted, key=lambda v: (-counted[v], v)) if counted else None
        if name is None or _is_country(con, name, country, country_name, folded):
            area_of[code] = country
            continue
        existing = con.execute("SELECT kind, parent FROM area WHERE code = ?", [code]).fetchone()
        store_code = code
        # all digits, a reference area, or another country's area: the country's own code space
        if code.isdigit() or (existing and (existing[0] not in area_ref.CUSTOM_KINDS or existing[1] != country)):
            store_code = f"{iso2}-{code}"
            existing = con.execute("SELECT kind, parent FROM area WHERE code = ?", [store_code]).fetchone()
        area_of[code] = store_code
        if existing:
            continue
        if name.casefold() in used_names or _names_an_area(con, name):
            name = f"{name} ({code})"
        used_names.add(name.casefold())
        new_areas.append((store_code, name, country, "custom"))
    moved = [
        (file, code, area_of[code], [f"{d}={v}" for d, v, _ in per_code.get((file, code), [])] if n_codes > 1 else [])
        for (file, code), (_, n_codes) in rows_of.items()
        if area_of[code] != country
    ]
    if not moved:
        return new_areas, 0
    con.execute(
        "CREATE OR REPLACE TEMP TABLE __opensdg_geo (source_file VARCHAR, geocode VARCHAR, area VARCHAR, pairs VARCHAR[])"
    )
    con.executemany("INSERT INTO __opensdg_geo VALUES (?, ?, ?, ?)", moved)
    n_rows = con.execute(f"""
        UPDATE {staging} s SET area_raw = m.area,
               source_dims = CASE WHEN len(m.pairs) > 0 THEN coalesce(s.source_dims, s.dims) ELSE s.source_dims END,
               dims = CASE WHEN len(m.pairs) > 0
                           THEN array_to_string(list_filter(string_split(s.dims, '|'),
                                                            lambda x: NOT list_contains(m.pairs, x)), '|')
                           ELSE s.dims END
        FROM __opensdg_geo m WHERE s.source_file = m.source_file AND s.geocode = m.geocode""").fetchone()[0]
    con.execute("DROP TABLE __opensdg_geo")
    return new_areas, n_rows


def _is_country(con, name: str, country: str, country_name: str, own_names: set[str]) -> bool:
    """Whether a geography value names the country itself: one of its own names, a short form of
    its name ("United Kingdom" for the United Kingdom of Great Britain and Northern Ireland), or its
    exact name or code in the store ("Canada")."""
    text = " ".join(name.split()).casefold()
    if not text:
        return False
    if text in own_names or country_name.casefold().startswith(text + " "):
        return True
    # exact names and codes only: the resolver's word match takes "Great Britain" for the UK
    found = con.execute(
        "SELECT code FROM area WHERE upper(?) IN (upper(name), upper(iso2), upper(iso3), upper(alias))", [name.strip()]
    ).fetchall()
    return [r[0] for r in found] == [country]


def _names_an_area(con, text: str) -> bool:
    """Whether a code or name of an area already is ``text`` (the rule adding a custom area enforces;
    not the resolver's looser word match, which finds 827 for "England")."""
    return area_ref._named_by(con, text) is not None


def _start_values(spec) -> dict[tuple[str, str], list[str]]:
    """The indicator's ``data_start_values`` as {(series label or '', field): [values]} (lower-case keys)."""
    out: dict[tuple[str, str], list[str]] = {}
    for item in spec if isinstance(spec, list) else []:
        if isinstance(item, dict) and item.get("field") is not None and item.get("value") is not None:
            key = (str(item.get("series") or "").casefold(), str(item["field"]).casefold())
            out.setdefault(key, []).append(str(item["value"]))
    return out


def _csv_relation(file: Path) -> tuple[str, list[str], int]:
    """(read_csv relation with ``__line``, column names, header line) without DuckDB's sniffer.

    The header comes from Python's csv module and the dialect is fixed (comma, double quotes):
    sniffing costs ~15 ms a file, six times the read itself for these small files.
    """
    skip = leading_blank_lines(file)
    header = csv_header(file)
    if not header:
        raise InvalidInputError([Problem(str(file), None, None, None, "a readable UTF-8 CSV file with a header row")])
    names, seen = [], set()
    for i, name in enumerate(header, 1):  # DuckDB needs unique, non-empty names
        name = name or f"column{i}"
        while name.lower() in seen:
            name += "_"
        seen.add(name.lower())
        names.append(name)
    columns = "{" + ", ".join(f"{sql_str(n)}: 'VARCHAR'" for n in names) + "}"
    relation = (
        f"(SELECT *, (row_number() OVER () + {skip + 1})::INTEGER AS __line FROM "
        f"read_csv({sql_str(str(file))}, auto_detect = false, columns = {columns}, header = true, "
        f"skip = {skip}, delim = ',', quote = '\"', escape = '\"', null_padding = false, strict_mode = true))"
    )
    return relation, names, skip + 1


def _finish_series_codes(con, staging: str) -> None:
    """Replace interim ``prefix<US>label`` codes by ``prefix:slug``.

    The slug is lower case ASCII; labels that differ only in case or punctuation (seen in UK
    files) would share a slug, so those, and slugs longer than SLUG_MAX, get a short hash of the
    label to stay distinct.
    """
    mark = sql_str(LABEL_MARK)
    slug = "trim(regexp_replace(lower(strip_accents(label)), '[^a-z0-9]+', '-', 'g'), '-')"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE __opensdg_series AS
        WITH labels AS (SELECT DISTINCT series AS interim FROM {staging} WHERE contains(series, {mark})),
        parts AS (SELECT interim, split_part(interim, {mark}, 1) AS prefix,
                         substr(interim, strpos(interim, {mark}) + 1) AS label FROM labels),
        slugs AS (SELECT interim, prefix, label, {slug} AS slug FROM parts),
        counted AS (SELECT *, count(*) OVER (PARTITION BY prefix, slug) AS n FROM slugs)
        SELECT interim, prefix || ':' ||
               CASE WHEN n > 1 OR length(slug) > {SLUG_MAX} OR slug = ''
                    THEN left(slug, {SLUG_MAX - 10}) || '-' || left(md5(label), 8) ELSE slug END AS code
        FROM counted""")
    con.execute(f"UPDATE {staging} s SET series = m.code FROM __opensdg_series m WHERE s.series = m.interim")
    con.execute("DROP TABLE __opensdg_series")


def _indicator_id(file: Path) -> str:
    m = INDICATOR_FILE.match(file.name)
    return m.group(1) if m else file.stem


def _title(meta: dict) -> str | None:
    """A readable indicator name from metadata (Open SDG often stores a translation key instead)."""
    for key in ("graph_title", "indicator_available", "indicator_name", "title"):
        text = meta.get(key)
        if isinstance(text, str) and text.strip() and not re.fullmatch(r"[\w-]+\.[\w-]+", text.strip()):
            return re.sub(r"<[^>]+>", "", text).strip()
    return None


def _sql_or_null(text: str | None) -> str:
    return "NULL" if text is None else sql_str(text)


register(OpenSdgReader())
