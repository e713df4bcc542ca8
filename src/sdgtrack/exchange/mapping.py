"""Map files: how a dataset's own column names and codes become the DSD's concepts and codes.

One CSV layout of sdgtrack's own (``column,value,concept,code``) and sdg-build's two files as an
Open SDG repository keeps them (``Text,Value`` column map; ``Text,Dimension,Value`` code map, the
ONS's ``Male,SEX,M``), told apart by their headers. docs/sdmx.md describes the layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import pandas as pd

from .. import textfiles
from ..errors import InvalidInputError, Problem, UserInputError
from .dsd import Structure

OWN_HEADER = ("column", "value", "concept", "code")
WHAT = "SDMX map file"


@dataclass
class MapSet:
    """Column renames, code maps and defaults, each row with the file and line it came from."""

    columns: pd.DataFrame = field(default_factory=lambda: _frame(["column", "concept", "where"]))
    codes: pd.DataFrame = field(default_factory=lambda: _frame(["concept", "column", "text", "code", "where"]))
    defaults: pd.DataFrame = field(default_factory=lambda: _frame(["concept", "code", "where"]))

    def extend(self, other: "MapSet") -> None:
        self.columns = pd.concat([self.columns, other.columns], ignore_index=True)
        self.codes = pd.concat([self.codes, other.codes], ignore_index=True)
        self.defaults = pd.concat([self.defaults, other.defaults], ignore_index=True)


def _frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


class MapFileError(InvalidInputError):
    """A map file names a concept the DSD lacks or a code its list lacks; nothing was written."""

    def summary(self, limit: int = 20) -> str:
        return super().summary(limit).replace("nothing was loaded", "nothing was written")


def read_maps(paths: Sequence[str | Path], structure: Structure) -> MapSet:
    """Every map file, checked against the DSD; all problems of all files in one error."""
    maps, problems = MapSet(), []
    for path in paths:
        one, found = _read_one(Path(path), structure)
        maps.extend(one)
        problems += found
    if problems:
        raise MapFileError(problems)
    return maps


def _read_one(path: Path, structure: Structure) -> tuple[MapSet, list[Problem]]:
    table = textfiles.read_csv(path, WHAT, line_column="__line")
    header = {c.strip().lower(): c for c in table.columns if c != "__line"}
    cells = {k: table[v].fillna("").astype(str).str.strip() for k, v in header.items()}
    where = path.name + ":" + table["__line"].astype(str)
    maps = MapSet()
    if set(OWN_HEADER) <= set(header):
        col, val, con, code = (cells[k] for k in OWN_HEADER)
        rename = (col != "") & (val == "") & (code == "")
        coded = (val != "") & (code != "")
        default = (col == "") & (val == "") & (code != "")
        bad = ~(rename | coded | default)
        maps.columns = pd.DataFrame({"column": col[rename], "concept": con[rename], "where": where[rename]})
        maps.columns.attrs["own"] = True
        maps.codes = pd.DataFrame(
            {
                "concept": con[coded],
                "column": col[coded].replace("", None),
                "text": val[coded],
                "code": code[coded],
                "where": where[coded],
            }
        )
        maps.defaults = pd.DataFrame({"concept": con[default], "code": code[default], "where": where[default]})
        problems = [
            Problem(
                str(path),
                int(line),
                None,
                f"{c},{v},{k},{d}",
                "a column rename (column,,CONCEPT,), a code (column or blank,value,CONCEPT,CODE) or a default (,,CONCEPT,CODE)",
            )
            for line, c, v, k, d in zip(table["__line"][bad], col[bad], val[bad], con[bad], code[bad])
        ]
    elif {"text", "dimension", "value"} <= set(header):  # sdg-build code map
        maps.codes = pd.DataFrame(
            {
                "concept": cells["dimension"],
                "column": None,
                "text": cells["text"],
                "code": cells["value"],
                "where": where,
            }
        )
        problems = []
    elif {"text", "value"} <= set(header):  # sdg-build column map
        maps.columns = pd.DataFrame({"column": cells["text"], "concept": cells["value"], "where": where})
        problems = []
    else:
        raise UserInputError(
            f"{WHAT} {path}: header {', '.join(c for c in table.columns if c != '__line')!r}; expected "
            "column,value,concept,code (sdgtrack), Text,Value (sdg-build column map) or "
            "Text,Dimension,Value (sdg-build code map)"
        )
    problems += _check(path, maps, structure)
    return maps, problems


def _check(path: Path, maps: MapSet, structure: Structure) -> list[Problem]:
    """A concept must be a DSD component and a code a member of its code list. sdg-build's column
    maps are taken as they are (the UK's renames Area to AREA, no SDG concept): such a rename is
    reported where a data column uses it."""
    ids = {c.id for c in (*structure.dimensions, *structure.attributes)} | {structure.time_dimension}
    problems = []
    own = bool(maps.columns.attrs.get("own"))
    for frame in (maps.columns, maps.codes, maps.defaults) if own else (maps.codes, maps.defaults):
        for concept, where in zip(frame["concept"], frame["where"]):
            if concept not in ids:
                line = int(where.rsplit(":", 1)[1])
                problems.append(
                    Problem(
                        str(path),
                        line,
                        "concept",
                        concept,
                        f"a component of {structure.id}({structure.version}): {', '.join(sorted(ids))}",
                    )
                )
    for frame in (maps.codes, maps.defaults):
        for concept, code, where in zip(frame["concept"], frame["code"], frame["where"]):
            codes = structure.codes(concept) if concept in ids else None
            if codes is not None and code not in codes:
                comp = structure.component(concept)
                line = int(where.rsplit(":", 1)[1])
                problems.append(
                    Problem(str(path), line, "code", code, f"a code of {comp.codelist if comp else '?'} ({concept})")
                )
    return problems
