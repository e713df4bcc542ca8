"""The SDMX REST API over a store (SDMX 2.1 RESTful web services, the parts a data client uses):
every dataset with rows is a dataflow of agency SDGTRACK, structured by the global SDG DSD.

A dataset is mapped to the DSD once per store state (``export.map_rows``, no map files: the codes
the store holds that are SDG codes), and kept for later queries; its observations that do not fit
the DSD are left out of the answers, and the dataflow's description says how many. Every answer
is bounded: a dataset larger than ``MAX_DATASET_ROWS`` is not mapped, an answer of more than
``MAX_OBSERVATIONS`` observations is refused with the advice to narrow the key or the period.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import duckdb

from ..errors import NotFound, TooLarge, UserInputError
from ..store import exchange as store_exchange
from .dsd import Structure, load
from .export import DETAILS, Mapped, _lit, _q, map_rows, write

if TYPE_CHECKING:
    from ..store.database import Database

AGENCY = "SDGTRACK"
FLOW_VERSION = "1.0"
MAX_OBSERVATIONS = 200_000
MAX_DATASET_ROWS = 1_000_000
KEPT_MAPPINGS = 4
MEDIA = {
    "structure": "application/vnd.sdmx.structurespecificdata+xml;version=2.1",
    "generic": "application/vnd.sdmx.genericdata+xml;version=2.1",
    "csv": "application/vnd.sdmx.data+csv;version=1.0.0",
}
STRUCTURE_MEDIA = "application/vnd.sdmx.structure+xml;version=2.1"
PERIOD = re.compile(r"^(\d{4})(-(Q[1-4]|S[12]|W\d{2}|\d{2}(-\d{2})?))?$")


@dataclass
class FlowInfo:
    dataset: str
    title: str
    rows: int


_lock = threading.Lock()
# One mapping at a time: a first query of a large dataset costs seconds of CPU, and requests for
# several unmapped datasets at once would otherwise multiply it.
_map_lock = threading.Lock()
_mapped: OrderedDict[tuple[str, str], Mapped] = OrderedDict()


def _mapping(con: duckdb.DuckDBPyConnection, state: str, dataset: str) -> Mapped:
    key = (state, dataset)
    with _lock:
        if key in _mapped:
            _mapped.move_to_end(key)
            return _mapped[key]
    flows = {f.dataset: f for f in _datasets(con)}
    if dataset not in flows:
        raise NotFound(f"no dataflow {dataset!r}: dataflows are {', '.join(flows) or 'none'}")
    if flows[dataset].rows > MAX_DATASET_ROWS:
        raise TooLarge(
            f"dataflow {dataset!r} has {flows[dataset].rows:,} observations, more than this server maps "
            f"({MAX_DATASET_ROWS:,}); export it with `sdgtrack export sdmx`"
        )
    with _map_lock:
        with _lock:
            if key in _mapped:
                return _mapped[key]
        mapped = map_rows(store_exchange.exchange_rows(con, dataset), load())
        with _lock:
            _mapped[key] = mapped
            while len(_mapped) > KEPT_MAPPINGS:
                # not closed here: a request may still read it through a cursor; freed with the last
                _mapped.popitem(last=False)
    return mapped


def _datasets(con: duckdb.DuckDBPyConnection) -> list[FlowInfo]:
    frame = store_exchange.exchange_datasets(con)
    return [FlowInfo(str(r.id), str(r.title), int(r.rows)) for r in frame.itertuples()]


def _usable(mapped: Mapped) -> str:
    return "rid NOT IN (SELECT rid FROM problem_rows)"


# -- structure messages -----------------------------------------------------------------------------


def _structure_header(prepared: dt.datetime) -> str:
    return (
        f"<mes:Header><mes:ID>SDGTRACK_STRUCTURE</mes:ID><mes:Test>false</mes:Test>"
        f'<mes:Prepared>{prepared.strftime("%Y-%m-%dT%H:%M:%S")}</mes:Prepared><mes:Sender id="{AGENCY}"/></mes:Header>'
    )


def _dataflows_xml(flows: list[FlowInfo], structure: Structure) -> str:
    items = []
    for f in flows:
        urn = f"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow={AGENCY}:{f.dataset}({FLOW_VERSION})"
        items.append(
            f'<str:Dataflow urn="{urn}" id="{f.dataset}" agencyID="{AGENCY}" version="{FLOW_VERSION}" isFinal="false">'
            f'<com:Name xml:lang="en">{escape(f.title)}</com:Name>'
            f'<com:Description xml:lang="en">{escape(f"{f.rows:,} observations in the store")}</com:Description>'
            f'<str:Structure><Ref agencyID="{structure.agency}" id="{structure.id}" version="{structure.version}" '
            'package="datastructure" class="DataStructure"/></str:Structure></str:Dataflow>'
        )
    return "<str:Dataflows>" + "".join(items) + "</str:Dataflows>"


def _insert_into_dsd(structure: Structure, dataflows_xml: str) -> bytes:
    """The DSD message with the dataflows where SDMX-ML 2.1 puts them (after the agencies)."""
    text = structure.raw.decode("utf-8")
    at = text.find("</str:OrganisationSchemes>")
    at = at + len("</str:OrganisationSchemes>") if at >= 0 else text.find("<mes:Structures>") + len("<mes:Structures>")
    return (text[:at] + dataflows_xml + text[at:]).encode("utf-8")


# -- data -------------------------------------------------------------------------------------------


def _flow_id(flow: str) -> str:
    """``ID``, ``AGENCY,ID`` or ``AGENCY,ID,VERSION`` (the REST flowRef) -> the dataset id."""
    parts = flow.split(",")
    if len(parts) > 3 or (len(parts) >= 2 and parts[0] not in (AGENCY, "all", "")):
        raise NotFound(f"no dataflow {flow!r}: this server's dataflows are agency {AGENCY}")
    return parts[1] if len(parts) >= 2 else parts[0]


def _key_filter(key: str | None, structure: Structure) -> list[str]:
    if key in (None, "", "all"):
        return []
    parts = key.split(".")
    dims = structure.dimension_ids
    if len(parts) != len(dims):
        raise UserInputError(
            f"key {key!r}: expected {len(dims)} dimension values separated by dots ({'.'.join(dims)}); "
            "leave a position empty for all, join codes with +"
        )
    clauses = []
    for dim, part in zip(dims, parts):
        if part:
            codes = [c for c in part.split("+") if c]
            clauses.append(f"{_q(dim)} IN ({', '.join(_lit(c) for c in codes)})")
    return clauses


def _period_filter(start: str | None, end: str | None, tdim: str) -> list[str]:
    clauses = []
    for name, value, op in (("startPeriod", start, ">="), ("endPeriod", end, "<=")):
        if value is None:
            continue
        m = PERIOD.match(value.strip())
        if not m:
            raise UserInputError(f"{name} {value!r}: expected a period such as 2015, 2015-Q1, 2015-06 or 2015-06-30")
        clauses.append(f"TRY_CAST(left({_q(tdim)}, 4) AS INTEGER) {op} {int(m.group(1))}")
    return clauses


class SdmxApi:
    """The SDMX REST API's answers over one store (``Workspace.sdmx``): what the live app's
    ``/sdmx`` routes serve."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def dataflows(self, flow: str | None = None, references: str = "none") -> bytes:
        """The store's dataflows (or one), as an SDMX-ML structure message; ``references`` all,
        datastructure, descendants or children add the DSD with its code lists and concepts."""
        structure = load()
        flows = [f for f in _datasets(self.db.con) if flow in (None, "all", f.dataset)]
        if not flows:
            raise NotFound(f"no dataflow {flow!r}")
        body = _dataflows_xml(flows, structure)
        if references in ("all", "datastructure", "descendants", "children"):
            return _insert_into_dsd(structure, body)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" '
            'xmlns:str="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure" '
            'xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">'
            f"{_structure_header(dt.datetime(2000, 1, 1))}<mes:Structures>{body}</mes:Structures></mes:Structure>"
        ).encode()

    @staticmethod
    def datastructure(agency: str | None = None, resource: str | None = None) -> bytes:
        """The DSD as shipped (its code lists and concepts in the same message)."""
        structure = load()
        if agency not in (None, "all", structure.agency) or resource not in (None, "all", structure.id):
            raise NotFound(f"no data structure {agency}:{resource}; this server has {structure.agency}:{structure.id}")
        return structure.raw

    def data(
        self,
        flow: str,
        key: str | None = None,
        *,
        start: str | None = None,
        end: str | None = None,
        detail: str = "full",
        dimension_at_observation: str | None = None,
        format: str = "structure",  # noqa: A002  (the SDMX REST API's word)
    ) -> tuple[bytes, dict]:
        """One dataflow's observations matching ``key`` (dot-separated codes in the DSD's key order,
        empty for all, ``+`` between alternatives) and the period, as one SDMX message (``format``
        structure, generic or csv), with counts: observations, series, left_out, dataset."""
        state = self.db.state_fingerprint()
        if detail not in DETAILS:
            raise UserInputError(f"detail {detail!r}: expected one of {', '.join(DETAILS)}")
        structure = load()
        at_obs = dimension_at_observation or structure.time_dimension
        if at_obs not in (structure.time_dimension, "AllDimensions"):
            raise UserInputError(
                f"dimensionAtObservation {at_obs!r}: this server answers {structure.time_dimension} or AllDimensions"
            )
        flat = at_obs == "AllDimensions"
        if flat and detail in ("serieskeysonly", "nodata"):
            raise UserInputError(f"detail {detail} needs dimensionAtObservation={structure.time_dimension}")
        dataset = _flow_id(flow)
        mapped = _mapping(self.db.con, state, dataset)
        where = " AND ".join(
            [_usable(mapped), *_key_filter(key, structure), *_period_filter(start, end, structure.time_dimension)]
        )
        cursor = mapped.con.cursor()
        try:
            n = cursor.execute(f"SELECT count(*) FROM sdmx_obs WHERE {where}").fetchone()[0]
            if n == 0:
                raise NotFound(f"no observations of dataflow {dataset!r} match (NoResultsFound)")
            if n > MAX_OBSERVATIONS and detail in ("full", "dataonly"):
                raise TooLarge(
                    f"{n:,} observations match, more than one answer holds ({MAX_OBSERVATIONS:,}): narrow the key or the period"
                )
            buf = io.BytesIO()
            left = cursor.execute("SELECT count(DISTINCT rid) FROM problem_rows").fetchone()[0]
            n_obs, n_series = write(
                mapped,
                buf,
                format,
                sender=AGENCY,
                prepared=dt.datetime(2000, 1, 1),
                msg_id=re.sub(r"[^A-Za-z0-9_-]", "_", f"{dataset}_{state[:12]}"),
                where=where,
                detail=detail,
                flat=flat,
                con=cursor,
            )
        finally:
            cursor.close()
        return buf.getvalue(), {"observations": n_obs, "series": n_series, "left_out": left, "dataset": dataset}
