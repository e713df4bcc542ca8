"""WeasyPrint, loaded when a PDF is asked for: an optional extra that needs the system's Pango."""

from __future__ import annotations

from types import ModuleType

from .errors import UserInputError


def weasyprint(what: str, instead: str) -> ModuleType:
    """The weasyprint module, or one message naming ``what`` needs it and the formats ``instead``."""
    try:
        import weasyprint as module
    except ImportError:
        raise UserInputError(f"{what} need WeasyPrint: pip install 'sdgtrack[pdf]' (or write {instead})") from None
    except OSError as exc:  # the Python package is there, Pango is not
        raise UserInputError(
            f"WeasyPrint cannot load its system libraries ({exc}); on Debian: "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"
        ) from None
    return module
