"""The pluggable kinds, each declared once: ingest readers, progress methods, link transforms,
tagging methods, link levels and output formats.

A kind is a :class:`Registry`. Its members register themselves where they are implemented (a
reader module ends with ``READERS.register(MyReader())``, a progress-method module with
``PROGRESS_METHODS.register(sys.modules[__name__])``); the registry imports the modules that hold
them the first time it is asked. The CLI builds its choices and help from these registries, the
APIs check names against them, and ``tests/test_docs.py`` checks that every member is in ``--help``
and in ``docs/`` -- so adding a reader, method or transform is one module plus its documentation.
"""

from __future__ import annotations

import importlib
import pkgutil
import types
from dataclasses import dataclass, field
from enum import Enum
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Generic, Iterator, Protocol, TypeVar

from .errors import Problem, UserInputError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


T = TypeVar("T")


@dataclass
class ReadResult:
    """What a reader's ``read`` returns beside the rows it staged (declared with the ``Reader``
    protocol, so the registries import no ingest module; readers import it from ``ingest/registry``)."""

    rows: int = 0  # informative only: the loader counts the staged rows itself
    blank_values: int = 0  # rows a reader dropped for having no value (the loader also
    # counts and drops staged rows whose value_raw is blank)
    problems: list[Problem] = field(default_factory=list)  # file-level or row-level problems
    notes: list[str] = field(default_factory=list)  # things the user should know
    # Custom areas the staged rows name (sub-national areas from an SDMX code list ...):
    # (code, name, parent code, kind). The loader adds them for validation and removes them
    # again when the load fails or is a dry run, so a failed load still changes nothing.
    areas: list[tuple[str, str, str | None, str]] = field(default_factory=list)
    # Indicator metadata text the source carries (Open SDG meta files): written with the load's
    # rows, in the same transaction, replacing the dataset's metadata of the indicators read.
    metadata: Any = None  # ingest.metadata.MetadataRows (the store takes it as store.datasets.MetadataPart)
    # The header of each source table read, as written: (file, indicator code or national id,
    # column names, whether a row has a value). Stored with the load (store source_columns) so the
    # site writes an indicator's columns as its source did (Open SDG files).
    tables: list[tuple[str, str | None, list[str], bool]] = field(default_factory=list)


class Reader(Protocol):
    """An input format (``sdgtrack ingest --format NAME``): one module in ``ingest/readers/``."""

    name: str
    summary: str  # a few words for --help
    description: str  # one line for "not a known format" messages

    def detect(self, path: Path) -> bool: ...

    def read(self, con, path: Path, staging: str, options: dict) -> ReadResult: ...


class ProgressMethod(Protocol):
    """A progress-assessment method: one module in ``progress/methods/`` (the module is the object)."""

    NAME: str
    TITLE: str
    SUMMARY: str  # a few words for --help
    STATUSES: tuple[str, ...]  # roll-up bands, worst first
    GOOD: tuple[str, ...]
    MET: str | None
    INSUFFICIENT: str
    SCORE_RANGE: tuple[float, float]
    COLOURS: dict[str, str]  # status -> colour of the progress chart, best to worst
    DEFAULTS: dict[str, Any]  # the method's parameters and their defaults
    # how an indicator rolls up from its series: "headline" (the first series assessed in the area,
    # in the headline rule's order, speaks for it) or "mean" (the mean of all its assessed series)
    INDICATOR_FROM: str

    def window(self, params: dict) -> dict: ...

    def assess(self, panel: "pd.DataFrame", goal: Any, params: dict) -> "pd.DataFrame": ...

    def band(self, score: Any) -> Any: ...


class Transform(Protocol):
    """A transform of each series before ranking (``sdgtrack links --transform NAME``)."""

    name: str
    summary: str

    def __call__(self, x: "np.ndarray") -> "np.ndarray": ...


@dataclass(frozen=True)
class Choice:
    """A member that is only a name and its meaning (a tagging method, an output format, a level):
    the code that acts on it dispatches by name."""

    name: str
    summary: str = ""


def _defining_module(item: Any) -> str:
    """The module a member comes from: itself for a module, else its class's module."""
    if isinstance(item, types.ModuleType):
        return item.__name__
    return getattr(item, "__module__", None) or type(item).__module__


