"""The site as a set of files, each rendered on demand, and the registry of their producers.

A producer is a function ``(site) -> Iterable[SiteFile]`` registered with :func:`producer`.
Listing files must be cheap (no rendering): the live server looks one path up among them, and
the static build compares each file's ``key`` with the key it wrote last time, rendering only
the files whose key changed. A key is a fingerprint of everything the bytes depend on (store
content feeding the file, language, options, sdgtrack version): same key, same bytes.
"""
from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

if TYPE_CHECKING:
    from ..workspace import Workspace

Producer = Callable[["Site"], Iterable["SiteFile"]]
PRODUCERS: list[Producer] = []


def producer(function: Producer) -> Producer:
    """Register a producer of site files (pages, data outputs, assets)."""
    PRODUCERS.append(function)
    return function


@dataclass(frozen=True)
class SiteOptions:
    langs: tuple[str, ...] = ("en",)
    title: str = "SDG data"
    base_url: str = "/"
    datasets: tuple[str, ...] | None = None  # None: every dataset, by the store's preference
    boundaries: Path | None = None  # GeoJSON of sub-national areas, when given


@dataclass(frozen=True)
class SiteFile:
    path: str  # POSIX path under the site root, e.g. "en/data/3-2-1.csv" or "en/goals/3/index.html"
    render: Callable[[], bytes] = field(compare=False, repr=False)
    key: str  # fingerprint of every input of the bytes

    @property
    def media_type(self) -> str:
        kind, _ = mimetypes.guess_type(self.path)
        if kind and (kind.startswith("text/") or kind in ("application/json", "application/javascript")):
            return f"{kind}; charset=utf-8"
        return kind or "application/octet-stream"


class Site:
    """What every producer reads: the workspace and the options (plus caches producers share)."""

    def __init__(self, workspace: "Workspace", options: SiteOptions | None = None):
        self.workspace = workspace
        self.options = options or SiteOptions()
        self.cache: dict[str, object] = {}  # producers memoise shared reads here, per build or request

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


def _load_producers() -> None:
    """Import the modules whose producers register themselves (pages, data outputs, assets)."""
    import importlib
    import pkgutil

    from . import outputs, pages

    for package in (outputs, pages):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
