# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Validation of ODF messages against the bundled IOC ODF2 schema (SYOG2026 edition).

The schema is loaded once per process and cached. Validation is for tests, audits and
incoming feeds; the builders never call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Final, cast

from lxml import etree

from podium.odf._read import read_bytes
from podium.odf.errors import OdfReadError, OdfSchemaError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from lxml.etree import _LogEntry

__all__ = ["SCHEMA_PATH", "OdfValidationError", "load_schema", "validate_file", "validate_message"]

SCHEMA_PATH: Final = Path(__file__).parent / "xsd" / "odf2.xsd"
"""The schema's root file; it includes `odf2-structure.xsd`, which includes the values."""


@dataclass(frozen=True, slots=True)
class OdfValidationError:
    """One place where a message breaks the schema (a finding, not an exception).

    Args:
        line: 1-based line in the message.
        column: 1-based column, or 0 when libxml2 does not report one.
        message: libxml2's explanation, for example
            `Element 'Competition': The attribute 'Gen' is required but missing.`

    """

    line: int
    column: int
    message: str

    def __str__(self) -> str:
        """Return `line N: message`."""
        return f"line {self.line}: {self.message}"


@cache
def load_schema() -> etree.XMLSchema:
    """Return the compiled schema, loading it on first use.

    Raises:
        OdfSchemaError: the XSD files are missing or do not compile.

    """
    try:
        return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))
    except (OSError, etree.XMLSchemaParseError, etree.XMLSyntaxError) as error:
        msg = f"cannot load the ODF schema from {SCHEMA_PATH}: {error}"
        raise OdfSchemaError(msg) from error


def _parse(xml: bytes, name: str) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.ElementTree(etree.fromstring(xml, parser))
    except etree.XMLSyntaxError as error:
        line = error.lineno or 0
        msg = f"{name}: not well-formed XML at line {line}: {error.msg}"
        raise OdfReadError(msg, code="odf_ill_formed", line=line) from error


def validate_message(xml: bytes, *, name: str = "<bytes>") -> list[OdfValidationError]:
    """Validate one message against the schema and return what is wrong (empty when valid).

    Args:
        xml: the message as bytes (its declaration gives the encoding).
        name: how to name the message in errors, for example a file name.

    Raises:
        OdfReadError: `odf_ill_formed`, naming `name` and the line, when it is not XML.
        OdfSchemaError: the bundled schema cannot be loaded.

    """
    tree = _parse(xml, name)
    schema = load_schema()
    if schema.validate(tree):
        return []
    return [
        OdfValidationError(line=entry.line, column=entry.column, message=entry.message)
        for entry in cast("Iterable[_LogEntry]", schema.error_log)
    ]


def validate_file(path: str | Path) -> list[OdfValidationError]:
    """Validate the message stored at `path`; see `validate_message`.

    Raises:
        OdfReadError: `odf_unreadable` (with the file and the reason) when it cannot be read,
            `odf_ill_formed` (with the file and line) when it is not well-formed XML.

    """
    path = Path(path)
    xml = read_bytes(path)
    return validate_message(xml, name=str(path))
