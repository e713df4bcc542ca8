"""A data structure definition (DSD) as the exporter and the REST API need it.

Read with lxml in one pass: sdmx1 takes about 7 s to build its model of the 2.6 MB global SDG DSD,
this reader a fraction of a second, and the checks only need the component order, which code list
each component takes and the codes in each list. Parsed DSDs are cached by path and file state.
"""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import InvalidInputError, Problem

DEFAULT_DSD_NAME = "sdg-dsd-1.14.xml.gz"
# The global SDG dataflow: not in the DSD file, declared by the IAEG-SDGs registry.
GLOBAL_FLOW = ("IAEG-SDGs", "DF_SDG_GLH", "1.0")

STR = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure}"
COM = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class DsdError(InvalidInputError):
    """The DSD file cannot be used; nothing was written."""

    def summary(self, limit: int = 20) -> str:
        return super().summary(limit).replace("nothing was loaded", "nothing was written")


@dataclass(frozen=True)
class Component:
    id: str
    codelist: str | None  # id of the code list that enumerates it, None for free text
    text_type: str | None = None  # Double, DateTime ... for non-coded components
    mandatory: bool = False  # attributes: assignmentStatus="Mandatory"
    level: str = "observation"  # attributes: observation, series (attached to dimensions) or dataset


@dataclass
class Structure:
    """One DSD: its identity, dimensions in key order, attributes, and code lists."""

    agency: str
    id: str
    version: str
    dimensions: list[Component]  # key order, without the time dimension
    time_dimension: str
    measure: str
    attributes: list[Component]
    codelists: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> code -> English name
    codelist_versions: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (agency, version)
    source: str = ""
    raw: bytes = b""

    @property
    def urn(self) -> str:
        return f"urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={self.agency}:{self.id}({self.version})"

    @property
    def dimension_ids(self) -> list[str]:
        return [d.id for d in self.dimensions]

    def component(self, cid: str) -> Component | None:
        for c in (*self.dimensions, *self.attributes):
            if c.id == cid:
                return c
        return None

    def codes(self, cid: str) -> dict[str, str] | None:
        comp = self.component(cid)
        return self.codelists.get(comp.codelist, {}) if comp is not None and comp.codelist else None

    def flow(self) -> tuple[str, str, str] | None:
        """(agency, id, version) of the dataflow a message of this structure is for: DF_SDG_GLH for
        the global SDG DSD; None for another DSD (a message then refers to the DSD itself)."""
        return GLOBAL_FLOW if (self.agency, self.id) == ("IAEG-SDGs", "SDG") else None


def default_dsd_bytes() -> bytes:
    data = resources.files("sdgtrack.exchange").joinpath("data", DEFAULT_DSD_NAME).read_bytes()
    return gzip.decompress(data)


