"""The fields of national metadata as people read them: each field's label in a language and the
group a page lists it in (definition, calculation, notes, status, other; None for settings).

Labels: the repository's own (its schema file and translations) in the language asked for, else
the shipped table ``data/metadata_fields.csv``, else the repository's English label, else the
field name made readable. A base module (below every layer): the workspace labels the rows it
returns (``Workspace.indicator_metadata``) and the pages label settings with the same words.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable

import pandas as pd

SOURCE_FIELD = re.compile(r"^source_(.+)_(\d+)$")
NUMBER = re.compile(r"^-?\d")  # a stored JSON value that is a number (lists, mappings, switches are not)
GROUPS = ("definition", "calculation", "notes", "status", "other")
# fields a page never lists: titles and goal texts the page shows from the framework, the global
# metadata (its own tab links the UN's), switches and settings
HIDDEN = re.compile(
    r"^(SDG_(GOAL|TARGET|INDICATOR)|.*__GLOBAL|indicator_name|target_name|indicator_number|indicator|"
    r"goal_meta_link(_text)?|national_(data|metadata)_update_url|PROGRESS_DETAILS|title|permalink|layout)$"
)


def code_files() -> list[Traversable]:
    """This module and its label table: the keys of published files holding labels include them."""
    here = resources.files("sdgtrack")
    return [here / "metadata_fields.py", here / "data" / "metadata_fields.csv"]


@lru_cache(maxsize=1)
def shipped_fields() -> dict[str, dict[str, str]]:
    """Field -> {group, en, fr, es, ar} from ``data/metadata_fields.csv``, in the file's order."""
    text = (resources.files("sdgtrack") / "data" / "metadata_fields.csv").read_text("utf-8")
    return {row["field"]: row for row in csv.DictReader(text.splitlines())}


def split_numbered(field: str) -> tuple[str, str | None]:
    """``source_organisation_2`` -> (``source_organisation``, ``2``); other fields -> (field, None)."""
    m = SOURCE_FIELD.match(field)
    return (f"source_{m.group(1)}", m.group(2)) if m else (field, None)


@lru_cache(maxsize=16384)
def label(field: str, lang: str, repo_label: str | None = None, repo_lang: str | None = None) -> str:
    """The label of ``field`` in ``lang`` (see the module's docstring for the order)."""
    if repo_label and repo_lang == lang:
        return repo_label
    shipped = shipped_fields().get(split_numbered(field)[0])
    if shipped and shipped.get(lang):
        return shipped[lang]
    if repo_label:
        return repo_label
    if shipped:
        return shipped["en"]
    words = field.replace("__", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:].lower() if words.isupper() else words[:1].upper() + words[1:]


def with_labels(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The store's metadata rows (``store.metadata.indicator_metadata``) with ``label`` filled in
    for ``lang`` and ``group`` (the page's group of the field, None for fields a page does not list)."""
    frame = frame.copy()
    text = lambda v: v if isinstance(v, str) else None  # noqa: E731  (NaN, None -> None)
    frame["label"] = [
        label(f, lang, text(r), text(rl))
        for f, r, rl in zip(frame["field"].tolist(), frame["label"].tolist(), frame["label_lang"].tolist())
    ]
    groups = [
        _group(f, text(s), is_setting(v, bool(st)))
        for f, s, v, st in zip(
            frame["field"].tolist(), frame["section"].tolist(), frame["value"].tolist(), frame["structured"].tolist()
        )
    ]
    frame["group"] = pd.Series(groups, index=frame.index, dtype=object)  # None, not NaN, where unlisted
    return frame.drop(columns=["label_lang"])


def is_setting(value: object, structured: bool) -> bool:
    """Whether a stored metadata value is a setting a page does not list (a JSON list, mapping or
    switch); a number the source wrote as one (a year, a tier ``2.0``) is JSON too, and shown."""
    return structured and not (isinstance(value, str) and NUMBER.match(value) is not None)


@lru_cache(maxsize=16384)
def _group(field: str, section: str | None, setting: bool) -> str | None:
    if setting or HIDDEN.match(field):
        return None
    shipped = shipped_fields().get(split_numbered(field)[0])
    if shipped:
        return shipped["group"]
    if isinstance(section, str) and section == "national":  # the repository's own national fields
        return "other"
    return None
