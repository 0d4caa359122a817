"""The XSDs a package uses, kept in the repository so validation runs offline."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

SCHEMA_DIR = Path(__file__).parent / "schemas"
METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
# Every file a package's schemas/ folder holds (byte-identical to ours).
SCHEMA_FILES = ("mets.xsd", "xlink.xsd", "DILCISExtensionMETS.xsd", "xml.xsd", "EAD.xsd", "EAD_doc.xsd")
XLINK_REMOTE = "http://www.loc.gov/standards/xlink/xlink.xsd"


class _Local(etree.Resolver):
    """Map the schemas' web addresses to the local copies: nothing is fetched."""

    def resolve(self, url, pubid, context):
        name = (url or "").rsplit("/", 1)[-1]
        if name in SCHEMA_FILES:
            return self.resolve_filename(str(SCHEMA_DIR / name), context)
        return None


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_Local())
    return parser


@cache
def mets_schema() -> etree.XMLSchema:
    """METS 1.12 with the CSIP extension attributes checked against their vocabularies."""
    wrapper = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="{METS_NS}" schemaLocation="{SCHEMA_DIR / "mets.xsd"}"/>
      <xs:import namespace="{CSIP_NS}" schemaLocation="{SCHEMA_DIR / "DILCISExtensionMETS.xsd"}"/>
    </xs:schema>"""
    doc = etree.fromstring(wrapper.encode(), _parser(), base_url=str(SCHEMA_DIR / "wrapper.xsd"))
    return etree.XMLSchema(doc)


@cache
def tt05_schema(name: str) -> etree.XMLSchema:
    """The Circular 05/2025 dossier (``EAD.xsd``) or document (``EAD_doc.xsd``) element set."""
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name), _parser()))


def safe_parser() -> etree.XMLParser:
    """The parser for package XML: no network, no entities."""
    return etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=False)
