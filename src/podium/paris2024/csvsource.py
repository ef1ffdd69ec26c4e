r"""Reading the real Paris 2024 CSV files, with their quirks, row by row.

The files come from a Kaggle data set and an olympics.com scrape (see
`data/paris2024/SOURCES.md`). What they contain, and what this module copes with:
list columns written as Python literals with single quotes while names contain
apostrophes (`"['O\\'CALLAGHAN Mollie']"` is written with double quotes around the
item), integers written as floats (`1.0`), empty fields, and timestamps with offsets.
"""

from __future__ import annotations

import ast
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from podium.core.errors import InvalidInputError

__all__ = ["BadRowError", "CsvSource", "Quarantine", "Row", "SourceFileError", "read_rows"]


class BadRowError(InvalidInputError):
    """A source row that breaks a rule; says the file, line and column.

    Args:
        file: the file's name relative to the data folder.
        line: 1-based line number in the file (the header is line 1).
        column: the offending column's name, or "" for the whole row.
        reason: what is wrong.
        code: stable code of the kind of fault.

    """

    code = "bad_row"

    def __init__(self, file: str, line: int, column: str, reason: str, code: str) -> None:
        """Create the error; see the class docstring."""
        where = f"{file}:{line}" + (f" column {column!r}" if column else "")
        super().__init__(f"{where}: {reason}", code=code)
        self.file, self.line, self.column, self.reason = file, line, column, reason


@dataclass
class Quarantine:
    """The bad rows of one import run, kept instead of dropped.

    Attributes:
        strict: raise on the first bad row instead of collecting it.
        rows: the collected faults, in the order met.
        notices: rows imported after a documented repair (never silent either).

    """

    strict: bool = False
    rows: list[BadRowError] = field(default_factory=list)
    notices: list[BadRowError] = field(default_factory=list)

    def reject(self, fault: BadRowError) -> None:
        """Quarantine a bad row, or raise it in strict mode.

        Raises:
            BadRowError: in strict mode.

        """
        if self.strict:
            raise fault
        self.rows.append(fault)

    def notice(self, fault: BadRowError) -> None:
        """Record a repair made to an imported row."""
        self.notices.append(fault)


@dataclass(frozen=True, slots=True)
class Row:
    """One CSV row with its position, and typed accessors that report faults precisely.

    Attributes:
        file: the file's name relative to the data folder.
        line: 1-based line number of the row's first line.
        values: the row, column name to raw text.

    """

    file: str
    line: int
    values: dict[str, str]

    def fault(self, column: str, reason: str, code: str) -> BadRowError:
        """Return a `BadRowError` at this row and `column`."""
        return BadRowError(self.file, self.line, column, reason, code)

    def text(self, column: str) -> str:
        """Return the stripped text of `column`, "" when empty or absent."""
        return (self.values.get(column) or "").strip()

    def required(self, column: str) -> str:
        """Return the text of `column`.

        Raises:
            BadRowError: when it is empty (`missing_value`).

        """
        value = self.text(column)
        if not value:
            raise self.fault(column, "value is required but empty", "missing_value")
        return value

    def integer(self, column: str) -> int | None:
        """Return `column` as an integer, accepting floats with no fraction (`1.0`).

        Raises:
            BadRowError: when the text is not a whole number (`not_an_integer`).

        """
        value = self.text(column)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            raise self.fault(column, f"{value!r} is not a number", "not_an_integer") from None
        if not number.is_integer():
            raise self.fault(column, f"{value!r} is not a whole number", "not_an_integer")
        return int(number)

    def text_list(self, column: str) -> list[str]:
        r"""Return a list column written as a Python literal (`"['A', \\"O'B\\"]"`).

        `ast.literal_eval` parses the literal exactly as Python wrote it, quotes and
        escapes included; a hand-made split on quotes breaks on `O'CALLAGHAN`.

        Raises:
            BadRowError: when the text is not a list of strings (`bad_list`).

        """
        value = self.text(column)
        if not value:
            return []
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            raise self.fault(column, f"{value[:60]!r} is not a list literal", "bad_list") from None
        if not isinstance(parsed, list) or not all(isinstance(x, str) for x in parsed):
            raise self.fault(column, "expected a list of strings", "bad_list")
        return [x.strip() for x in parsed]

    def timestamp(self, column: str) -> datetime | None:
        """Return an aware datetime from ISO 8601 text with offset (`+02:00` or `Z`).

        Raises:
            BadRowError: when unparsable or without an offset (`bad_timestamp`).

        """
        value = self.text(column)
        if not value:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise self.fault(column, f"{value!r} is not a timestamp", "bad_timestamp") from None
        if parsed.tzinfo is None:
            raise self.fault(column, f"{value!r} has no UTC offset", "bad_timestamp")
        return parsed

    def day(self, column: str) -> date | None:
        """Return a date from `YYYY-MM-DD` text.

        Raises:
            BadRowError: when unparsable (`bad_date`).

        """
        value = self.text(column)
        if not value:
            return None
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise self.fault(column, f"{value!r} is not a date", "bad_date") from None


