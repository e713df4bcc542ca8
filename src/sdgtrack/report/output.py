"""Writing an annex: the format from the file's extension, checked before any work; the file
written beside its final name and renamed into place, so a failure leaves no partial file."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..errors import UserInputError
from ..pdf import weasyprint as load_weasyprint

if TYPE_CHECKING:
    from .vnr import Annex

SUFFIXES = (".html", ".pdf", ".docx", ".xlsx")


def check_output(path: str | Path, lang: str = "en") -> Path:
    """The output path, or one clear error: an unknown extension, a missing or unwritable folder, a
    folder where the file belongs, a PDF without WeasyPrint or without a font for ``lang``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UserInputError(f"annex file {path}: expected a name ending in {', '.join(SUFFIXES)}")
    if path.is_dir():
        raise UserInputError(f"annex file {path}: is a folder, expected a file name")
    folder = path.parent
    if not folder.is_dir():
        raise UserInputError(f"annex file {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UserInputError(f"annex file {path}: cannot write in the folder {folder} (permission denied)")
    if path.exists() and not os.access(path, os.W_OK):
        raise UserInputError(f"annex file {path}: the file exists and cannot be replaced (permission denied)")
    if suffix == ".pdf":
        # a missing extra or font is said before the annex is built
        load_weasyprint("PDF annexes", "the annex as .html or .docx")
        _check_fonts(lang)
    return path


def write_annex(annex: Annex, path: str | Path) -> Path:
    path = check_output(path, annex.lang)
    writer: Callable[[Annex, Path], None]
    suffix = path.suffix.lower()
    if suffix == ".html":
        from .html import write_html as writer
    elif suffix == ".pdf":
        writer = write_pdf
    elif suffix == ".docx":
        from .word import write_docx as writer
    else:
        from .workbook import write_xlsx as writer
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        writer(annex, Path(tmp))
        os.replace(tmp, path)
    except OSError as exc:
        raise UserInputError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_pdf(annex: Annex, path: Path) -> None:
    from .html import render_html

    weasyprint = load_weasyprint("PDF annexes", "the annex as .html or .docx")
    weasyprint.HTML(string=render_html(annex, for_pdf=True)).write_pdf(path)


def _check_fonts(lang: str) -> None:
    """A PDF embeds the system's fonts: without one that has the language's script every letter would
    be an empty box (Chinese on a machine without a CJK font). fontconfig answers; without it, no check."""
    fc_list = shutil.which("fc-list")
    if fc_list is None or lang == "en":
        return
    script = lang.split("-")[0]
    found = subprocess.run([fc_list, f":lang={script}", "family"], capture_output=True, text=True, check=False)
    if found.returncode == 0 and not found.stdout.strip():
        package = "fonts-noto-cjk" if script == "zh" else "fonts-noto-core"
        raise UserInputError(
            f"no installed font has the letters of language {lang!r}: the PDF would show empty boxes; "
            f"install one (Debian: apt-get install {package}) or write the annex as .docx, .xlsx or .html"
        )
