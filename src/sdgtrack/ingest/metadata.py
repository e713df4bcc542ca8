"""National indicator metadata of an Open SDG repository: parsed, checked, and turned into rows.

Where the text is (Open SDG's layout, as sdg-build reads it):
- ``indicator-config/<id>.yml``, ``meta/<id>.yml``, ``meta/<id>.md`` (YAML front matter; the
  Markdown body below it is the field ``page_content``), merged in that order: the repository's
  first language (``languages`` in config_data.yml, else English);
- ``meta/<lang>/<id>.yml|md``: the same fields translated into another of its languages;
- a value written as a translation key (``custom.progress-details``) is the text of that key in
  ``translations/<lang>/<group>.yml`` when the repository has it;
- field labels: the schema file (``schema_file`` in config_data.yml, else ``_prose.yml``) gives
  each field's English label, order and section (``scope``), and its ``translation_key`` the label
  in other languages; ``translations/<lang>/metadata_fields.yml`` labels the rest.

A meta file that is not valid YAML is a :class:`Problem` naming the file and line: the data still
load with ``--skip-invalid`` (the indicator's stored metadata is then kept as it was).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import Problem

FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*(\n|\Z)", re.DOTALL)
TRANSLATION_KEY = re.compile(r"^([A-Za-z][\w-]*)\.([\w-]+)$")
LANG_FOLDER = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")
COLUMNS = ["indicator", "lang", "field", "value", "structured", "position", "source_file"]
# the texts inside a list setting that a repository may write as translation keys
LABEL_KEYS = ("title", "label_content", "label")
FIELD_COLUMNS = ["lang", "field", "label", "position", "section"]
TRANSLATION_COLUMNS = ["lang", "key", "text"]
# the archived indicators of a repository (store table archived_indicator, without dataset and load)
ARCHIVED_COLUMNS = ["indicator", "number", "title", "archive_type", "tier", "data_file"]
ARCHIVED_PREFIX = "archived"  # Open SDG's name for the files of an archived indicator: archived-1-a-1.csv
ARCHIVE_LIST = "archived_indicators.csv"  # the UK's list of them: number, name, archive_type, tier


def _loader():
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml_file(path: Path) -> tuple[dict, Problem | None]:
    """The mapping a YAML file (or a Markdown file's front matter) holds, or a Problem naming the
    file and the line YAML stopped at. A Markdown body after the front matter is ``page_content``."""
    import yaml

    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError as exc:
        return {}, Problem(str(path), None, None, None, f"a UTF-8 text file (byte {exc.start} is not UTF-8)")
    except OSError as exc:
        return {}, Problem(str(path), None, None, None, f"a readable file ({exc.strerror})")
    offset, body = 0, ""
    if path.suffix.lower() == ".md":
        front = FRONT_MATTER.match(text)
        if front is None:
            if text.strip():  # Markdown without front matter: its text is the page, no fields
                return {"page_content": text.strip()}, None
            return {}, None
        offset = text.count("\n", 0, front.start(1))
        body = text[front.end() :].strip()
        text = front.group(1)
    kind = "YAML front matter" if path.suffix.lower() == ".md" else "YAML"
    try:
        data = yaml.load(text, Loader=_loader())
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # e.g. a date 2020-13-45
        return {}, Problem(str(path), None, None, None, f"valid {kind} of Open SDG metadata ({exc})")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = offset + mark.line + 1 if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return {}, Problem(str(path), line, None, None, f"valid {kind} of Open SDG metadata ({what})")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return {}, Problem(
            str(path), offset + 1, None, None, f"YAML metadata as 'field: value' lines (got a {type(data).__name__})"
        )
    if _larger_than(data, MAX_NODES):
        # YAML aliases let a few hundred bytes stand for millions of values (or a value containing
        # itself): refused before anything expands them
        return {}, Problem(
            str(path), offset + 1, None, None, f"metadata of at most {MAX_NODES:,} values (aliases expand beyond that)"
        )
    if body:
        data = {**data, "page_content": body}
    return data, None


MAX_NODES = 100_000  # values in one meta file, aliases expanded; real ones hold a few hundred


def _larger_than(data, limit: int) -> bool:
    """Whether walking ``data`` (aliases expanded, as JSON writing would) meets more than ``limit``
    values; stops at the limit, so a self-containing value ends too."""
    stack, seen = [data], 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > limit:
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


@dataclass
class MetadataRows:
    """What a reader hands the loader: the rows of ``indicator_metadata`` and ``metadata_field``
    (DataFrames of :data:`COLUMNS` and :data:`FIELD_COLUMNS`), which indicators' stored metadata the
    load replaces (``whole``: every indicator of the dataset, except ``kept``: those whose files had
    problems), and a summary for the load report."""

    rows: pd.DataFrame
    fields: pd.DataFrame
    indicators: list[str]
    whole: bool
    kept: list[str] = field(default_factory=list)
    # the repository's translations (:data:`TRANSLATION_COLUMNS`), replaced with a whole repository's load
    translations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TRANSLATION_COLUMNS))
    # its archived indicators (:data:`ARCHIVED_COLUMNS`), replaced with a whole repository's load
    archived: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ARCHIVED_COLUMNS))
    lang: str | None = None  # the repository's first language (its own meta files')

    def note(self, name: str) -> str:
        langs = sorted(self.rows["lang"].unique()) if len(self.rows) else []
        return (
            f"{name}: national metadata of {self.rows['indicator'].nunique() if len(self.rows) else 0} "
            f"indicators kept ({len(self.rows):,} fields; languages {', '.join(langs) or 'none'})"
        )


class RepositoryMetadata:
    """The metadata files of one Open SDG repository, parsed lazily and once each."""

    def __init__(self, root: Path, config: dict | None = None):
        self.root = root
        self.config = config or {}
        self._cache: dict[tuple[str, str], tuple[dict, dict[str, str]]] = {}
        self._translations: dict[tuple[str, str], dict] = {}
        self.problems: dict[str, list[Problem]] = {}  # indicator id -> problems of its files

    # -- languages ---------------------------------------------------------------------------------
    def languages(self) -> list[str]:
        """The repository's languages, its default first (config_data.yml; else English)."""
        # only names of language folders ("fr", "zh-Hans"): a language is a path under meta/ and
        # translations/, so "../x" would read files outside the repository
        given = [x for x in self.config.get("languages") or [] if isinstance(x, str) and LANG_FOLDER.match(x)]
        return given or ["en"]

    def default_lang(self) -> str:
        return self.languages()[0]

    def translated_langs(self) -> list[str]:
        """Other languages the repository has metadata folders or translation files for."""
        others = []
        for lang in self.languages()[1:]:
            if (self.root / "meta" / lang).is_dir() or (self.root / "translations" / lang).is_dir():
                others.append(lang)
        return others

    # -- files ---------------------------------------------------------------------------------------
    def paths(self, ident: str, lang: str | None = None) -> list[Path]:
        if lang is None or lang == self.default_lang():
            return [
                self.root / "indicator-config" / f"{ident}.yml",
                self.root / "meta" / f"{ident}.yml",
                self.root / "meta" / f"{ident}.md",
            ]
        return [self.root / "meta" / lang / f"{ident}.yml", self.root / "meta" / lang / f"{ident}.md"]

    def _read(self, ident: str, lang: str | None) -> tuple[dict, dict[str, str]]:
        """(merged fields, field -> the file that gave it) of one indicator in one language."""
        key = (ident, lang or self.default_lang())
        if key not in self._cache:
            merged: dict = {}
            origin: dict[str, str] = {}
            for p in self.paths(ident, lang):
                if not p.is_file():
                    continue
                data, problem = parse_yaml_file(p)
                if problem is not None:
                    self.problems.setdefault(ident, []).append(problem)
                for k, v in data.items():
                    merged[str(k)] = v
                    origin[str(k)] = str(p)
            self._cache[key] = (merged, origin)
        return self._cache[key]

    def get(self, ident: str) -> dict:
        """The merged fields of indicator ``ident`` in the default language ({} when it has none)."""
        return self._read(ident, None)[0]

    def ids(self) -> list[str]:
        out = set()
        for folder, suffixes in (("meta", (".md", ".yml")), ("indicator-config", (".yml",))):
            for p in (self.root / folder).glob("*"):
                if p.suffix in suffixes and p.is_file() and not p.name.lower().startswith((ARCHIVED_PREFIX, "readme")):
                    out.add(p.stem)
        return sorted(out)

    def archived_ids(self) -> list[str]:
        """Ids of the archived indicators with a meta file (``meta/archived-1-a-1.md``), as written."""
        return sorted(
            {
                p.stem
                for folder, suffixes in (("meta", (".md", ".yml")), ("indicator-config", (".yml",)))
                for p in (self.root / folder).glob("*")
                if p.suffix in suffixes and p.is_file() and p.name.lower().startswith(ARCHIVED_PREFIX + "-")
            }
        )

    def archived(self, data_files: dict[str, str]) -> pd.DataFrame:
        """The archived indicators (:data:`ARCHIVED_COLUMNS`): every id with a meta file or a data
        file (``data_files``: id -> file), its former number (its meta file's ``indicator_number``,
        else the id's), and what the repository's list (``archived_indicators.csv``) says of that
        number: name, archive type, tier (the name else the meta file's own, when it is text)."""
        listed = self._archive_list()
        out = []
        for ident in sorted(set(self.archived_ids()) | set(data_files)):
            fields = self.get(ident)
            number = fields.get("indicator_number")
            number = str(number).strip() if number not in (None, "") else ident.split("-", 1)[1].replace("-", ".")
            entry = listed.get(number, {})
            title = entry.get("name") or _plain_title(fields.get("indicator_name"))
            out.append(
                (
                    ident,
                    number,
                    title,
                    entry.get("archive_type"),
                    entry.get("tier") or _plain_title(fields.get("un_designated_tier")),
                    data_files.get(ident),
                )
            )
        return pd.DataFrame(out, columns=ARCHIVED_COLUMNS)

    def _archive_list(self) -> dict[str, dict[str, str]]:
        """number -> {name, archive_type, tier} of ``archived_indicators.csv`` ({} without one; a
        row without a number is left out)."""
        import csv

        path = self.root / ARCHIVE_LIST
        try:
            with open(path, encoding="utf-8-sig", newline="") as f:
                rows = list(csv.DictReader(f))
        except (OSError, UnicodeDecodeError, csv.Error):
            return {}
        out: dict[str, dict[str, str]] = {}
        for row in rows:
            number = str(row.get("number") or "").strip()
            if number:
                out.setdefault(number, {k: str(v).strip() for k, v in row.items() if k and v and str(v).strip()})
        return out

    def coverage(self, sample: int = 25) -> list[str]:
        """Most frequent ``national_geographical_coverage`` values of the first metadata files."""
        from collections import Counter

        counts: Counter = Counter()
        for ident in self.ids()[:sample]:
            text = self.get(ident).get("national_geographical_coverage")
            if isinstance(text, str) and text.strip():
                counts[text.strip()] += 1
        return [t for t, _ in counts.most_common()]

    # -- translations --------------------------------------------------------------------------------
    def translation(self, lang: str, group: str) -> dict:
        """``translations/<lang>/<group>.yml`` as a mapping ({} when absent or unreadable: a
        translation file only renames keys, it is not metadata of an indicator)."""
        key = (lang, group)
        if key not in self._translations:
            path = self.root / "translations" / lang / f"{group}.yml"
            data: dict = {}
            if path.is_file():
                data, _ = parse_yaml_file(path)
            self._translations[key] = data
        return self._translations[key]

    def translate(self, text: str, lang: str) -> str | None:
        """The text of a translation key (``custom.progress-details``) in ``lang`` ('' when the key's
        text is blank: the field says nothing), or None when ``text`` is no known key."""
        m = TRANSLATION_KEY.match(text.strip())
        if not m or not (self.root / "translations").is_dir():
            return None
        group = self.translation(lang, m.group(1))
        if m.group(2) not in group:
            return None
        found = group[m.group(2)]
        return str(found).strip() if isinstance(found, (str, int, float)) else ""

    # -- rows ----------------------------------------------------------------------------------------
    def rows(self, idents: Iterable[str], code_of) -> pd.DataFrame:
        """Rows of ``indicator_metadata`` for these indicator ids (``code_of(id)`` -> its code), in
        the default language and in each translated language (a field there only when the language
        gives it: its own file, or a translation key with text in that language)."""
        out: list[tuple] = []
        default = self.default_lang()
        others = self.translated_langs()
        for ident in idents:
            code = code_of(ident)
            fields, origin = self._read(ident, None)
            own = {lang: self._read(ident, lang) for lang in others}
            out.extend(self._file_rows(code, default, fields, origin))
            for lang, (lang_fields, lang_origin) in own.items():
                out.extend(self._file_rows(code, lang, lang_fields, lang_origin))
                for position, (name, raw) in enumerate(fields.items()):
                    if name in lang_fields:
                        continue
                    if isinstance(raw, list):  # a list setting whose labels are translation keys
                        items = self.translate_items(raw, lang)
                        if items is not None:
                            text = json.dumps(items, ensure_ascii=False, default=str)
                            out.append((code, lang, name, text, True, position, origin[name]))
                        continue
                    said = self.translate(raw, lang) if isinstance(raw, str) else None
                    if said:
                        out.append((code, lang, name, said, False, position, origin[name]))
        return pd.DataFrame(out, columns=COLUMNS)

    def _file_rows(self, code: str, lang: str, fields: dict, origin: dict) -> list[tuple]:
        """The rows of one meta file's fields in ``lang`` (translation keys resolved in that language;
        a field with no text left out)."""
        out = []
        translated = lang != self.default_lang()
        for position, (name, raw) in enumerate(fields.items()):
            value = _text(raw)
            if value is None:
                if translated and (raw is None or isinstance(raw, str)):
                    # a language's own file blanks the field (Canada's French 17.6.1 REC_USE_LIM: '   '):
                    # kept blank, so the language shows nothing rather than the default language's text,
                    # as sdg-build's build of the language does
                    out.append((code, lang, name, "", False, position, origin[name]))
                continue
            text, structured = value
            if not structured:
                said = self.translate(text, lang)
                text = text if said is None else said
            elif isinstance(raw, list) and (items := self.translate_items(raw, lang)) is not None:
                text = json.dumps(items, ensure_ascii=False, default=str)
            if text:
                out.append((code, lang, name, text, structured, position, origin[name]))
        return out

    def translate_items(self, items: list, lang: str) -> list | None:
        """A list setting (graph_titles, graph_target_lines, graph_annotations ...) with the
        translation keys of its labels in ``lang`` (``title``, ``label_content``, ``label`` and an
        annotation's ``label: {content}``), or None when no label is a key the language has. The
        series, units and values stay as written: they name the data."""
        changed = False

        def said(text: object) -> object:
            nonlocal changed
            found = self.translate(text, lang) if isinstance(text, str) else None
            changed = changed or bool(found)
            return found or text

        out = []
        for item in items:
            if isinstance(item, dict):
                item = {k: said(v) if k in LABEL_KEYS else v for k, v in item.items()}
                if isinstance(item.get("label"), dict):
                    item["label"] = {k: said(v) if k == "content" else v for k, v in item["label"].items()}
            out.append(item)
        return out if changed else None

    def translation_rows(self) -> pd.DataFrame:
        """Every key and text of ``translations/<lang>/<group>.yml`` in the repository's languages
        (:data:`TRANSLATION_COLUMNS`, keys as ``group.key``): what sdg-build translates each metadata
        value of a language's build through. Texts that are no scalar are left out."""
        out = []
        for lang in self.languages():
            folder = self.root / "translations" / lang
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.yml")):
                for key, text in self.translation(lang, path.stem).items():
                    if isinstance(text, (str, int, float)) and not isinstance(text, bool) and str(text).strip():
                        out.append((lang, f"{path.stem}.{key}", str(text).strip()))
        return pd.DataFrame(out, columns=TRANSLATION_COLUMNS).drop_duplicates(["lang", "key"], ignore_index=True)

    def field_labels(self) -> tuple[pd.DataFrame, list[Problem]]:
        """Rows of ``metadata_field``: the labels the repository gives its fields, per language, with
        the schema's order and section; and the problems of an unreadable schema file."""
        name = self.config.get("schema_file") or "_prose.yml"
        path = self.root / str(name)
        problems: list[Problem] = []
        schema: list = []
        if not path.resolve().is_relative_to(self.root.resolve()):
            problems.append(
                Problem(
                    str(self.root / "config_data.yml"), None, "schema_file", str(name), "a file inside the repository"
                )
            )
        elif path.is_file():
            data, problem = parse_yaml_file(path)
            if problem is not None:
                problems.append(problem)
            meta = ((data.get("prose") or {}).get("metadata") or {}).get("meta") if isinstance(data, dict) else None
            schema = meta if isinstance(meta, list) else []
        out: dict[tuple[str, str], tuple] = {}
        langs = [self.default_lang(), *self.translated_langs()]
        for position, item in enumerate(schema):
            if not isinstance(item, dict) or not item.get("name"):
                continue
            spec: dict = item["field"] if isinstance(item.get("field"), dict) else {}
            field_name, scope = str(item["name"]), spec.get("scope")
            for lang in langs:
                label = None
                if isinstance(spec.get("translation_key"), str):
                    label = self.translate(spec["translation_key"], lang) or None
                if label is None and lang == self.default_lang() and isinstance(spec.get("label"), str):
                    label = spec["label"].strip() or None
                if label:
                    out[(lang, field_name)] = (lang, field_name, label, position, str(scope) if scope else None)
        # labels the translations give for fields the schema does not list
        for lang in langs:
            extra = self.translation(lang, "metadata_fields")
            for position, (key, label) in enumerate(extra.items(), start=len(schema)):
                if isinstance(label, str) and label.strip() and (lang, str(key)) not in out:
                    out[(lang, str(key))] = (lang, str(key), label.strip(), position, None)
        return pd.DataFrame(list(out.values()), columns=FIELD_COLUMNS), problems


def _text(raw) -> tuple[str, bool] | None:
    """A field's value as stored: (text, structured) or None for a blank one. Numbers, booleans,
    lists and mappings as JSON, so outputs keep the type the source gave them (``2010`` stays a
    number, ``2.0`` a float, a switch a boolean); text as written. A text that is only ``true`` or
    ``false`` (``source_active_1: 'true'``) is the switch, as sdg-build and Open SDG read it: the
    text ``"false"`` would be a true value to the site's scripts."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return ("true" if raw else "false"), True
    if isinstance(raw, (int, float)) and math.isfinite(raw):
        return json.dumps(raw), True
    if isinstance(raw, (list, dict)):
        return (json.dumps(raw, ensure_ascii=False, default=str), True) if raw else None
    text = str(raw).strip()
    if text.lower() in ("true", "false"):
        return text.lower(), True
    return (text, False) if text else None


def _plain_title(value) -> str | None:
    """A meta field's text when it is a name (not a translation key such as ``global_indicators.1-a-1-title``)."""
    if not isinstance(value, str) or not value.strip() or TRANSLATION_KEY.match(value.strip()):
        return None
    return value.strip()


def collect(meta: RepositoryMetadata, idents: list[str], code_of, whole: bool) -> tuple[MetadataRows, list[Problem]]:
    """The metadata rows of these indicators and every problem of their files (and the schema)."""
    rows = meta.rows(idents, code_of)
    fields, problems = meta.field_labels()
    bad = [i for i in idents if meta.problems.get(i)]
    for ident in bad:
        problems += meta.problems[ident]
    kept = [code_of(i) for i in bad]
    rows = rows[~rows["indicator"].isin(kept)].reset_index(drop=True)
    good = [code_of(i) for i in idents if i not in bad]
    part = MetadataRows(rows, fields, good, whole, kept, translations=meta.translation_rows(), lang=meta.default_lang())
    return part, problems
