"""The words the faces offer: choices, their help and the codes they check, handed over by the front
door from the module that declares each (one declaration; this module only names them).

The faces (``commands``, ``web``, ``publish``, ``report``) build option choices and check request
values with these, so they import no analysis, store or ingest module (``pyproject.toml``'s Faces
contract). Pluggable kinds (readers, progress methods, transforms, tagging methods, link levels)
are ``registries.py``'s; fixed vocabularies are here. A face that needs a new one adds it here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Each name -> (the module that declares it, its name there), imported when a face first asks for
# it: the declaring modules bring Altair, the tagger, the contributions registry, argon2 ... (about
# a CPU second), while `sdgtrack ingest` needs only DATASET_KINDS.
DECLARED: dict[str, tuple[str, str]] = {
    "CITY_BANDS": ("cities.scoring", "BANDS"),  # a KPI's attainment band, worst first
    "CITY_LEVELS": ("cities.scoring", "LEVELS"),  # U4SSC roll-up levels of a city's scores
    "CITY_SHORT_BANDS": ("cities.scoring", "SHORT_BANDS"),
    "CONTRIBUTION_FIELDS": ("contributions.edit", "CORRECTABLE"),  # record fields a correction may change
    "record_fields": ("contributions.edit", "record_fields"),  # (field, help) of a record kind: the fields a form shows
    # the questionnaire's words per description
    "description_word_limit": ("contributions.layout", "description_word_limit"),
    "CONTRIBUTION_KINDS": ("contributions.models", "KINDS"),
    "CONTRIBUTION_STATUSES": ("contributions.models", "STATUSES"),
    "REQUEST_GRID_COLUMNS": ("data_entry", "GRID_COLUMNS"),  # the columns of a data request typed in a grid
    "UPLOAD_MAX_BYTES": ("data_entry", "MAX_UPLOAD_BYTES"),
    "REQUEST_UPLOAD_TYPES": ("data_entry", "UPLOAD_TYPES"),  # file suffix -> what a data request may upload
    "SDMX_FORMAT_HELP": ("exchange.export", "FORMAT_HELP"),
    "SDMX_FORMATS": ("exchange.export", "FORMATS"),
    "SDMX_AGENCY": ("exchange.serve", "AGENCY"),  # the agency of this server's dataflows
    "SDMX_MEDIA": ("exchange.serve", "MEDIA"),  # data format -> media type of the SDMX REST API
    "SDMX_STRUCTURE_MEDIA": ("exchange.serve", "STRUCTURE_MEDIA"),
    "CUSTOM_AREA_KINDS": ("frameworks.areas", "CUSTOM_KINDS"),
    "LANGUAGES": ("frameworks.reference", "LANGUAGES"),  # the six UN languages of the framework's titles
    "TREND_ARROWS": ("index.trends", "ARROWS"),  # SDG Index trend -> arrow
    "DIM_ESCAPES": ("ingest.canonical", "DIM_ESCAPES"),  # how '\', '|' and '=' inside a dimension are written
    "DATASET_KINDS": ("ingest.datasets", "KINDS"),
    "PROGRESS_NO_DATA_COLOUR": ("progress.chart", "NO_DATA"),  # the progress chart's colour of "no data"
    "ChartWords": ("progress.chart", "ChartWords"),  # the words of the progress chart, in the page's language
    "HEADLINE_REASONS": ("progress.headline", "REASONS"),  # why a series is its indicator's headline
    "EUROSTAT_DEFAULTS": ("progress.methods.eurostat", "DEFAULTS"),
    "EUROSTAT_PERIODS": ("progress.methods.eurostat", "PERIODS"),
    "PROGRESS_LEVELS": ("progress.rollup", "LEVELS"),
    "ROLES": ("store.accounts", "ROLES"),
    "SCHEMA_VERSION": ("store.migrations", "LATEST"),  # the store schema this release writes
    "RELOAD_TO_APPLY": ("store.migrations", "RELOAD_TO_APPLY"),  # migration -> what only a re-load gives old rows
    "TaggingWarning": ("tagging.inputs", "TaggingWarning"),  # a text the tagger read with a caveat (language, length)
    "TAGGING_AUTO_HELP": ("tagging.tagger", "AUTO_HELP"),  # the "auto" tagging method and its help
}

if TYPE_CHECKING:  # the same names for the type checker; tests/test_vocabulary.py keeps both equal
    from .cities.scoring import BANDS as CITY_BANDS
    from .cities.scoring import LEVELS as CITY_LEVELS
    from .cities.scoring import SHORT_BANDS as CITY_SHORT_BANDS
    from .contributions.edit import CORRECTABLE as CONTRIBUTION_FIELDS
    from .contributions.edit import record_fields
    from .contributions.layout import description_word_limit
    from .contributions.models import KINDS as CONTRIBUTION_KINDS
    from .contributions.models import STATUSES as CONTRIBUTION_STATUSES
    from .data_entry import GRID_COLUMNS as REQUEST_GRID_COLUMNS
    from .data_entry import MAX_UPLOAD_BYTES as UPLOAD_MAX_BYTES
    from .data_entry import UPLOAD_TYPES as REQUEST_UPLOAD_TYPES
    from .exchange.export import FORMAT_HELP as SDMX_FORMAT_HELP
    from .exchange.export import FORMATS as SDMX_FORMATS
    from .exchange.serve import AGENCY as SDMX_AGENCY
    from .exchange.serve import MEDIA as SDMX_MEDIA
    from .exchange.serve import STRUCTURE_MEDIA as SDMX_STRUCTURE_MEDIA
    from .frameworks.areas import CUSTOM_KINDS as CUSTOM_AREA_KINDS
    from .frameworks.reference import LANGUAGES
    from .index.trends import ARROWS as TREND_ARROWS
    from .ingest.canonical import DIM_ESCAPES
    from .ingest.datasets import KINDS as DATASET_KINDS
    from .progress.chart import NO_DATA as PROGRESS_NO_DATA_COLOUR
    from .progress.chart import ChartWords
    from .progress.headline import REASONS as HEADLINE_REASONS
    from .progress.methods.eurostat import DEFAULTS as EUROSTAT_DEFAULTS
    from .progress.methods.eurostat import PERIODS as EUROSTAT_PERIODS
    from .progress.rollup import LEVELS as PROGRESS_LEVELS
    from .store.accounts import ROLES
    from .store.migrations import LATEST as SCHEMA_VERSION
    from .store.migrations import RELOAD_TO_APPLY
    from .tagging.inputs import TaggingWarning
    from .tagging.tagger import AUTO_HELP as TAGGING_AUTO_HELP

__all__ = [
    "CITY_BANDS",
    "CITY_LEVELS",
    "CITY_SHORT_BANDS",
    "CONTRIBUTION_FIELDS",
    "CONTRIBUTION_KINDS",
    "CONTRIBUTION_STATUSES",
    "CUSTOM_AREA_KINDS",
    "DATASET_KINDS",
    "DIM_ESCAPES",
    "EUROSTAT_DEFAULTS",
    "EUROSTAT_PERIODS",
    "HEADLINE_REASONS",
    "LANGUAGES",
    "PROGRESS_LEVELS",
    "PROGRESS_NO_DATA_COLOUR",
    "RELOAD_TO_APPLY",
    "REQUEST_GRID_COLUMNS",
    "REQUEST_UPLOAD_TYPES",
    "ROLES",
    "SCHEMA_VERSION",
    "SDMX_AGENCY",
    "SDMX_FORMATS",
    "SDMX_MEDIA",
    "SDMX_STRUCTURE_MEDIA",
    "SDMX_FORMAT_HELP",
    "TAGGING_AUTO_HELP",
    "TREND_ARROWS",
    "ChartWords",
    "TaggingWarning",
    "UPLOAD_MAX_BYTES",
    "description_word_limit",
    "record_fields",
]


def __getattr__(name: str) -> Any:
    if name not in DECLARED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attr = DECLARED[name]
    value = getattr(importlib.import_module(f"{__package__}.{module}"), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
