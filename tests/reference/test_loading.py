"""The CSV reading and error reporting of perspectief.core.loading."""

import gzip

import pytest

from perspectief.core.loading import ReferenceDataError, read_csv

from .conftest import write_csv


def test_error_names_file_line_and_field_in_dutch_and_english():
    error = ReferenceDataError(
        "/x/gemeente_arbeidsmarktregio_2026.csv",
        12,
        "am_code",
        "onbekende regio AM99",
        "unknown region AM99",
    )
    assert str(error) == (
        "gemeente_arbeidsmarktregio_2026.csv, regel 12, veld am_code: onbekende regio AM99 / "
        "line 12, field am_code: unknown region AM99"
    )
    assert (error.file, error.line, error.field) == (
        "gemeente_arbeidsmarktregio_2026.csv",
        12,
        "am_code",
    )
    assert str(ReferenceDataError("a/b.csv", None, None, "weg", "gone")) == "b.csv: weg / gone"


def test_line_numbers_count_multi_line_cells(tmp_path):
    path = write_csv(
        tmp_path / "labels.csv.gz",
        ["uri", "altLabels"],
        [["u1", "een\ntwee\ndrie"], ["u2", "vier"], ["u3", "vijf\nzes"], ["u4", ""]],
    )
    assert [(row.line, row.get("uri")) for row in read_csv(path)] == [
        (2, "u1"),
        (5, "u2"),
        (6, "u3"),
        (8, "u4"),
    ]
    assert next(iter(read_csv(path))).get("altLabels") == "een\ntwee\ndrie"


def test_semicolons_bom_and_blank_lines(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("\ufeffcode;naam\r\nA;Landbouw, bosbouw\r\n\r\nB;Delfstoffen\r\n".encode())
    rows = list(read_csv(path, required=["code", "naam"]))
    assert [(r.line, r.values) for r in rows] == [
        (2, {"code": "A", "naam": "Landbouw, bosbouw"}),
        (4, {"code": "B", "naam": "Delfstoffen"}),
    ]


@pytest.mark.parametrize(
    ("content", "line", "field", "text"),
    [
        (
            "code,naam\nA,x\n",
            1,
            "extra",
            "kolom ontbreekt / line 1, field extra: column is missing",
        ),
        ("code,naam,extra\nA,x\nB,y,z\n", 2, None, "2 velden, de kop heeft er 3"),
        ('code,naam,extra\nA,x,y\nB,"open,z\n', 3, None, "ongeldige CSV"),
        ("", 1, None, "bestand is leeg / line 1: file is empty"),
    ],
)
def test_malformed_csv(tmp_path, content, line, field, text):
    path = tmp_path / "file.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReferenceDataError) as caught:
        list(read_csv(path, required=["code", "naam", "extra"]))
    assert (caught.value.line, caught.value.field) == (line, field)
    assert text in str(caught.value)
    assert str(caught.value).startswith("file.csv")


def test_not_utf8_and_not_gzip(tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("code,naam\nA,Fryslân\n".encode("latin-1"))
    with pytest.raises(ReferenceDataError, match="onleesbaar bestand"):
        list(read_csv(latin))
    fake = tmp_path / "fake.csv.gz"
    fake.write_text("code,naam\n")
    with pytest.raises(ReferenceDataError, match="unreadable file"):
        list(read_csv(fake))
    with gzip.open(tmp_path / "ok.csv.gz", "wt") as handle:
        handle.write("code\nA\n")
    assert [r.get("code") for r in read_csv(tmp_path / "ok.csv.gz")] == ["A"]


def test_missing_file(tmp_path):
    with pytest.raises(ReferenceDataError, match="bestand niet gevonden / file not found"):
        list(read_csv(tmp_path / "nope.csv"))
