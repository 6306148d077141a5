"""Reading tables from files: CSV and XLSX, one reader for every file that comes in.

Two kinds of files are read as tables:

- the exports people upload to import job seekers or places (``perspectief.imports``):
  CSV in UTF-8 (with or without BOM) or Windows-1252, or XLSX; read leniently, as
  spreadsheet programs write them, with :func:`read_table`;
- the reference data shipped with the platform (``core/loading.py``): CSV in UTF-8, possibly
  gzipped (:func:`open_text`), read strictly, record by record, with :class:`CsvReader`.

Both share the rules: the delimiter is the most frequent of ``;``, ``,`` and tab in the
header line (``;`` wins a tie, as Dutch spreadsheet programs write it), blank lines are
skipped (also before the header), cells are stripped, and a record carries the line on
which it starts in the file, the header's line counted, so a person finds it in an editor
even when a quoted cell holds line breaks.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, TextIO

from openpyxl import load_workbook

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or .xlsx with a password
BOM = b"\xef\xbb\xbf"
DELIMITERS = (";", ",", "\t")

# csv's default field limit (128 KiB) is fine for ESCO, but raise it for long descriptions.
csv.field_size_limit(16 * 1024 * 1024)


class TableError(Exception):
    """The file as a whole cannot be read: nothing is imported. Says so in Dutch and English
    (an import stores both), without the name of a Python error."""

    def __init__(self, nl: str, en: str) -> None:
        self.nl, self.en = nl, en
        super().__init__(f"{nl} / {en}")


class RecordError(Exception):
    """One CSV record cannot be read: ``line`` is where it starts, ``reason`` what the
    reader said. ``malformed``: the CSV itself is wrong (quoting); otherwise its bytes could
    not be read or decoded."""

    def __init__(self, line: int, reason: str, *, malformed: bool) -> None:
        self.line, self.reason, self.malformed = line, reason, malformed
        super().__init__(f"line {line}: {reason}")


class Record(NamedTuple):
    """One CSV record: the line on which it starts and its cells, stripped."""

    line: int
    cells: list[str]


@dataclass
class Table:
    """An uploaded table: its column names (lower case) and its rows with a value, each
    with its line number as a person sees it in the file. ``total`` is for the progress
    bar: the number of such rows."""

    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    total: int


def open_text(path: Path) -> TextIO:
    """Open a (possibly gzipped) UTF-8 text file; a BOM is dropped."""
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")  # the caller closes it


#: Bytes checked or decoded at a time: an upload is read as a stream, never as one text.
CHUNK = 1024 * 1024


#: Opens an upload as a new binary stream each time it is called: a file is read as a
#: stream, as often as needed, and never held whole (an import's upload is stored in
#: pieces, :mod:`perspectief.imports.upload`).
Opener = Callable[[], BinaryIO]


def _decodes_as(opener: Opener, encoding: str) -> bool:
    """Whether the file is text in ``encoding``, checked chunk by chunk (nothing kept)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with opener() as stream:
            while chunk := stream.read(CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def encoding_of(content: bytes | Opener) -> str:
    """The encoding of an uploaded file: UTF-8 (a BOM dropped), else Windows-1252."""
    opener = _opener(content)
    for encoding in ("utf-8-sig", "cp1252"):
        if _decodes_as(opener, encoding):
            return encoding
    raise TableError(
        "het bestand is geen tekst in UTF-8 of Windows-1252",
        "the file is not text in UTF-8 or Windows-1252",
    )


def _opener(content: bytes | Opener) -> Opener:
    if isinstance(content, bytes | bytearray | memoryview):
        data = bytes(content)
        return lambda: io.BytesIO(data)
    return content


def text_stream(content: bytes | BinaryIO, encoding: str) -> TextIO:
    """The text of an uploaded file as a stream (the bytes are not copied)."""
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    return io.TextIOWrapper(stream, encoding=encoding, newline="")


def sniff_delimiter(header_line: str) -> str | None:
    """The most frequent of ``;``, ``,`` and tab in the header line (``;`` wins a tie);
    None when it has none of them (one column, or not a CSV file)."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=counts.__getitem__)
    return best if counts[best] else None


def _is_blank(cells: list[str]) -> bool:
    """A blank line: no cells, or one cell of spaces."""
    return not cells or (len(cells) == 1 and not cells[0].strip())


class CsvReader:
    """The header and the records of a CSV text, streamed (reference files are large).

    Blank lines before the header are skipped; :attr:`empty` says the text has nothing
    else. The header is the first line; :attr:`delimiter` what :func:`sniff_delimiter`
    found in it (None: no delimiter; the text is read as one column). ``strict`` refuses
    malformed quoting (files made by programs); otherwise records are read as spreadsheet
    programs write them. A record that cannot be read raises :class:`RecordError`.
    """

    def __init__(self, handle: TextIO, *, strict: bool = False) -> None:
        self._handle = handle
        self._strict = strict
        self.header_line = 0
        line = ""
        while not line.strip():
            self.header_line += 1
            line = self._readline()
            if not line:  # the end of the text
                break
        self.empty = not line.strip()
        self.delimiter = sniff_delimiter(line) if not self.empty else None
        self.headers: list[str] = [] if self.empty else self._header(line)

    def _readline(self) -> str:
        """One line before the records, or a :class:`RecordError` when it cannot be read."""
        try:
            return self._handle.readline()
        except (UnicodeDecodeError, OSError, EOFError) as exc:
            raise RecordError(self.header_line, str(exc), malformed=False) from exc

    def _header(self, line: str) -> list[str]:
        try:
            cells = next(csv.reader([line], delimiter=self.delimiter or ","))
        except (csv.Error, StopIteration) as exc:
            raise RecordError(self.header_line, str(exc), malformed=True) from None
        return [cell.strip() for cell in cells]

    def __iter__(self) -> Iterator[Record]:
        """The records after the header, blank lines skipped, each with its first line."""
        if self.empty:
            return
        reader = csv.reader(self._handle, delimiter=self.delimiter or ",", strict=self._strict)
        read = 0  # lines the reader consumed, after the header
        while True:
            line = self.header_line + read + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise RecordError(line, str(exc), malformed=True) from None
            except (UnicodeDecodeError, OSError, EOFError) as exc:
                raise RecordError(line, str(exc), malformed=False) from exc
            read = reader.line_num
            if not _is_blank(cells):
                yield Record(line, [cell.strip() for cell in cells])


# -- uploaded tables (imports) ---------------------------------------------------------------


def read_table(content: bytes | Opener, filename: str = "", sheet: str | None = None) -> Table:
    """An uploaded file as a table: XLSX (by its content or name) or CSV. ``content``: the
    file's bytes, or an :data:`Opener` (a CSV file is then read as a stream, never whole;
    a workbook is a zip archive and is read whole)."""
    opener = _opener(content)
    with opener() as stream:
        start = stream.read(len(OLE_MAGIC))
    if not start:
        raise TableError("het bestand is leeg", "the file is empty")
    if start.startswith((XLSX_MAGIC, OLE_MAGIC)) or filename.lower().endswith((".xlsx", ".xls")):
        with opener() as stream:
            return read_xlsx(stream.read(), sheet)
    return read_csv(opener)


def _has_value(cells: list[str]) -> bool:
    return any(cells)


def _unreadable_record(exc: RecordError) -> TableError:
    return TableError(
        f"regel {exc.line}: onleesbare CSV ({exc.reason})",
        f"line {exc.line}: unreadable CSV ({exc.reason})",
    )


def read_csv(content: bytes | Opener) -> Table:
    """An uploaded CSV file: rows with a value, with the line on which each starts. Read
    as a stream, three times (the encoding checked, the rows counted for the progress bar,
    then read): memory does not grow with the number of rows."""
    opener = _opener(content)
    encoding = encoding_of(opener)
    try:
        reader = CsvReader(text_stream(opener(), encoding))
    except RecordError as exc:
        raise TableError(
            f"onleesbare kopregel: {exc.reason}", f"unreadable header: {exc.reason}"
        ) from None
    if reader.empty:
        raise TableError("het bestand is leeg", "the file is empty")
    if reader.delimiter is None:
        raise TableError(
            "de kopregel heeft geen scheidingsteken (komma of puntkomma)",
            "the header line has no delimiter (comma or semicolon)",
        )

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for record in reader:
                if _has_value(record.cells):
                    yield record.line, record.cells
        except RecordError as exc:
            raise _unreadable_record(exc) from None

    return Table(
        headers=[h.lower() for h in reader.headers],
        rows=rows(),
        total=_total(opener, encoding),
    )


def _total(opener: Opener, encoding: str) -> int:
    """The number of rows with a value (for the progress bar; 0 when a record cannot be
    read: that record is reported with its line when the rows are read)."""
    try:
        with text_stream(opener(), encoding) as text:
            return sum(1 for record in CsvReader(text) if _has_value(record.cells))
    except RecordError:
        return 0


def _cell(value: object) -> str:
    """A spreadsheet cell as text: dates as YYYY-MM-DD, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _workbook(content: bytes) -> Any:  # openpyxl has no type information
    """The workbook, or a :class:`TableError` saying what to do with the file."""
    if content.startswith(OLE_MAGIC):
        raise TableError(
            "dit is een Excel-bestand in het oude formaat (.xls) of een bestand met een "
            "wachtwoord; sla het in Excel zonder wachtwoord op als Excel-werkmap (.xlsx) of als "
            "CSV en importeer het opnieuw",
            "this is an Excel file in the old format (.xls) or a file with a password; save it "
            "in Excel without a password as an Excel workbook (.xlsx) or as CSV and import it "
            "again",
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (BadZipFile, KeyError, …) for these
        raise TableError(
            "het bestand is geen Excel-werkmap (.xlsx): het is beschadigd of een ander soort "
            "bestand; open het in Excel, sla het op als .xlsx of als CSV en importeer het "
            "opnieuw",
            "the file is not an Excel workbook (.xlsx): it is damaged or another kind of file; "
            "open it in Excel, save it as .xlsx or as CSV and import it again",
        ) from None
    return workbook


def _worksheet(workbook: Any, sheet: str | None) -> Any:
    """The sheet asked for, or the only one."""
    names: list[str] = workbook.sheetnames
    if sheet:
        if sheet not in names:
            raise TableError(
                f"tabblad {sheet!r} bestaat niet; wel: {', '.join(names)}",
                f"sheet {sheet!r} does not exist; there are: {', '.join(names)}",
            )
        return workbook[sheet]
    if len(names) > 1:
        raise TableError(
            f"het bestand heeft {len(names)} tabbladen ({', '.join(names)}); kies er één",
            f"the file has {len(names)} sheets ({', '.join(names)}); choose one",
        )
    return workbook[names[0]]


def read_xlsx(content: bytes, sheet: str | None = None) -> Table:
    """An uploaded workbook's sheet: rows with a value, numbered as the spreadsheet does."""
    worksheet = _worksheet(_workbook(content), sheet)
    iterator = worksheet.iter_rows(values_only=True)
    try:
        headers = [_cell(h).lower() for h in next(iterator)]
    except StopIteration:
        raise TableError("het tabblad is leeg", "the sheet is empty") from None
    while headers and not headers[-1]:
        headers.pop()
    total: int = max((worksheet.max_row or 1) - 1, 0)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for line, values in enumerate(iterator, start=2):
            cells = [_cell(v) for v in values[: len(headers)]]
            if _has_value(cells):
                yield line, cells

    return Table(headers=headers, rows=rows(), total=total)
