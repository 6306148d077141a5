"""One reader for the tables that come in (core/tabular.py): the uploads of imports and the
reference files read the same CSV the same way (delimiter, BOM, blank lines, line numbers)."""

import gzip
import io

import pytest
from openpyxl import Workbook

from perspectief.core.loading import read_csv as read_reference
from perspectief.core.tabular import (
    CsvReader,
    RecordError,
    TableError,
    read_table,
    sniff_delimiter,
)

CSV = '\ufeffcode;naam\r\nA;Landbouw, bosbouw\r\n\r\nB;"Delf\nstoffen"\r\nC;Industrie\r\n'


def test_an_upload_and_a_reference_file_are_read_alike(tmp_path):
    path = tmp_path / "sectors.csv.gz"
    path.write_bytes(gzip.compress(CSV.encode()))
    reference = [(row.line, row.values) for row in read_reference(path, required=["code"])]
    table = read_table(CSV.encode(), "sectors.csv")
    upload = [(line, dict(zip(table.headers, cells, strict=True))) for line, cells in table.rows]
    assert (
        reference
        == upload
        == [
            (2, {"code": "A", "naam": "Landbouw, bosbouw"}),
            (4, {"code": "B", "naam": "Delf\nstoffen"}),  # the line on which the row starts
            (6, {"code": "C", "naam": "Industrie"}),
        ]
    )
    assert table.total == 3


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [("a;b;c", ";"), ("a,b,c", ","), ("a\tb\tc", "\t"), ("a;b,c", ";"), ("a", None)],
)
def test_the_delimiter_is_sniffed_from_the_header(header, delimiter):
    assert sniff_delimiter(header) == delimiter


def test_an_upload_skips_blank_lines_and_rows_without_a_value():
    table = read_table(b"\n\nvoornaam;achternaam\n;\nAnna;Jansen\n  \n")
    assert (table.headers, list(table.rows), table.total) == (
        ["voornaam", "achternaam"],
        [(5, ["Anna", "Jansen"])],
        1,
    )


def test_windows_encoding_and_old_mac_line_ends_are_read():
    table = read_table("Voornaam;Achternaam\rZoë;Jansen\r".encode("cp1252"))
    assert list(table.rows) == [(2, ["Zoë", "Jansen"])]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "het bestand is leeg"),
        (b"\n \n", "het bestand is leeg"),
        (b"voornaam\nAnna\n", "geen scheidingsteken"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "oude formaat"),
        (b"PK\x03\x04broken", "geen Excel-werkmap"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(content, message):
    with pytest.raises(TableError, match=message):
        read_table(content, "x")


def test_a_strict_reader_names_the_line_of_a_broken_record():
    reader = CsvReader(io.StringIO('a,b\n1,2\n3,"open\n', newline=""), strict=True)
    records = iter(reader)
    assert next(records).line == 2
    with pytest.raises(RecordError) as broken:
        next(records)
    assert (broken.value.line, broken.value.malformed) == (3, True)


def test_a_workbook_sheet_is_a_table():
    book = Workbook()
    sheet = book.active
    sheet.append(["Voornaam", "Achternaam", None])
    sheet.append(["Anna", "Jansen"])
    sheet.append([None, None])
    sheet.append(["Bram", 12.0])
    content = io.BytesIO()
    book.save(content)
    table = read_table(content.getvalue(), "klanten.xlsx")
    assert table.headers == ["voornaam", "achternaam"]
    assert list(table.rows) == [(2, ["Anna", "Jansen"]), (4, ["Bram", "12"])]
