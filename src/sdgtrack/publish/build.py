"""The static build: every file the site's producers list, written to a folder, and only what changed.

A manifest in the folder (``.sdgtrack-site.json``) keeps the key of every file written. A rebuild
lists the files again (cheap), renders and writes only those whose key differs from the manifest's
(or that are missing on disk), and removes the files the manifest lists that are no longer produced.
Each file is written to a temporary name and renamed over the old one, so a build that is killed
leaves every file whole (old or new); the manifest is renamed into place last, so files written by
a killed build are written again next time. The build never touches a file it did not write: a
folder that holds files but no manifest is refused.

Files of equal keys have equal bytes: the data tables and maps are the same in every language. A
file whose key another file of the site already holds (written by this build, or unchanged) is made
a hard link to it, so a three-language site stores its tables once. A link is made under a temporary
name and renamed into place like a written file, and no file of the site is ever changed in place
(every write is a new file renamed over the old path), so a later write to one path never shows
through another. Where the file system refuses links, the bytes are written instead.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Callable

from ..errors import UserInputError
from .site import Site, SiteOptions, check_langs

if TYPE_CHECKING:
    from ..workspace import Workspace

MANIFEST = ".sdgtrack-site.json"
TEMP_SUFFIX = ".sdgtrack-tmp"


@dataclass
class BuildReport:
    out: Path
    written: int = 0  # files rendered and written (new or changed)
    unchanged: int = 0  # files whose key had not changed (left as they were)
    removed: int = 0  # files of the last build no longer produced
    bytes: int = 0  # bytes written by this build
    total_bytes: int = 0  # size of every file of the site after the build (a linked file at each path)
    disk_bytes: int = 0  # the same, each hard-linked file counted once: what the folder takes on disk
    linked: int = 0  # files written as a hard link to a file of equal key (included in ``written``)
    seconds: float = 0.0
    area: str = ""  # the site's area in words, and why it is the one
    written_paths: list[str] = field(default_factory=list, repr=False)
    removed_paths: list[str] = field(default_factory=list, repr=False)

    @property
    def files(self) -> int:
        return self.written + self.unchanged

    def summary(self) -> str:
        on_disk = f", {self.disk_bytes / 1e6:,.1f} MB on disk" if self.disk_bytes != self.total_bytes else ""
        linked = f" ({self.linked:,} as links)" if self.linked else ""
        return (
            f"{self.files:,} files in {self.out} ({self.total_bytes / 1e6:,.1f} MB{on_disk}): {self.written:,} "
            f"written{linked} ({self.bytes / 1e6:,.1f} MB), {self.unchanged:,} unchanged, {self.removed:,} removed, "
            f"in {self.seconds:.1f} s"
        )


def build_site(
    workspace: "Workspace",
    out: str | Path,
    options: SiteOptions | None = None,
    *,
    progress: Callable[[int, int, str], None] | None = None,
) -> BuildReport:
    """Build the site into ``out`` (created if needed): write the files whose key changed since the
    last build there, remove those no longer produced. ``progress(done, total, path)`` is called as
    files are written."""
    started = time.perf_counter()
    out = Path(out)
    manifest = read_manifest(out)
    site = Site(workspace, options)
    check_options(site)
    by_key = {key: path for path, key in manifest.items()}  # equal keys, equal bytes: any path will do
    site.previous = lambda path, key: _previous(out, by_key, key)
    files = list(site.files())
    paths = [_checked(f.path) for f in files]
    if len(set(paths)) != len(paths):
        seen: set[str] = set()
        twice = sorted({p for p in paths if p in seen or seen.add(p)})  # type: ignore[func-returns-value]
        raise RuntimeError(f"two producers list the same site file: {', '.join(twice[:5])}")  # a bug, not input
    report = BuildReport(out=out)
    stale = [f for f in files if manifest.get(f.path) != f.key or not (out / f.path).is_file()]
    first_build = not manifest and not (out / MANIFEST).is_file()
    folder_existed = out.is_dir()
    _clear_temporaries(out)
    if first_build:
        # a first build marks the folder as a site before its first file, so that one killed half-way
        # (SIGKILL, power cut: no cleanup runs) is finished by the next build instead of refused as a
        # folder of someone else's files
        _write_manifest(out, {})
    placed: list[str] = []  # paths renamed into place by this build (undone when a first build fails)
    try:
        site.prefetch(f.about for f in stale if f.about)  # one read for every indicator to render
        # 1. every changed file is rendered to a temporary name beside its path; nothing the last build
        # wrote is touched yet, so a failure here (a bug, a full disk, Ctrl-C) leaves it exactly as it was
        # key -> a file holding its bytes: unchanged ones now, this build's temporaries as they are written
        stale_paths = {f.path for f in stale}
        holders = {f.key: out / f.path for f in files if f.path not in stale_paths}
        for done, file in enumerate(stale, 1):
            temporary = _temporary(out / file.path)
            holder = holders.get(file.key)
            if holder is not None and _link(holder, temporary):
                report.linked += 1
            else:
                data = site.content(file)
                _make_folder(temporary.parent)
                temporary.write_bytes(data)
                report.bytes += len(data)
                holders.setdefault(file.key, temporary)
            report.written += 1
            report.written_paths.append(file.path)
            if progress:
                progress(done, len(stale), file.path)
        # 2. renamed into place (fast: no rendering left to fail), the manifest last
        for file in stale:
            os.replace(_temporary(out / file.path), out / file.path)
            placed.append(file.path)
        report.unchanged = len(files) - len(stale)
        produced = {f.path: f.key for f in files}
        for path in sorted(set(manifest) - set(produced)):
            target = out / _checked(path)
            if target.is_file():
                target.unlink()
            report.removed += 1
            report.removed_paths.append(path)
            _remove_empty_parents(target.parent, out)
        _write_manifest(out, produced)
    except BaseException:
        _undo(out, placed if first_build else [], folder_existed)
        raise
    inodes: dict[tuple[int, int], int] = {}
    for path in produced:
        stat = (out / path).stat()
        report.total_bytes += stat.st_size
        inodes[(stat.st_dev, stat.st_ino)] = stat.st_size
    report.disk_bytes = sum(inodes.values())
    code, why = site.area_choice()
    name = workspace.area_names([code]).get(code, code) if code else None
    scope = "every area published" if site.options.all_areas else "its data and its parts' published"
    report.area = f"{name} ({code}), {why}; {scope}" if code else why
    report.seconds = time.perf_counter() - started
    return report


def _temporary(target: Path) -> Path:
    return target.with_name(target.name + TEMP_SUFFIX)


def _link(source: Path, temporary: Path) -> bool:
    """Make ``temporary`` a hard link to ``source``; False where the file system refuses links."""
    _make_folder(temporary.parent)
    temporary.unlink(missing_ok=True)
    try:
        os.link(source, temporary)
    except OSError:
        return False
    return True


def _undo(out: Path, placed: list[str], folder_existed: bool) -> None:
    """After a failed build: its temporaries removed; for a first build, every file it put in place and
    its manifest too, so no half-written site is left (the folder itself only if the build made it).
    A rebuild that failed before renaming leaves the last build as it was; one that failed while
    renaming (the disk, not the data) keeps the last manifest, so the next build rewrites the rest."""
    try:
        _clear_temporaries(out)
        for path in placed:
            target = out / path
            target.unlink(missing_ok=True)
            _remove_empty_parents(target.parent, out)
        if _only_manifest(out):
            (out / MANIFEST).unlink()
        if not folder_existed and out.is_dir() and not any(out.iterdir()):
            out.rmdir()
    except OSError:  # the cleanup must not hide the error that stopped the build
        pass


def _only_manifest(out: Path) -> bool:
    """Whether ``out`` holds nothing but an empty manifest (a first build that wrote no file yet)."""
    if not out.is_dir():
        return False
    if [p.name for p in out.iterdir()] != [MANIFEST]:
        return False
    try:
        return json.loads((out / MANIFEST).read_text("utf-8")).get("files") == {}
    except (OSError, ValueError):
        return False


def _write_manifest(out: Path, files: dict[str, str]) -> None:
    document = {"generator": _generator(), "files": files}
    write_atomic(out / MANIFEST, json.dumps(document, indent=0, sort_keys=True).encode("utf-8"))


def check_options(site: Site) -> None:
    """Refuse options naming what the store or the translations do not have, before anything is written."""
    options = site.options
    check_langs(options.langs)
    if options.datasets:
        known = set(site.datasets().index)
        unknown = [d for d in options.datasets if d not in known]
        if unknown:
            raise UserInputError(
                f"--dataset {', '.join(unknown)}: expected datasets of the store: "
                f"{', '.join(sorted(known)) or '(none loaded yet)'} (see `sdgtrack datasets list`)"
            )


def read_manifest(out: Path) -> dict[str, str]:
    """The keys of the last build in ``out``; {} for a new or empty folder. Refuses a file, and a
    folder holding files that no sdgtrack build wrote (no manifest)."""
    if out.exists() and not out.is_dir():
        raise UserInputError(
            f"{out} is a file: expected a folder for the site (new, empty, or built before by `sdgtrack site build`)"
        )
    path = out / MANIFEST
    if not path.is_file():
        if out.is_dir() and any(out.iterdir()):
            raise UserInputError(
                f"{out} is not empty and holds no sdgtrack site (no {MANIFEST}): expected a new or "
                "empty folder, or one built before by `sdgtrack site build`, so that no file of "
                "yours is overwritten or removed"
            )
        return {}
    try:
        document = json.loads(path.read_text("utf-8"))
        files = document["files"]
        if not isinstance(files, dict):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError):
        raise UserInputError(
            f"{path}: expected the JSON manifest of an earlier build (an object with 'files'); "
            "delete the folder or choose another to build afresh"
        ) from None
    return {str(k): str(v) for k, v in files.items()}


def is_site(folder: Path) -> bool:
    """Whether ``folder`` holds a site built by sdgtrack (its manifest)."""
    return (Path(folder) / MANIFEST).is_file()


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target`` and rename it over ``target``."""
    _make_folder(target.parent)
    temporary = target.with_name(target.name + TEMP_SUFFIX)
    temporary.write_bytes(data)
    os.replace(temporary, target)


