"""Reading the files gemeenten and UWV export: CSV (',' or ';', UTF-8 or Windows-1252,
detected) and XLSX. Yields rows with their line number as a person sees it in the file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime


class ImportFileError(Exception):
    """The file as a whole cannot be read; nothing is imported."""

    def __init__(self, nl: str, en: str):
        self.nl, self.en = nl, en
        super().__init__(f"{nl} / {en}")


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    total: int


XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or .xlsx with a password


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            "het bestand is geen tekst in UTF-8 of Windows-1252",
            "the file is not text in UTF-8 or Windows-1252",
        ) from None


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        raise ImportFileError(
            "de kopregel heeft geen scheidingsteken (komma of puntkomma)",
            "the header line has no delimiter (comma or semicolon)",
        )
    return best


def read_csv(content: bytes) -> Table:
    decoded = _decode(content)
    text = decoded.lstrip("\r\n")  # blank lines before the header are ignored
    offset = decoded[: len(decoded) - len(text)].count("\n")
    if not text.strip():
        raise ImportFileError("het bestand is leeg", "the file is empty")
    first_line = text.splitlines()[0]
    delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        headers = [h.strip().lower() for h in next(reader)]
    except csv.Error as exc:
        raise ImportFileError(f"onleesbare kopregel: {exc}", f"unreadable header: {exc}") from None
    try:
        total = sum(1 for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(row)) - 1
    except csv.Error:
        total = 0  # the row that cannot be read is reported with its line below

    def rows():
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFileError(
                    f"regel {reader.line_num}: onleesbare CSV ({exc})",
                    f"line {reader.line_num}: unreadable CSV ({exc})",
                ) from None
            if any(cell.strip() for cell in row):
                yield reader.line_num + offset, [cell.strip() for cell in row]

    return Table(headers=headers, rows=rows(), total=max(total, 0))


def read_xlsx(content: bytes, sheet: str | None = None) -> Table:
    from openpyxl import load_workbook

    if content.startswith(OLE_MAGIC):
        raise ImportFileError(
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
        raise ImportFileError(
            "het bestand is geen Excel-werkmap (.xlsx): het is beschadigd of een ander soort "
            "bestand; open het in Excel, sla het op als .xlsx of als CSV en importeer het "
            "opnieuw",
            "the file is not an Excel workbook (.xlsx): it is damaged or another kind of file; "
            "open it in Excel, save it as .xlsx or as CSV and import it again",
        ) from None
    names = workbook.sheetnames
    if sheet:
        if sheet not in names:
            raise ImportFileError(
                f"tabblad {sheet!r} bestaat niet; wel: {', '.join(names)}",
                f"sheet {sheet!r} does not exist; there are: {', '.join(names)}",
            )
        worksheet = workbook[sheet]
    elif len(names) > 1:
        raise ImportFileError(
            f"het bestand heeft {len(names)} tabbladen ({', '.join(names)}); kies er één",
            f"the file has {len(names)} sheets ({', '.join(names)}); choose one",
        )
    else:
        worksheet = workbook[names[0]]
    iterator = worksheet.iter_rows(values_only=True)
    try:
        headers = [_cell(h).lower() for h in next(iterator)]
    except StopIteration:
        raise ImportFileError("het tabblad is leeg", "the sheet is empty") from None
    while headers and not headers[-1]:
        headers.pop()
    total = max((worksheet.max_row or 1) - 1, 0)

    def rows():
        for line, values in enumerate(iterator, start=2):
            cells = [_cell(v) for v in values[: len(headers)]]
            if any(cells):
                yield line, cells

    return Table(headers=headers, rows=rows(), total=total)


def read_table(content: bytes, filename: str = "", sheet: str | None = None) -> Table:
    if not content:
        raise ImportFileError("het bestand is leeg", "the file is empty")
    if content.startswith((XLSX_MAGIC, OLE_MAGIC)) or filename.lower().endswith((".xlsx", ".xls")):
        return read_xlsx(content, sheet)
    return read_csv(content)