class SourceFileError(InvalidInputError):
    """A source file that cannot be read row by row: missing, or a required column absent.

    Always fatal, in strict mode or not: importing the other files without it would
    publish a Games with a hole in it.

    Args:
        file: the file's name relative to the data folder.
        reason: what is wrong.
        code: `missing_file`, `missing_column` or `unreadable_csv`.
    """

    def __init__(self, file: str, reason: str, code: str) -> None:
        """Create the error; see the class docstring."""
        super().__init__(f"{file}: {reason}", code=code)
        self.file, self.reason = file, reason


@dataclass(frozen=True, slots=True)
class CsvSource:
    """One CSV file of a data folder and what its header must hold.

    Attributes:
        root: the data folder.
        name: the file's path relative to it, e.g. `results/Judo.csv`.
        required: columns the header must have.
        one_of: groups of columns of which the header must have at least one each.
    """

    root: Path
    name: str
    required: tuple[str, ...] = ()
    one_of: tuple[tuple[str, ...], ...] = ()


def _check_header(source: CsvSource, header: list[str]) -> None:
    missing = [c for c in source.required if c not in header]
    missing += [" or ".join(group) for group in source.one_of if not set(group) & set(header)]
    if missing:
        raise SourceFileError(
            source.name, f"header lacks column {', '.join(missing)}", "missing_column"
        )


def _structure_fault(
    source: CsvSource, first: int, last: int, fields: list[str], width: int
) -> BadRowError | None:
    if last > first:
        reason = f"row runs over lines {first}-{last}: an unclosed quote?"
        return BadRowError(source.name, first, "", reason, "unclosed_quote")
    if len(fields) != width:
        reason = f"row has {len(fields)} fields, the header has {width}"
        return BadRowError(source.name, first, "", reason, "wrong_field_count")
    return None


def read_rows(source: CsvSource, quarantine: Quarantine) -> Iterator[Row]:
    """Yield the well-formed rows of a CSV file with their line numbers.

    A row whose field count differs from the header's, or that runs over several lines
    (none of the real files has a multi-line field, so it is a stray quote swallowing the
    rows after it), goes to the quarantine instead.

    Args:
        source: the file and its required columns.
        quarantine: receives malformed rows (raises them in strict mode).

    Raises:
        SourceFileError: the file is missing (`missing_file`), lacks a required column
            (`missing_column`), or the CSV reader gives up (`unreadable_csv`).
        BadRowError: in strict mode, on the first malformed row.
    """
    path = source.root / source.name
    if not path.is_file():
        raise SourceFileError(source.name, f"not found in {source.root}", "missing_file")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, [])
            _check_header(source, header)
            last_line = reader.line_num
            for fields in reader:
                first = last_line + 1
                last_line = reader.line_num
                fault = _structure_fault(source, first, last_line, fields, len(header))
                if fault is not None:
                    quarantine.reject(fault)
                    continue
                yield Row(source.name, first, dict(zip(header, fields, strict=True)))
        except csv.Error as error:
            reason = f"CSV reader stopped after line {reader.line_num}: {error}"
            raise SourceFileError(source.name, reason, "unreadable_csv") from None
