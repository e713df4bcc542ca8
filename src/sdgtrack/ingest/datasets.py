"""Which dataset a load belongs to: the user's ``--dataset``, else the default its reader derives.

A dataset is one source's collection of observations (the UN Global Database, a national Open SDG
repository, an SDMX dataflow, a city's KPI return). Readers may define
``default_dataset(path) -> DatasetInfo``; a reader without one gets the file stem (kind
``other``). The derivation never needs the file to exist, so the store migration can assign rows
loaded before datasets existed from their ``source_file`` alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InvalidInputError, Problem, UserInputError

KINDS = ("global", "national", "subnational", "city", "other")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class DatasetInfo:
    id: str
    title: str
    kind: str = "other"
    publisher: str | None = None
    licence: str | None = None

    def merged(self, overrides: dict | None) -> "DatasetInfo":
        """This info with the fields a user gave (None leaves a field as it is)."""
        given = {k: v for k, v in (overrides or {}).items() if v is not None}
        unknown = set(given) - {"id", "title", "kind", "publisher", "licence"}
        if unknown:
            raise UserInputError(
                f"unknown dataset field(s) {', '.join(sorted(unknown))}: expected title, kind, publisher, licence"
            )
        return replace(self, **given)


def slug(text: str) -> str:
    """A dataset id from free text: lower case, runs of other characters become one '-'."""
    out = re.sub(r"[^a-z0-9._]+", "-", text.lower()).strip("-._")
    return out[:64] or "dataset"


def check_id(dataset_id: str) -> str:
    if not ID_PATTERN.match(dataset_id or ""):
        raise UserInputError(
            f"dataset id {dataset_id!r}: expected 1-64 characters, lower-case letters, digits, "
            "'.', '_' or '-', starting with a letter or digit (e.g. opensdg-uk)"
        )
    return dataset_id


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise UserInputError(f"dataset kind {kind!r}: expected one of {', '.join(KINDS)}")
    return kind


def stem(path: Path) -> str:
    name = path.name
    for suffix in (".csv.gz", ".csv", ".xlsx", ".xlsm", ".xml", ".json"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem or name


def from_file_stem(path: Path) -> DatasetInfo:
    return DatasetInfo(slug(stem(path)), stem(path), "other")


def for_path(reader, path: Path) -> DatasetInfo:
    """The default dataset of one input the reader recognised."""
    derive = getattr(reader, "default_dataset", None)
    return derive(path) if derive else from_file_stem(path)


def for_inputs(given: list[Path], inputs: list[tuple[Path, object]]) -> DatasetInfo:
    """The one default dataset of a load: each path the user gave derives one (a folder whose files
    derive different ones is a dataset named after the folder); different ones are an error."""
    per_path: dict[Path, DatasetInfo] = {}
    for path in given:
        found = [for_path(reader, p) for p, reader in inputs if p == path or path in p.parents]
        ids = {info.id for info in found}
        if len(ids) == 1:
            per_path[path] = found[0]
        elif found:
            per_path[path] = DatasetInfo(slug(path.name), path.name, "other")
    ids = {info.id for info in per_path.values()}
    if len(ids) > 1:
        error = InvalidInputError(
            [
                Problem(str(p), None, None, None, f"one dataset per load, this path would load into {info.id!r}")
                for p, info in per_path.items()
            ]
        )
        error.hint = "load each dataset separately, or name one for all with --dataset ID"
        raise error
    return next(iter(per_path.values()))