class Registry(Generic[T]):
    """Named members of one kind, in a stable order: the default first, then as registered
    (modules are imported in name order, so that is alphabetical for module-per-member kinds)."""

    def __init__(
        self,
        kind: str,
        *,
        source: str | None = None,
        default: str | None = None,
        name: Callable[[Any], str] = attrgetter("name"),
        summary: Callable[[Any], str] = attrgetter("summary"),
    ):
        self.kind = kind  # "format", "progress method": used in messages
        self.default = default
        self._source = source  # module (or package of modules) whose import registers members
        self._loaded = source is None
        self._name = name
        self._summary = summary
        self._items: dict[str, T] = {}

    def register(self, item: T) -> T:
        key = self._name(item)
        if key in self._items and self._items[key] is not item:
            raise ValueError(f"{self.kind} {key!r} is registered twice")
        self._items[key] = item
        return item

    def unregister(self, name: str) -> None:
        del self._items[name]

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True  # first: the modules imported below call register()
        module = importlib.import_module(self._source)  # type: ignore[arg-type]
        modules = [
            f"{module.__name__}.{sub.name}"
            for sub in pkgutil.iter_modules(getattr(module, "__path__", []))
            if not sub.name.startswith("_")
        ]
        for name in modules:
            importlib.import_module(name)
        # A member module imported earlier by other code registered out of turn: put the members
        # back in module order so names() does not depend on what was imported first.
        rank = {name: i for i, name in enumerate(modules)}
        order = sorted(self._items, key=lambda key: rank.get(_defining_module(self._items[key]), len(rank)))
        self._items = {key: self._items[key] for key in order}

    def names(self) -> tuple[str, ...]:
        self._load()
        rest = tuple(n for n in self._items if n != self.default)
        return ((self.default,) if self.default in self._items else ()) + rest

    def items(self) -> list[tuple[str, T]]:
        return [(n, self._items[n]) for n in self.names()]

    def values(self) -> list[T]:
        return [self._items[n] for n in self.names()]

    def get(self, name: str) -> T:
        self._load()
        if name not in self._items:
            raise UserInputError(f"unknown {self.kind} {name!r}: expected one of {', '.join(self.names())}")
        return self._items[name]

    def __getitem__(self, name: str) -> T:
        return self.get(name)

    def __contains__(self, name: object) -> bool:
        self._load()
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())

    def enum(self, enum_name: str, extra: tuple[str, ...] = ()) -> type[Enum]:
        """An option type of the members' names (and ``extra`` ones, such as ``auto``), so
        ``--help`` lists them and a typo is refused with the list."""
        values = (*extra, *self.names())
        return Enum(enum_name, [(v, v) for v in values], type=str)  # type: ignore[return-value]

    def help(self, extra: dict[str, str] | None = None) -> str:
        """The members for --help: ``a (what a is), b (what b is) or c (what c is)``."""
        parts = [f"{n} ({s})" if s else n for n, s in (extra or {}).items()]
        parts += [f"{n} ({self._summary(i)})" if self._summary(i) else n for n, i in self.items()]
        return or_list(parts)


def or_list(words) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


READERS: Registry[Reader] = Registry("format", source="sdgtrack.ingest.readers")
PROGRESS_METHODS: Registry[ProgressMethod] = Registry(
    "progress method",
    source="sdgtrack.progress.methods",
    default="unsd",
    name=attrgetter("NAME"),
    summary=attrgetter("SUMMARY"),
)
TRANSFORMS: Registry[Transform] = Registry("transform", source="sdgtrack.links.transforms", default="levels")
TAGGING_METHODS: Registry[Choice] = Registry("tagging method", source="sdgtrack.tagging.tagger", default="embedding")

# Kinds whose members are names only, declared here.
LINK_LEVELS: Registry[Choice] = Registry("level", default="series")
for _choice in (Choice("series", "series pairs"), Choice("goal", "goal pairs"), Choice("network", "network nodes")):
    LINK_LEVELS.register(_choice)

OUTPUT_FORMATS: Registry[Choice] = Registry("output format", default="table")
for _choice in (Choice("table", "for people, bounded"), Choice("csv", "every row"), Choice("json", "every row")):
    OUTPUT_FORMATS.register(_choice)