def _make_folder(folder: Path) -> None:
    """``folder.mkdir(parents=True)``, skipped when the folder is there (a build writes thousands of
    files into a few dozen folders: a system call saved per file)."""
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)


def link_atomic(source: Path, target: Path) -> bool:
    """Make ``target`` a hard link to ``source`` (through a temporary name renamed over ``target``);
    False, with nothing changed, where the file system refuses links (FAT, some network shares)."""
    _make_folder(target.parent)
    if target.exists() and os.path.samefile(source, target):
        # already linked (a killed build got this far): renaming a link over another link to the same
        # file does nothing and would leave the temporary name behind
        return True
    temporary = target.with_name(target.name + TEMP_SUFFIX)
    temporary.unlink(missing_ok=True)
    try:
        os.link(source, temporary)
    except OSError:
        return False
    os.replace(temporary, target)
    return True


def _previous(out: Path, by_key: dict[str, str], key: str) -> bytes | None:
    """The bytes the last build wrote for the same key (at the same path, or another language's)."""
    path = by_key.get(key)
    if path is None:
        return None
    try:
        return (out / path).read_bytes()
    except OSError:
        return None


def _checked(path: str) -> str:
    """A producer's path, refused when it could leave the site folder (a bug in a producer)."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or path.endswith(TEMP_SUFFIX):
        raise RuntimeError(f"site file path {path!r} is not a relative path inside the site")
    return path


def _clear_temporaries(out: Path) -> None:
    """Temporary files a killed or failed build left behind (and the folders only they filled)."""
    if out.is_dir():
        for stray in list(out.rglob("*" + TEMP_SUFFIX)):
            stray.unlink(missing_ok=True)
            _remove_empty_parents(stray.parent, out)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _generator() -> str:
    import sdgtrack

    return f"sdgtrack {sdgtrack.__version__}"