def load(path: str | Path | None = None) -> Structure:
    """The DSD of a structure message file (plain or .gz), or the shipped global SDG DSD."""
    if path is None:
        return _load_default()
    p = Path(path)
    if p.is_dir():
        raise DsdError([Problem(str(p), None, None, None, "an SDMX-ML structure message file, not a folder")])
    if not p.exists():
        raise DsdError([Problem(str(p), None, None, None, "an SDMX-ML structure message file (no such file)")])
    stat = p.stat()
    return _load_file(str(p.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=1)
def _load_default() -> Structure:
    return parse(default_dsd_bytes(), f"{DEFAULT_DSD_NAME} (shipped)")


@lru_cache(maxsize=4)
def _load_file(path: str, _mtime: int, _size: int) -> Structure:
    data = Path(path).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return parse(data, path)


def parse(data: bytes, source: str) -> Structure:
    from lxml import etree

    try:
        root = etree.parse(io.BytesIO(data), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise DsdError(
            [Problem(source, exc.lineno or None, None, None, f"an SDMX-ML structure message ({exc.msg})")]
        ) from None
    dsds = root.findall(f".//{STR}DataStructure")
    if not dsds:
        raise DsdError([Problem(source, None, None, None, "an SDMX-ML structure message with a DataStructure (DSD)")])
    dsd = dsds[0]
    codelists: dict[str, dict[str, str]] = {}
    versions: dict[str, tuple[str, str]] = {}
    for cl in root.iter(f"{STR}Codelist"):
        codes = {}
        for code in cl.iter(f"{STR}Code"):
            names = {n.get(XML_LANG): (n.text or "") for n in code.findall(f"{COM}Name")}
            codes[code.get("id")] = names.get("en") or next(iter(names.values()), "")
        codelists[cl.get("id")] = codes
        versions[cl.get("id")] = (cl.get("agencyID", ""), cl.get("version", "1.0"))

    def representation(el) -> tuple[str | None, str | None]:
        ref = el.find(f"{STR}LocalRepresentation/{STR}Enumeration/Ref")
        fmt = el.find(f"{STR}LocalRepresentation/{STR}TextFormat")
        return (ref.get("id") if ref is not None else None, fmt.get("textType") if fmt is not None else None)

    dimensions, time_dim = [], "TIME_PERIOD"
    for el in dsd.iter(f"{STR}Dimension", f"{STR}TimeDimension"):
        if el.getparent().tag != f"{STR}DimensionList":
            continue  # a <str:Dimension> inside an attribute relationship
        if el.tag == f"{STR}TimeDimension":
            time_dim = el.get("id")
            continue
        cl, tt = representation(el)
        dimensions.append((int(el.get("position") or 0), Component(el.get("id"), cl, tt)))
    dimensions.sort(key=lambda pair: pair[0])
    attributes = []
    for el in dsd.iter(f"{STR}Attribute"):
        cl, tt = representation(el)
        rel = el.find(f"{STR}AttributeRelationship")
        if rel is not None and rel.find(f"{STR}PrimaryMeasure") is not None:
            level = "observation"
        elif rel is not None and rel.find(f"{STR}Dimension") is not None:
            level = "series"
        else:
            level = "dataset"
        attributes.append(Component(el.get("id"), cl, tt, el.get("assignmentStatus") == "Mandatory", level))
    measure = dsd.find(f".//{STR}MeasureList/{STR}PrimaryMeasure")
    missing = [
        c.codelist for c in (*[d for _, d in dimensions], *attributes) if c.codelist and c.codelist not in codelists
    ]
    if missing:
        raise DsdError(
            [
                Problem(
                    source,
                    None,
                    None,
                    ", ".join(sorted(set(missing))),
                    "the code lists the DSD refers to, in the same file",
                )
            ]
        )
    return Structure(
        agency=dsd.get("agencyID", ""),
        id=dsd.get("id", ""),
        version=dsd.get("version", "1.0"),
        dimensions=[d for _, d in dimensions],
        time_dimension=time_dim,
        measure=measure.get("id") if measure is not None else "OBS_VALUE",
        attributes=attributes,
        codelists=codelists,
        codelist_versions=versions,
        source=source,
        raw=data,
    )


def to_sdmx1(structure: Structure):
    """An sdmx1 model of the DSD's components (no code lists): enough to read a StructureSpecific
    message with ``sdmx.read_sdmx(path, structure=...)`` without building the full model (7 s)."""
    from sdmx.model import common, v21

    dsd = v21.DataStructureDefinition(
        id=structure.id, version=structure.version, maintainer=common.Agency(id=structure.agency)
    )
    for order, dim in enumerate(structure.dimensions, start=1):
        dsd.dimensions.getdefault(dim.id, order=order)
    dsd.dimensions.getdefault(structure.time_dimension, cls=v21.TimeDimension, order=len(structure.dimensions) + 1)
    dsd.measures.getdefault(structure.measure)
    for attr in structure.attributes:
        if attr.level == "observation":
            related = v21.PrimaryMeasureRelationship()
        elif attr.level == "series":
            related = v21.DimensionRelationship(dimensions=list(dsd.dimensions.components[:-1]))
        else:
            related = v21.NoSpecifiedRelationship()
        dsd.attributes.getdefault(
            attr.id, related_to=related, usage_status=v21.UsageStatus["mandatory" if attr.mandatory else "conditional"]
        )
    return dsd
