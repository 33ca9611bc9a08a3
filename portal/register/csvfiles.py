"""Reading register CSV files the way spreadsheets on Dutch machines write them."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

UTF8 = "UTF-8"
WINDOWS_1252 = "Windows-1252"
_CHUNK = 1 << 20


class MissingColumns(ValueError):
    """The header lacks one or more required columns."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


@dataclass(frozen=True)
class CsvShape:
    """What was found out about a file before reading its rows."""

    encoding: str
    delimiter: str
    columns: tuple[str, ...]


def detect_encoding(path: Path) -> str:
    """Return UTF-8 when the whole file decodes as UTF-8, else Windows-1252.

    Reads in chunks so that a large file is never held in memory.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return WINDOWS_1252
    return UTF8


def _open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    # utf-8-sig drops a byte-order mark; newline="" lets csv handle CRLF inside fields.
    codec = "utf-8-sig" if encoding == UTF8 else "cp1252"
    return open(path, encoding=codec, errors="replace", newline="")  # noqa: SIM115


def _sniff_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def normalise_column(name: str) -> str:
    """Compare column names without case, surrounding space or a stray byte-order mark."""
    return name.strip().lstrip("\ufeff").strip().lower()


def read_rows(
    path: Path, required: tuple[str, ...], known: tuple[str, ...]
) -> tuple[CsvShape, Iterator[tuple[int, dict[str, str]]]]:
    """Open path and return its shape and an iterator of (line number, row) pairs.

    Rows hold only the known columns, with whitespace stripped; extra columns are
    ignored. Raises MissingColumns when a required column is absent.
    """
    encoding = detect_encoding(path)
    handle = _open_text(path, encoding)
    header_line = handle.readline()
    delimiter = _sniff_delimiter(header_line)
    header = next(csv.reader([header_line], delimiter=delimiter), [])
    columns = [normalise_column(c) for c in header]
    missing = [c for c in required if c not in columns]
    if missing:
        handle.close()
        raise MissingColumns(missing)
    positions = {c: columns.index(c) for c in known if c in columns}
    shape = CsvShape(encoding=encoding, delimiter=delimiter, columns=tuple(columns))

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        with handle:
            reader = csv.reader(handle, delimiter=delimiter)
            for record in reader:
                # The header was line 1; reader.line_num counts physical lines read.
                line = reader.line_num + 1
                if not any(field.strip() for field in record):
                    continue
                yield line, {
                    name: (record[i].strip() if i < len(record) else "")
                    for name, i in positions.items()
                }

    return shape, rows()
