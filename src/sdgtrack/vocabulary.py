"""The words the faces offer: choices, their help and the codes they check, handed over by the front
door from the module that declares each (one declaration; this module only names them).

The faces (``commands``, ``web``, ``publish``, ``report``) build option choices and check request
values with these, so they import no analysis, store or ingest module (``pyproject.toml``'s Faces
contract). Pluggable kinds (readers, progress methods, transforms, tagging methods, link levels)
are ``registries.py``'s; fixed vocabularies are here. A face that needs a new one adds it here.
"""

from __future__ import annotations

from .cities.scoring import BANDS as CITY_BANDS  # a KPI's attainment band, worst first
from .cities.scoring import LEVELS as CITY_LEVELS  # U4SSC roll-up levels of a city's scores
from .cities.scoring import SHORT_BANDS as CITY_SHORT_BANDS
from .contributions.edit import CORRECTABLE as CONTRIBUTION_FIELDS  # record fields a correction may change
from .contributions.edit import record_fields  # (field, help) of a record kind: the fields a form shows
from .contributions.layout import description_word_limit  # the questionnaire's words per description
from .contributions.models import KINDS as CONTRIBUTION_KINDS
from .contributions.models import STATUSES as CONTRIBUTION_STATUSES
from .data_entry import GRID_COLUMNS as REQUEST_GRID_COLUMNS  # the columns of a data request typed in a grid
from .data_entry import MAX_UPLOAD_BYTES as UPLOAD_MAX_BYTES
from .data_entry import UPLOAD_TYPES as REQUEST_UPLOAD_TYPES  # file suffix -> what a data request may upload
from .exchange.export import FORMAT_HELP as SDMX_FORMAT_HELP
from .exchange.export import FORMATS as SDMX_FORMATS
from .exchange.serve import AGENCY as SDMX_AGENCY  # the agency of this server's dataflows
from .exchange.serve import MEDIA as SDMX_MEDIA  # data format -> media type of the SDMX REST API
from .exchange.serve import STRUCTURE_MEDIA as SDMX_STRUCTURE_MEDIA
from .frameworks.areas import CUSTOM_KINDS as CUSTOM_AREA_KINDS
from .frameworks.reference import LANGUAGES  # the six UN languages of the framework's titles
from .index.trends import ARROWS as TREND_ARROWS  # SDG Index trend -> arrow
from .ingest.canonical import DIM_ESCAPES  # how '\', '|' and '=' inside a dimension are written
from .ingest.datasets import KINDS as DATASET_KINDS
from .progress.chart import NO_DATA as PROGRESS_NO_DATA_COLOUR  # the progress chart's colour of "no data"
from .progress.chart import ChartWords  # the words of the progress chart, in the page's language
from .progress.headline import REASONS as HEADLINE_REASONS  # why a series is its indicator's headline
from .progress.methods.eurostat import DEFAULTS as EUROSTAT_DEFAULTS
from .progress.methods.eurostat import PERIODS as EUROSTAT_PERIODS
from .progress.rollup import LEVELS as PROGRESS_LEVELS
from .store.accounts import ROLES
from .store.migrations import LATEST as SCHEMA_VERSION  # the store schema this release writes
from .store.migrations import RELOAD_TO_APPLY  # migration -> what only a re-load gives old rows
from .tagging.inputs import TaggingWarning  # a text the tagger read with a caveat (language, length)
from .tagging.tagger import AUTO_HELP as TAGGING_AUTO_HELP  # the "auto" tagging method and its help

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
